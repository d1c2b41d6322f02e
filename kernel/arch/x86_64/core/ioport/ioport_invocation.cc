#include "ioport/ioport_invocation.h"

#include <tessera/abi/invocation_decode.h>

#include "cdt/cdt.h"
#include "cnode/lookup.h"

namespace tessera::core {
namespace {

namespace inv = abi::invocation;

constexpr Word PortMask = 0xffff; // seL4 cuts every port argument to 16 bits

struct IssuePlan {
    IoPort first;
    IoPort last;
    Slot* destination;
};

Result<IssuePlan> decode_issue(CoreContext& ctx, const Invocation& in, const IssuedPorts& issued)
{
    using Issue = inv::X86IOPortControlIssue;
    Slot* root = in.extra_cap(Issue::root_cap);
    if (in.length() < Issue::word_count || root == nullptr)
        return SyscallError::truncated_message().because("IOPortControl_Issue: truncated message");
    const auto args = in.arguments<Issue>();
    const IoPort first{static_cast<uint16_t>(args.first_port & PortMask)};
    const IoPort last{static_cast<uint16_t>(args.last_port & PortMask)};
    if (last < first)
        return SyscallError::invalid_argument(1).because("IOPortControl: last port below first");
    if (!issued.is_free(first, last))
        return SyscallError::revoke_first().because(
            "IOPortControl: a port in the range is already issued");
    auto dest = lookup_empty_target_slot(ctx, root->cap, CPtr{args.index}, Depth{args.depth});
    if (!dest)
        return dest.error();
    return IssuePlan{first, last, dest.value()};
}

struct PortPlan {
    IoPort port;
    PortWidth width;
    Word data;
};

PortWidth width_of(IoPortMethod method)
{
    switch (method) {
    case IoPortMethod::In8:
    case IoPortMethod::Out8:
        return PortWidth::Bits8;
    case IoPortMethod::In16:
    case IoPortMethod::Out16:
        return PortWidth::Bits16;
    case IoPortMethod::In32:
    case IoPortMethod::Out32:
        return PortWidth::Bits32;
    }
    return PortWidth::Bits8;
}

bool is_input(IoPortMethod method)
{
    return method == IoPortMethod::In8 || method == IoPortMethod::In16 ||
           method == IoPortMethod::In32;
}

template <class... M> constexpr bool port_in_word_0()
{
    return ((M::word_count >= 1 && (M::word_masks[0] & PortMask) == PortMask) && ...);
}
static_assert(port_in_word_0<inv::X86IOPortIn8, inv::X86IOPortIn16, inv::X86IOPortIn32,
                             inv::X86IOPortOut8, inv::X86IOPortOut16, inv::X86IOPortOut32>());
static_assert(inv::X86IOPortOut8::word_masks[1] == ~Word{0} &&
              inv::X86IOPortOut16::word_masks[1] == ~Word{0} &&
              inv::X86IOPortOut32::word_masks[1] == ~Word{0});

Result<PortPlan> decode_port(IoPortMethod method, const Invocation& in, IoPortCap cap)
{
    // In* carry the port; Out* the port and the data (seL4 checks 1 and 2 words).
    const size_t needed =
        is_input(method) ? inv::X86IOPortIn8::word_count : inv::X86IOPortOut8::word_count;
    if (in.length() < needed)
        return SyscallError::truncated_message().because("IOPort: truncated message");
    // Every In* and Out* puts the port in word 0 and Out* the data alone in word 1 (asserted
    // above), so Out32's layout reads all six.
    const auto args = in.arguments<inv::X86IOPortOut32>();
    const PortWidth width = width_of(method);
    const Word port = args.port & PortMask;
    // The access covers `width` ports; the last may lie past 0xffff, which no range contains.
    const Word end = port + static_cast<Word>(width) - 1;
    if (port < cap.first().raw() || end > cap.last().raw())
        return SyscallError::illegal_operation().because(
            "IOPort: access outside the capability's range");
    const Word data = is_input(method) ? 0 : args.data & mask(8 * static_cast<unsigned>(width));
    return PortPlan{IoPort{static_cast<uint16_t>(port)}, width, data};
}

} // namespace

Result<void> invoke_ioport_control_issue(CoreContext& ctx, const Invocation& inv, Slot& control,
                                         IssuedPorts& issued)
{
    auto plan = decode_issue(ctx, inv, issued);
    if (!plan)
        return plan.error();
    const IssuePlan& p = plan.value();
    issued.claim(p.first, p.last);
    insert_derived(IoPortCap::make(p.first, p.last).cap(), control, *p.destination);
    return {};
}

Result<PortReply> invoke_ioport(IoPortMethod method, const Invocation& inv, IoPortCap cap,
                                PortAccess& ports)
{
    auto plan = decode_port(method, inv, cap);
    if (!plan)
        return plan.error();
    const PortPlan& p = plan.value();
    if (is_input(method))
        return PortReply{ports.read(p.port, p.width), 1};
    ports.write(p.port, p.width, p.data);
    return PortReply{0, 0};
}

void release_ioport_range(IoPortCap cap, IssuedPorts& issued)
{
    issued.release(cap.first(), cap.last());
}

} // namespace tessera::core

// Generating and performing operations. Invocations follow the method table below (labels,
// word and capability counts from the generated ABI description), then get spoiled on purpose
// some of the time: wrong labels, lengths, depths, slots, types and capabilities.
#include "operations.h"

#include <stdio.h>
#include <tessera/abi/invocation_decode.h>

namespace fuzz {
namespace {

namespace inv = tessera::abi::invocation;

// What an invocation expects: its target's kind, a letter per argument word (see argument()),
// and the kinds of its extra capabilities.
struct Method {
    seL4_Word label;
    unsigned words;
    unsigned caps;
    Kind target;
    const char* args;
    Kind cap_kinds[Operation::MaxCaps];
};

template <class I>
constexpr Method method(Kind target, const char* args, Kind c0 = Kind::Empty, Kind c1 = Kind::Empty,
                        Kind c2 = Kind::Empty)
{
    return Method{I::label, I::word_count, I::cap_count, target, args, {c0, c1, c2}};
}

constexpr Method Methods[] = {
    method<inv::UntypedRetype>(Kind::Untyped, "tzidon", Kind::CNode),
    method<inv::TCBReadRegisters>(Kind::Tcb, "ffk"),
    method<inv::TCBWriteRegisters>(Kind::Tcb, "ffkvv"),
    method<inv::TCBCopyRegisters>(Kind::Tcb, "fffff", Kind::Tcb),
    method<inv::TCBConfigure>(Kind::Tcb, "cgwv", Kind::CNode, Kind::Pml4, Kind::Frame),
    method<inv::TCBSetPriority>(Kind::Tcb, "p", Kind::Tcb),
    method<inv::TCBSetMCPriority>(Kind::Tcb, "p", Kind::Tcb),
    method<inv::TCBSetSchedParams>(Kind::Tcb, "pp", Kind::Tcb),
    method<inv::TCBSetIPCBuffer>(Kind::Tcb, "v", Kind::Frame),
    method<inv::TCBSetSpace>(Kind::Tcb, "cgw", Kind::CNode, Kind::Pml4),
    method<inv::TCBSuspend>(Kind::Tcb, ""),
    method<inv::TCBResume>(Kind::Tcb, ""),
    method<inv::TCBBindNotification>(Kind::Tcb, "", Kind::Notification),
    method<inv::TCBUnbindNotification>(Kind::Tcb, ""),
    method<inv::TCBSetTLSBase>(Kind::Tcb, "w"),
    method<inv::TCBSetFlags>(Kind::Tcb, "ww"),
    method<inv::CNodeRevoke>(Kind::CNode, "id"),
    method<inv::CNodeDelete>(Kind::CNode, "id"),
    method<inv::CNodeCancelBadgedSends>(Kind::CNode, "id"),
    method<inv::CNodeCopy>(Kind::CNode, "ididr", Kind::CNode),
    method<inv::CNodeMint>(Kind::CNode, "ididrb", Kind::CNode),
    method<inv::CNodeMove>(Kind::CNode, "idid", Kind::CNode),
    method<inv::CNodeMutate>(Kind::CNode, "ididb", Kind::CNode),
    method<inv::CNodeRotate>(Kind::CNode, "idbidbid", Kind::CNode, Kind::CNode),
    method<inv::CNodeSaveCaller>(Kind::CNode, "id"),
    method<inv::X86PDPTMap>(Kind::Pdpt, "va", Kind::Pml4),
    method<inv::X86PDPTUnmap>(Kind::Pdpt, ""),
    method<inv::X86PageDirectoryMap>(Kind::PageDirectory, "va", Kind::Pml4),
    method<inv::X86PageDirectoryUnmap>(Kind::PageDirectory, ""),
    method<inv::X86PageTableMap>(Kind::PageTable, "va", Kind::Pml4),
    method<inv::X86PageTableUnmap>(Kind::PageTable, ""),
    method<inv::X86PageMap>(Kind::Frame, "vra", Kind::Pml4),
    method<inv::X86PageUnmap>(Kind::Frame, ""),
    method<inv::X86PageGetAddress>(Kind::Frame, ""),
    method<inv::X86ASIDControlMakePool>(Kind::AsidControl, "id", Kind::Untyped, Kind::CNode),
    method<inv::X86ASIDPoolAssign>(Kind::AsidPool, "", Kind::Pml4),
};
constexpr unsigned MethodCount = sizeof Methods / sizeof Methods[0];
constexpr seL4_Word HighestLabel = nArchInvocationLabels + 4;
constexpr seL4_Word WorldMapBase = seL4_Word{1} << 30;

class Generator {
public:
    Generator(Prng rng, const Layout& layout) : rng_(rng), layout_(layout) {}

    // A world slot, aimed at `kind` most of the time.
    seL4_Word slot(Kind kind)
    {
        if (kind == Kind::CNode && rng_.chance(40))
            return WorldSelfSlot;
        if (kind != Kind::Empty && rng_.chance(75))
            return layout_.pick(kind, rng_.next());
        if (rng_.chance(60))
            return layout_.pick(Kind(rng_.between(1, unsigned(Kind::Count) - 1)), rng_.next());
        return rng_.below(WorldSlots);
    }

    // Always inside the world (top bit set): a cptr into the root CNode could hit the fuzzer.
    seL4_CPtr cptr(Kind kind)
    {
        if (rng_.chance(4))
            return WorldBit | (rng_.next() >> 1);
        return world_cptr(slot(kind));
    }

    seL4_Word depth()
    {
        if (rng_.chance(60))
            return WorldBits;
        if (rng_.chance(30))
            return layout_.cnode_depth[layout_.pick(Kind::CNode, rng_.next())];
        return rng_.chance(30) ? seL4_Word{seL4_WordBits} : rng_.below(70);
    }

    seL4_Word vaddr()
    {
        switch (rng_.below(6)) {
        case 0: return 0xffff800000000000ull + rng_.below(64) * PageBytes; // kernel half
        case 1: return rng_.next();
        case 2: return WorldMapBase * rng_.between(1, 7) + rng_.below(4) * (seL4_Word{1} << 21);
        default: return WorldMapBase * rng_.between(1, 7) + rng_.below(16) * PageBytes;
        }
    }

    seL4_Word argument(char letter)
    {
        if (rng_.chance(8))
            letter = "tzidonpbrvafkcgw"[rng_.below(16)];
        switch (letter) {
        case 't': return rng_.chance(90) ? rng_.below(seL4_ObjectTypeCount + 2) : rng_.next();
        case 'z': return rng_.chance(90) ? rng_.below(25) : rng_.below(70);
        case 'i': return rng_.chance(85) ? slot(Kind::Empty) : rng_.next() >> rng_.below(64);
        case 'd': return depth();
        case 'o': return rng_.chance(90) ? rng_.below(WorldSlots) : rng_.below(1024);
        case 'n': return rng_.chance(90) ? rng_.between(1, 4) : rng_.below(300);
        case 'p': return rng_.chance(90) ? rng_.below(256) : rng_.next();
        case 'b': return rng_.chance(70) ? rng_.below(64) : rng_.next();
        case 'r': return rng_.below(16);
        case 'v': return vaddr();
        case 'a': return rng_.below(8);
        case 'f': return rng_.chance(90) ? rng_.below(2) : rng_.next();
        case 'k': return rng_.below(24);
        case 'c': return rng_.chance(80) ? slot(Kind::Endpoint) : rng_.next();
        case 'g': return rng_.chance(50) ? 0 : seL4_CNode_CapData_new(rng_.below(4), rng_.below(64)).words[0];
        default: return rng_.chance(50) ? rng_.below(1024) : rng_.next();
        }
    }

    void message(Operation& op, const char* args, unsigned words, unsigned caps, const Kind* cap_kinds)
    {
        op.length = rng_.chance(85) ? words : (rng_.chance(90) ? rng_.below(Operation::MaxWords) : rng_.below(128));
        op.extra_caps = rng_.chance(85) ? caps : rng_.below(Operation::MaxCaps + 1);
        for (unsigned i = 0; i < Operation::MaxWords; ++i)
            op.words[i] = argument(args[0] != 0 && i < words && args[i] != 0 ? args[i] : 'w');
        for (unsigned i = 0; i < Operation::MaxCaps; ++i)
            op.caps[i] = cptr(cap_kinds != nullptr && i < caps ? cap_kinds[i] : Kind::Empty);
        op.receive_slot = rng_.below(WorldSlots);
        op.receive_depth = rng_.chance(90) ? WorldBits : rng_.below(70);
    }

    // An invocation as the table describes it, spoiled some of the time.
    void invocation(Operation& op)
    {
        const Method& m = Methods[rng_.below(MethodCount)];
        op.target = cptr(m.target);
        op.label = rng_.chance(85) ? m.label : (rng_.chance(95) ? rng_.below(HighestLabel) : rng_.next());
        message(op, m.args, m.words, m.caps, m.cap_kinds);
    }

    // A message for IPC: any label and length, capabilities from anywhere in the world.
    void ipc(Operation& op, Kind target)
    {
        op.target = cptr(target);
        op.label = rng_.chance(70) ? rng_.below(64) : rng_.next();
        message(op, "", unsigned(rng_.below(Operation::MaxWords)), unsigned(rng_.below(Operation::MaxCaps + 1)),
                nullptr);
    }

    Kind queue_kind() { return rng_.chance(60) ? Kind::Endpoint : Kind::Notification; }

    Prng& rng() { return rng_; }

private:
    Prng rng_;
    const Layout& layout_;
};

} // namespace

const char* syscall_name(Syscall syscall)
{
    static const char* const names[] = {"Call", "Send", "NBSend", "Recv", "NBRecv", "Reply", "ReplyRecv", "Yield"};
    return names[unsigned(syscall)];
}

Operation control_operation(seL4_Word seed, seL4_Word index, const Layout& layout)
{
    Generator g(Prng::at(seed, 1, index), layout);
    Operation op = {};
    seL4_Word roll = g.rng().below(100);
    if (roll < 80) {
        op.syscall = Syscall::Call;
        g.invocation(op);
    } else if (roll < 95) {
        // No receives: one on an endpoint capability without the right to receive raises a
        // capability fault (as on seL4), and the rights are not visible from here.
        op.syscall = Syscall::NBSend;
        g.ipc(op, g.queue_kind());
    } else if (roll < 97) {
        op.syscall = Syscall::Reply;
        g.ipc(op, Kind::Empty);
    } else {
        op.syscall = Syscall::Yield;
    }
    return op;
}

Operation worker_operation(seL4_Word seed, unsigned worker, seL4_Word turn, seL4_Word index, const Layout& layout)
{
    Generator g(Prng::at(seed, 2 + worker, turn, index), layout);
    Operation op = {};
    // Mostly operations that return at once: a worker that blocks is done for its turn.
    static constexpr Syscall Weighted[] = {
        Syscall::Call,   Syscall::Call,   Syscall::Call,   Syscall::Send,  Syscall::NBSend, Syscall::NBSend,
        Syscall::NBSend, Syscall::NBSend, Syscall::Recv,   Syscall::NBRecv, Syscall::NBRecv, Syscall::NBRecv,
        Syscall::NBRecv, Syscall::Reply,  Syscall::Yield,  Syscall::ReplyRecv};
    op.syscall = Weighted[g.rng().below(sizeof Weighted / sizeof Weighted[0])];
    if (op.syscall == Syscall::Call && g.rng().chance(60))
        g.invocation(op); // a worker's invocations: the same kernel paths from another thread
    else
        g.ipc(op, g.queue_kind());
    op.may_fault = g.rng().chance(10); // the fault goes to a world endpoint (world.cc)
    return op;
}

seL4_Word perform(const Operation& op, bool may_block)
{
    seL4_IPCBuffer* buffer = seL4_GetIPCBuffer();
    for (unsigned i = 0; i < Operation::MaxWords; ++i)
        seL4_SetMR(int(i), op.words[i]);
    // Words past the generated ones are zero, not whatever the last message left: a replay
    // must send exactly what the first run sent.
    for (seL4_Word i = Operation::MaxWords; i < (op.length & 127) && i < seL4_MsgMaxLength; ++i)
        seL4_SetMR(int(i), 0);
    for (unsigned i = 0; i < Operation::MaxCaps; ++i)
        seL4_SetCap(int(i), op.caps[i]);
    buffer->receiveCNode = world_cptr(WorldSelfSlot);
    buffer->receiveIndex = op.receive_slot;
    buffer->receiveDepth = op.receive_depth;
    const seL4_MessageInfo_t info =
        seL4_MessageInfo_new(op.label & ((seL4_Word{1} << 52) - 1), 0, op.extra_caps & 3, op.length & 127);
    // seL4's cap_endpoint_cap and cap_notification_cap tags; 0 when the lookup fails.
    constexpr seL4_Word EndpointTag = 4, NotificationTag = 6;
    Syscall syscall = op.syscall;
    const bool sends = syscall == Syscall::Call || syscall == Syscall::Send;
    const bool receives = syscall == Syscall::Recv || syscall == Syscall::NBRecv || syscall == Syscall::ReplyRecv;
    if (!may_block || !op.may_fault) {
        // Blocking sends to nothing, and receives from anything but an endpoint or a
        // notification, raise a capability fault; the control thread also never waits, and
        // a notification bound to another thread faults its receiver.
        const seL4_Word tag = (sends || receives) ? seL4_DebugCapIdentify(op.target) : EndpointTag;
        // An extra capability that cannot be looked up faults a blocking send too; only the
        // deliberately bad cptrs (beyond the world's slots) fail to resolve.
        bool bad_extra = false;
        for (unsigned i = 0; i < (op.extra_caps & 3) && i < Operation::MaxCaps; ++i)
            bad_extra = bad_extra || (op.caps[i] & ~WorldBit) >= WorldSlots;
        if (sends && (tag == 0 || bad_extra || (!may_block && tag == EndpointTag)))
            syscall = Syscall::NBSend;
        if (receives && (tag != EndpointTag && (may_block ? tag != NotificationTag : true)))
            syscall = Syscall::NBSend;
    }
    seL4_Word badge = 0;
    switch (syscall) {
    case Syscall::Call: return seL4_MessageInfo_get_label(seL4_Call(op.target, info));
    case Syscall::Send: seL4_Send(op.target, info); return NoReply;
    case Syscall::NBSend: seL4_NBSend(op.target, info); return NoReply;
    case Syscall::Recv: return seL4_MessageInfo_get_label(seL4_Recv(op.target, &badge));
    case Syscall::NBRecv: return seL4_MessageInfo_get_label(seL4_NBRecv(op.target, &badge));
    case Syscall::Reply: seL4_Reply(info); return NoReply;
    case Syscall::ReplyRecv: return seL4_MessageInfo_get_label(seL4_ReplyRecv(op.target, info, &badge));
    case Syscall::Yield: seL4_Yield(); return NoReply;
    }
    return NoReply;
}

void print_operation(seL4_Word index, const Operation& op)
{
    if (op.syscall == Syscall::Yield) {
        printf("  #%lu Yield\n", (unsigned long)index);
        return;
    }
    printf("  #%lu %s target=%#lx label=%lu length=%lu caps=%lu [%#lx %#lx %#lx] recv=%lu/%lu words=[", (unsigned long)index,
           syscall_name(op.syscall), (unsigned long)op.target, (unsigned long)op.label, (unsigned long)op.length,
           (unsigned long)op.extra_caps, (unsigned long)op.caps[0], (unsigned long)op.caps[1],
           (unsigned long)op.caps[2], (unsigned long)op.receive_slot, (unsigned long)op.receive_depth);
    seL4_Word shown = op.length < Operation::MaxWords ? op.length : Operation::MaxWords;
    for (seL4_Word i = 0; i < shown; ++i)
        printf(i == 0 ? "%#lx" : " %#lx", (unsigned long)op.words[i]);
    printf("]\n");
}

} // namespace fuzz

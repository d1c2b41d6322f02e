// Linux's rules (kernel/signal.c do_sigaltstack, sas_ss_flags, sigsp): a thread running on its
// alternate stack cannot change it; SS_AUTODISARM is kept beside the mode and makes the stack
// "not on it" for nesting; a disabled stack reports SS_DISABLE with base and size 0.
#include "core/signal/alternate_stack.h"

#include "linux/constants.h"

namespace tessera::posix {

namespace {
using namespace linux::signal;
} // namespace

int32_t AlternateStack::flags_at(uint64_t sp) const
{
    if (size == 0)
        return StackDisable;
    return ((flags & StackAutoDisarm) == 0 && holds(sp) ? StackOnStack : 0) | flags;
}

linux::StackT AlternateStack::describe(uint64_t sp) const
{
    return {base, flags_at(sp), 0, size};
}

Result<void> AlternateStack::change(const linux::StackT& wanted, uint64_t sp)
{
    if ((flags & StackAutoDisarm) == 0 && size != 0 && holds(sp))
        return Errno::Perm;
    const int32_t mode = wanted.flags & ~StackAutoDisarm;
    if (mode != StackDisable && mode != StackOnStack && mode != 0)
        return Errno::Inval;
    if (mode == StackDisable) {
        *this = {};
        return {};
    }
    if (wanted.size < MinStackSize)
        return Errno::NoMem;
    base = wanted.base;
    size = wanted.size;
    flags = wanted.flags & StackAutoDisarm;
    return {};
}

uint64_t AlternateStack::frame_top(uint64_t below, uint64_t sp, uint64_t action_flags) const
{
    if ((action_flags & OnStack) && size != 0 && (flags_at(sp) & StackOnStack) == 0)
        return base + size;
    return below;
}

} // namespace tessera::posix

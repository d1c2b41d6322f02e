// A thread's alternate signal stack (sigaltstack): where a handler with SA_ONSTACK runs, and
// what sigaltstack and a signal frame's uc_stack report of it, by Linux's rules.
#pragma once

#include <stdint.h>

#include "core/result.h"
#include "linux/structures.h"

namespace tessera::posix {

struct AlternateStack {
    uint64_t base = 0;
    uint64_t size = 0; // 0: disabled
    int32_t flags = 0; // SS_AUTODISARM, as given

    // Whether `sp` is on this stack (its top included: the stack grows down).
    bool holds(uint64_t sp) const { return sp > base && sp - base <= size; }
    // ss_flags as Linux reports them for a thread at `sp`: SS_DISABLE, SS_ONSTACK or 0, with
    // SS_AUTODISARM when set.
    int32_t flags_at(uint64_t sp) const;
    // The stack as sigaltstack's old value and uc_stack show it to a thread at `sp`.
    linux::StackT describe(uint64_t sp) const;
    // sigaltstack's change for a thread at `sp`: EPERM while on the stack, EINVAL for flags other
    // than 0, SS_ONSTACK or SS_DISABLE (with SS_AUTODISARM), ENOMEM below MINSIGSTKSZ.
    Result<void> change(const linux::StackT& wanted, uint64_t sp);
    // Where a handler's frame goes for a thread at `sp` (after the red zone, at `below`): the
    // stack's top when the action has SA_ONSTACK and the thread is not on it already.
    uint64_t frame_top(uint64_t below, uint64_t sp, uint64_t action_flags) const;
};

} // namespace tessera::posix

// The register suite's groups, and what they share with the IPC suite (tests/system/ipc/suite.h:
// the allocator, workers and object helpers, reused rather than written again).
#pragma once

#include "register_check.h"
#include "suite.h"

#include <tessera/alloc.h>

namespace register_suite {

inline seL4_CPtr raw_cap(ipc_suite::Thread* thread)
{
    return tessera::libos::raw(thread->tcb());
}

void ipc_exit_tests();
void kernel_reply_tests();
void fault_exit_tests();
void preemption_tests();

} // namespace register_suite

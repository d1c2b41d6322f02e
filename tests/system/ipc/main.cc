// The in-system suite for threads, scheduling, IPC, notifications and faults (issue 5), written
// against the libsel4-compatible API and the library OS. One line per test, then the summary.
#include "suite.h"

#include <tessera/runtime.h>

int main(void)
{
    if (!ipc_suite::init_environment(tessera_boot_info()))
        return 1;
    ipc_suite::thread_library_tests();
    ipc_suite::pingpong_tests();
    ipc_suite::length_tests();
    ipc_suite::capability_tests();
    ipc_suite::endpoint_semantics_tests();
    ipc_suite::notification_tests();
    ipc_suite::scheduling_tests();
    ipc_suite::fault_tests();
    ipc_suite::tcb_tests();
    ipc_suite::fpu_tests();
    ipc_suite::cross_space_tests();
    return libos_suite::summary();
}

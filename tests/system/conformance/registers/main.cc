// seL4's register rules on every way out of the kernel, checked with hand-written assembly
// callers (probes.S). A plain seL4 root task: it runs unchanged on Tessera and on seL4's own
// kernel, and both must print the same results (issue 15).
#include "register_scenarios.h"

#include <tessera/runtime.h>

int main(void)
{
    if (!ipc_suite::init_environment(tessera_boot_info()))
        return 1;
    register_suite::ipc_exit_tests();
    register_suite::kernel_reply_tests();
    register_suite::fault_exit_tests();
    register_suite::preemption_tests();
    return libos_suite::summary();
}

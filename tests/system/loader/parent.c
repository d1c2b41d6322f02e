/* A parent protection domain: its child faults on purpose, and the fault must arrive here, in
 * fault(), with the child's id, seL4's VM-fault label and the faulting address. */
#include <microkit.h>
#include <stdio.h>

#include "child.h"

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    const struct {
        const char *name;
        int ok;
    } checks[] = {
        {"children.fault.reaches_parent_with_child_id", child == CHILD_ID},
        {"children.fault.is_a_vm_fault", microkit_msginfo_get_label(msginfo) == seL4_Fault_VMFault},
        {"children.fault.names_the_address", microkit_mr_get(seL4_VMFault_Addr) == CHILD_BAD_ADDRESS},
    };
    const unsigned total = sizeof checks / sizeof checks[0];
    unsigned failed = 0;
    for (unsigned i = 0; i < total; ++i) {
        printf("%s: %s\n", checks[i].name, checks[i].ok ? "pass" : "FAIL");
        failed += checks[i].ok ? 0 : 1;
    }
    printf("%u passed, %u failed\n", total - failed, failed);
    /* No reply: the child stays stopped. */
    return 0;
}

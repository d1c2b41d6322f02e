/* The grandchild of the nested-manager checks (tests/system/manager): a child of a manager that is
 * itself a child of the static manager. It signals its route 0, a <parent/> route that its manager
 * serves with its own route to the static manager's channel 1 (the tester), once, then suspends
 * itself as pulse.c does: no runtime, so it fits a nested manager's small RAM. */
#include <sel4/sel4.h>

#include "child_slots.h"

void _start(void)
{
    seL4_Signal(MANAGER_CHILD_ROUTE_BASE + 0);
    for (;;) {
        seL4_Word badge = 0, info = 0, mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;
        x64_sys_send_recv(seL4_SysCall, seL4_CapInitThreadTCB, &badge,
                          seL4_MessageInfo_new(TCBSuspend, 0, 0, 0).words[0], &info, &mr0, &mr1,
                          &mr2, &mr3);
    }
}

// A child that serves: each call on its service endpoint is answered with MR0 + 1 and the
// caller's badge (which the manager gives each client: 1 + its index).
#include <sel4/sel4.h>

#include "child_slots.h"

int main(void)
{
    seL4_Word badge = 0;
    seL4_Recv(MANAGER_CHILD_SERVICE_SLOT, &badge);
    for (;;) {
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        seL4_SetMR(1, badge);
        seL4_ReplyRecv(MANAGER_CHILD_SERVICE_SLOT, seL4_MessageInfo_new(0, 0, 0, 2), &badge);
    }
}

// A server that answers each call with the label of its caller as the manager tells it (docs/
// dynamic.md, "Sessions and labels"): MR0 = 1000 + the label's length, the label from MR1 on; a
// caller whose label the manager does not give gets 0.
#include <sel4/sel4.h>
#include <string.h>

#include "manager_session.h"

int main()
{
    seL4_Word badge = 0;
    seL4_Recv(MANAGER_CHILD_SERVICE_SLOT, &badge);
    for (;;) {
        char label[MANAGER_SESSION_LABEL_BYTES + 1];
        const bool told = manager_session_client_label(badge, label, sizeof label) == MANAGER_SESSION_OK;
        const size_t length = told ? strlen(label) : 0;
        seL4_SetMR(0, told ? 1000 + length : 0);
        manager_session_pack(1, label, length);
        seL4_ReplyRecv(MANAGER_CHILD_SERVICE_SLOT, seL4_MessageInfo_new(0, 0, 0, 1 + (length + 7) / 8), &badge);
    }
}

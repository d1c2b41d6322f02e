/* The service's parent: restarts it when main asks, between two of main's requests. The entry
 * point comes from the child's registers before it first runs (the supervisor runs first: its
 * priority is higher), so the service's program needs no test code. */
#include <microkit.h>
#include <stdio.h>

#include "suite.h"

static seL4_Word service_entry;
static unsigned restarts;

void init(void)
{
    seL4_UserContext registers = {0};
    seL4_Error error = seL4_TCB_ReadRegisters(MICROKIT_BASE_TCB_CAP + SERVICE_CHILD, 0, 0, 1, &registers);
    if (error != seL4_NoError)
        printf("supervisor: cannot read the service's registers (%d)\n", (int)error);
    service_entry = registers.rip;
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    if (ch != SUPERVISOR_CHANNEL || microkit_msginfo_get_label(msginfo) != RESTART_SERVICE)
        return microkit_msginfo_new(1, 0);
    printf("supervisor: restarting the service\n");
    /* Stopped first: a thread waiting for its next request is not restartable (seL4 restarts
     * only stopped threads), and its wait would swallow that request. */
    microkit_pd_stop(SERVICE_CHILD);
    microkit_pd_restart(SERVICE_CHILD, service_entry);
    microkit_mr_set(0, ++restarts);
    return microkit_msginfo_new(0, 1);
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    printf("supervisor: the service (child %u) faulted (label %lu)\n", child,
           (unsigned long)microkit_msginfo_get_label(msginfo));
    return seL4_False;
}

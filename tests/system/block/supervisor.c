/* The virtio-blk driver's parent in the restart suite: when the client asks (channel 0) and the
 * device holds requests (the driver's status page says so), it stops the driver wherever it is and
 * starts it again from its entry, as a supervisor restarts a failed driver, once; a fault of the
 * driver is handled the same way. The client keeps asking after every answer until then, so the
 * kill always loses requests on the device, which the virtualiser must send again. */
#include <microkit.h>
#include <stdio.h>

#include "driver_status.h"

#define DRIVER 0 /* child id */
#define CLIENT 0 /* channel */

uintptr_t driver_status = 1;
static unsigned restarts;

static void restart(const char *why)
{
    volatile struct tessera_driver_status *status = (volatile struct tessera_driver_status *)driver_status;
    microkit_pd_stop(DRIVER);
    ++restarts;
    printf("supervisor: %s: restarting the driver (it started %llu times so far)\n", why,
           (unsigned long long)status->starts);
    microkit_pd_restart(DRIVER, status->entry);
}

void init(void) {}

void notified(microkit_channel ch)
{
    volatile struct tessera_driver_status *status = (volatile struct tessera_driver_status *)driver_status;
    if (ch != CLIENT || restarts != 0 || status->at_device == 0)
        return;
    printf("supervisor: the device holds %llu requests\n", (unsigned long long)status->at_device);
    restart("asked by the client");
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)reply;
    printf("supervisor: driver %u faulted (label %lu)\n", child, (unsigned long)microkit_msginfo_get_label(msginfo));
    restart("after a fault");
    return seL4_False;
}

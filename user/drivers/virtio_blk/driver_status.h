/* A page a driver may share with the parent that restarts it: where to restart it, and how
 * many times it started. C11 and C++20. */
#ifndef TESSERA_DRIVER_STATUS_H
#define TESSERA_DRIVER_STATUS_H

#include <stdint.h>

struct tessera_driver_status {
    uint64_t entry;     /* the program's _start, for microkit_pd_restart */
    uint64_t starts;    /* init() runs so far */
    uint64_t at_device; /* requests the device holds, as the driver last left them */
};

#endif

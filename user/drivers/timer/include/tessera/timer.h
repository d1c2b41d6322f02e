/* The timer protocol: protected procedure calls to a timer (the HPET driver, or the timer service
 * that multiplexes it) and a notification back when a timeout expires. Labels 0 and 1 are those
 * of seL4's sDDF timer protocol, so an sDDF timer client works against either. Times are
 * nanoseconds on the HPET's clock, counted from when the driver started it. C11 and C++20;
 * tessera/timer_client.h wraps the calls for a Microkit client. docs/drivers.md ("Timer") is the
 * guide.
 *
 *   label                        message registers in        reply (label: tessera_timer_status)
 *   0 TESSERA_TIMER_GET_TIME     -                           MR0 = now
 *   1 TESSERA_TIMER_SET_TIMEOUT  MR0 = ns from now [MR1 = slot, default 0]
 *   2 TESSERA_TIMER_SET_DEADLINE MR0 = absolute ns, MR1 = slot
 *   3 TESSERA_TIMER_CANCEL       MR0 = slot                  MR0 = 1 if it was pending
 *   4 TESSERA_TIMER_EXPIRED      -                           MR0 = slots expired since the last
 *                                                                  call, one bit each (service)
 *
 * Each client has TESSERA_TIMER_SLOTS timeouts (the driver: one, slot 0). Setting a slot again
 * replaces its timeout. A deadline already past expires at once. When timeouts expire the timer
 * notifies the client's channel once; the service's client then asks EXPIRED which ones. */
#ifndef TESSERA_TIMER_H
#define TESSERA_TIMER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum tessera_timer_label {
    TESSERA_TIMER_GET_TIME = 0,
    TESSERA_TIMER_SET_TIMEOUT = 1,
    TESSERA_TIMER_SET_DEADLINE = 2,
    TESSERA_TIMER_CANCEL = 3,
    TESSERA_TIMER_EXPIRED = 4,
};

enum tessera_timer_status {
    TESSERA_TIMER_OK = 0,
    TESSERA_TIMER_BAD_SLOT = 1,        /* slot not below the timer's slot count */
    TESSERA_TIMER_TOO_FAR = 2,         /* more than TESSERA_TIMER_MAX_TIMEOUT_NS from now */
    TESSERA_TIMER_BAD_REQUEST = 3,     /* unknown label or too few message registers */
    TESSERA_TIMER_TOO_MANY_CLIENTS = 4,/* the service has no room for another client */
    TESSERA_TIMER_NO_DEVICE = 5,       /* the driver found no usable HPET */
};

/* Timeouts per client of the timer service; the driver keeps one per channel. */
#define TESSERA_TIMER_SLOTS 64u
/* The furthest a timeout may lie ahead: 2^62 ns, about 146 years. Further is TESSERA_TIMER_TOO_FAR
 * (a caller's overflow, not a plan). */
#define TESSERA_TIMER_MAX_TIMEOUT_NS (1ull << 62)

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_TIMER_H */

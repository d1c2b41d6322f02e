/* A Microkit client of the timer protocol (tessera/timer.h): one call each, on the channel whose
 * other end is the timer service (or the HPET driver, slot 0 only). C11 and C++20.
 *
 *   uint64_t now = tessera_timer_now(TIMER);
 *   tessera_timer_set_timeout(TIMER, 3, 5000000);   // slot 3: 5 ms from now
 *   ...
 *   void notified(microkit_channel ch) {
 *       if (ch == TIMER) {
 *           uint64_t fired = tessera_timer_expired(TIMER);   // bit 3 set
 *       }
 *   }
 */
#ifndef TESSERA_TIMER_CLIENT_H
#define TESSERA_TIMER_CLIENT_H

#include <microkit.h>
#include <tessera/timer.h>

static inline uint64_t tessera_timer_now(microkit_channel timer)
{
    (void)microkit_ppcall(timer, microkit_msginfo_new(TESSERA_TIMER_GET_TIME, 0));
    return microkit_mr_get(0);
}

/* Returns a tessera_timer_status. */
static inline enum tessera_timer_status tessera_timer_set_timeout(microkit_channel timer,
                                                                  unsigned int slot,
                                                                  uint64_t nanoseconds)
{
    microkit_mr_set(0, nanoseconds);
    microkit_mr_set(1, slot);
    const microkit_msginfo reply =
        microkit_ppcall(timer, microkit_msginfo_new(TESSERA_TIMER_SET_TIMEOUT, 2));
    return (enum tessera_timer_status)microkit_msginfo_get_label(reply);
}

static inline enum tessera_timer_status tessera_timer_set_deadline(microkit_channel timer,
                                                                   unsigned int slot,
                                                                   uint64_t deadline)
{
    microkit_mr_set(0, deadline);
    microkit_mr_set(1, slot);
    const microkit_msginfo reply =
        microkit_ppcall(timer, microkit_msginfo_new(TESSERA_TIMER_SET_DEADLINE, 2));
    return (enum tessera_timer_status)microkit_msginfo_get_label(reply);
}

/* 1 if the slot's timeout was pending (it will not fire now), 0 if not, -1 on a bad slot. */
static inline int tessera_timer_cancel(microkit_channel timer, unsigned int slot)
{
    microkit_mr_set(0, slot);
    const microkit_msginfo reply =
        microkit_ppcall(timer, microkit_msginfo_new(TESSERA_TIMER_CANCEL, 1));
    if (microkit_msginfo_get_label(reply) != TESSERA_TIMER_OK)
        return -1;
    return (int)microkit_mr_get(0);
}

/* The slots that expired since the last call, one bit each (timer service only). */
static inline uint64_t tessera_timer_expired(microkit_channel timer)
{
    const microkit_msginfo reply =
        microkit_ppcall(timer, microkit_msginfo_new(TESSERA_TIMER_EXPIRED, 0));
    if (microkit_msginfo_get_label(reply) != TESSERA_TIMER_OK)
        return 0;
    return microkit_mr_get(0);
}

#endif /* TESSERA_TIMER_CLIENT_H */

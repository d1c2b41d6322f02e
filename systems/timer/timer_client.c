/* The timer system's clients, one program for four protection domains that differ by name:
 *   alpha, beta  eight timeouts each through the timer service, relative and absolute, their
 *                deadlines interleaved with the other's, one cancelled: each must fire once, in
 *                deadline order, never early;
 *   gamma        every kind of bad call, a flood of 64 slots set ten times and cancelled, a
 *                deadline in the past, then one ordinary timeout that must still work;
 *   delta        the HPET driver directly, as an sDDF client: one timeout, slot 0 only.
 * Checks go into the shared results page (results.h); the monitor prints them, so that nothing
 * here prints while other clients run. */
#include <microkit.h>
#include <stdint.h>
#include <string.h>
#include <tessera/timer_client.h>

#include "results.h"

#define TIMER 0 /* the channel to the service, or to the driver for delta */
#define MS 1000000ull
#define LATE_LIMIT_NS (200 * MS) /* catches a lost interrupt, not a slow host */

/* Patched by the tool (setvar_vaddr): the results page. */
__attribute__((section(".data"))) uintptr_t results;

static struct timer_client_result *me;
static uint64_t deadline[TESSERA_TIMER_SLOTS];
static uint64_t expected;  /* slots that must fire */
static uint64_t cancelled; /* slots that must not */
static uint64_t fired;

static void check(const char *name, int ok)
{
    if (ok) {
        me->passed++;
        return;
    }
    if (me->failed++ == 0)
        strncpy(me->first_failure, name, sizeof me->first_failure - 1);
}

static void finish_if_done(void)
{
    if (fired != expected || me->done)
        return;
    uint32_t count = 0;
    for (uint64_t bits = fired; bits != 0; bits &= bits - 1)
        count++;
    me->fired = count;
    __atomic_store_n(&me->done, 1, __ATOMIC_RELEASE);
}

/* Eight timeouts, `offset_ms[slot]` after `start`; odd slots by absolute deadline. */
static void plan(const uint64_t offset_ms[8], unsigned cancel_slot)
{
    const uint64_t start = tessera_timer_now(TIMER);
    for (unsigned slot = 0; slot < 8; ++slot) {
        deadline[slot] = start + offset_ms[slot] * MS;
        enum tessera_timer_status status;
        if (slot % 2 == 1) {
            status = tessera_timer_set_deadline(TIMER, slot, deadline[slot]);
        } else {
            /* The service counts from its own clock, a little after `now`: the deadline it
             * keeps is at or after the one noted here. On a slow host `now` may be past it. */
            const uint64_t now = tessera_timer_now(TIMER);
            const uint64_t relative = deadline[slot] > now ? deadline[slot] - now : 0;
            if (relative == 0)
                deadline[slot] = now;
            status = tessera_timer_set_timeout(TIMER, slot, relative);
        }
        check("set", status == TESSERA_TIMER_OK);
        if (status == TESSERA_TIMER_OK)
            expected |= 1ull << slot;
    }
    check("cancel_pending", tessera_timer_cancel(TIMER, cancel_slot) == 1);
    expected &= ~(1ull << cancel_slot);
    cancelled |= 1ull << cancel_slot;
}

static void bad_calls(void)
{
    check("bad_slot", tessera_timer_set_timeout(TIMER, TESSERA_TIMER_SLOTS, MS) ==
                          TESSERA_TIMER_BAD_SLOT);
    check("too_far_relative", tessera_timer_set_timeout(TIMER, 0, ~0ull) == TESSERA_TIMER_TOO_FAR);
    check("too_far_absolute", tessera_timer_set_deadline(TIMER, 0, ~0ull) == TESSERA_TIMER_TOO_FAR);
    check("cancel_bad_slot", tessera_timer_cancel(TIMER, 99) == -1);
    check("unknown_label", microkit_msginfo_get_label(microkit_ppcall(
                               TIMER, microkit_msginfo_new(77, 0))) == TESSERA_TIMER_BAD_REQUEST);
    check("missing_registers",
          microkit_msginfo_get_label(microkit_ppcall(
              TIMER, microkit_msginfo_new(TESSERA_TIMER_SET_TIMEOUT, 0))) ==
              TESSERA_TIMER_BAD_REQUEST);
    /* A flood: every slot set ten times far ahead, then all cancelled. Nothing may fire. */
    const uint64_t later = tessera_timer_now(TIMER) + 10000 * MS;
    int all_set = 1, all_cancelled = 1;
    for (int round = 0; round < 10; ++round)
        for (unsigned slot = 2; slot < TESSERA_TIMER_SLOTS; ++slot)
            all_set &= tessera_timer_set_deadline(TIMER, slot, later + slot) == TESSERA_TIMER_OK;
    for (unsigned slot = 2; slot < TESSERA_TIMER_SLOTS; ++slot) {
        all_cancelled &= tessera_timer_cancel(TIMER, slot) == 1;
        cancelled |= 1ull << slot;
    }
    check("flood_set", all_set);
    check("flood_cancelled", all_cancelled);
    /* A deadline in the past fires at once; an ordinary one still works after all that. */
    deadline[0] = 0;
    check("past_deadline", tessera_timer_set_deadline(TIMER, 0, 0) == TESSERA_TIMER_OK);
    const uint64_t now = tessera_timer_now(TIMER);
    deadline[1] = now + 3 * MS;
    check("after_flood", tessera_timer_set_timeout(TIMER, 1, 3 * MS) == TESSERA_TIMER_OK);
    expected = 3;
}

static void driver_client(void)
{
    const uint64_t first = tessera_timer_now(TIMER);
    const uint64_t second = tessera_timer_now(TIMER);
    check("driver_time_monotonic", second >= first && first > 0);
    check("driver_one_slot", tessera_timer_set_timeout(TIMER, 1, MS) == TESSERA_TIMER_BAD_SLOT);
    /* sDDF's form: the time alone, in MR0. */
    deadline[0] = tessera_timer_now(TIMER) + 2 * MS;
    microkit_mr_set(0, 2 * MS);
    check("driver_sddf_set_timeout",
          microkit_msginfo_get_label(microkit_ppcall(
              TIMER, microkit_msginfo_new(TESSERA_TIMER_SET_TIMEOUT, 1))) == TESSERA_TIMER_OK);
    expected = 1;
}

void init(void)
{
    struct timer_results *all = (struct timer_results *)results;
    for (unsigned i = 0; i < TIMER_CLIENTS; ++i)
        if (strcmp(microkit_name, timer_client_names[i]) == 0)
            me = &all->clients[i];
    if (me == 0)
        return;
    static const uint64_t alpha[8] = {8, 2, 6, 4, 12, 10, 14, 16};
    static const uint64_t beta[8] = {1, 9, 3, 7, 5, 13, 11, 15};
    if (me == &all->clients[0])
        plan(alpha, 5);
    else if (me == &all->clients[1])
        plan(beta, 6);
    else if (me == &all->clients[2])
        bad_calls();
    else
        driver_client();
}

void notified(microkit_channel ch)
{
    if (ch != TIMER || me == 0 || me->done)
        return;
    const uint64_t now = tessera_timer_now(TIMER);
    const uint64_t batch = tessera_timer_expired(TIMER);
    check("notified_with_something", batch != 0);
    check("cancelled_never_fire", (batch & cancelled) == 0);
    check("each_fires_once", (batch & fired) == 0);
    for (unsigned slot = 0; slot < TESSERA_TIMER_SLOTS; ++slot) {
        if ((batch & (1ull << slot)) == 0)
            continue;
        check("never_early", now >= deadline[slot]);
        const uint64_t late = now >= deadline[slot] ? now - deadline[slot] : 0;
        if (slot != 0 || deadline[0] != 0) /* the past deadline's lateness means nothing */
            check("not_very_late", late < LATE_LIMIT_NS);
        if (late > me->max_late_ns && deadline[slot] != 0)
            me->max_late_ns = late;
        /* Every earlier deadline of this client has fired before, or fires with this one. */
        for (unsigned other = 0; other < TESSERA_TIMER_SLOTS; ++other)
            if ((expected & (1ull << other)) && deadline[other] < deadline[slot])
                check("in_deadline_order", ((fired | batch) & (1ull << other)) != 0);
    }
    fired |= batch & expected;
    finish_if_done();
}

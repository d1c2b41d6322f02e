/* Pong: squares the round number ping calls with, reads ping's token through its own read-only
 * mapping, answers each notification with one back, and checks that every notification follows
 * the call of the same round. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>

#include "checks.h"
#include "protocol.h"

uintptr_t shared_buffer = 1;

static seL4_Word calls;
static seL4_Word notifications;
static unsigned out_of_order;

void init(void)
{
    check("pingpong.pong.setvar_vaddr", shared_buffer == 0x3000000);
    check("pingpong.pong.channel_masks",
          microkit_notifications == 1u << PING_CHANNEL && microkit_pps == 0);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    if (ch != PING_CHANNEL)
        return microkit_msginfo_new(0, 0);
    if (microkit_msginfo_get_label(msginfo) == LABEL_REPORT) {
        check("pingpong.pong.notifications_followed_their_calls", out_of_order == 0);
        microkit_mr_set(0, calls);
        microkit_mr_set(1, notifications);
        microkit_mr_set(2, check_counts.passed);
        microkit_mr_set(3, check_counts.failed);
        return microkit_msginfo_new(0, 4);
    }
    const seL4_Word round = microkit_mr_get(0);
    out_of_order += round != calls; /* rounds arrive as 0, 1, 2, ... */
    calls++;
    microkit_mr_set(0, round * round);
    microkit_mr_set(1, *(const volatile uint64_t *)shared_buffer);
    return microkit_msginfo_new(0, 2);
}

void notified(microkit_channel ch)
{
    if (ch != PING_CHANNEL)
        return;
    notifications++;
    out_of_order += notifications != calls; /* each round: the call, then the notification */
    microkit_notify(PING_CHANNEL);
}

/* One node of a ring of protection domains: channel 0 comes from the previous node, channel 1
 * goes to the next. Node "ring0" starts the token and counts its laps; the other nodes pass it
 * on with microkit_deferred_notify, which the runtime sends when the node next waits. */
#include <microkit.h>
#include <stdio.h>
#include <string.h>

#define FROM_PREVIOUS 0
#define TO_NEXT 1
#define LAPS 3

static unsigned laps;

static int is_first(void)
{
    return strcmp(microkit_name, "ring0") == 0;
}

void init(void)
{
    if (is_first())
        microkit_notify(TO_NEXT);
}

void notified(microkit_channel ch)
{
    if (ch != FROM_PREVIOUS) {
        printf("%s: notified on channel %u, expected %u\n", microkit_name, ch, FROM_PREVIOUS);
        return;
    }
    if (!is_first()) {
        microkit_deferred_notify(TO_NEXT);
        return;
    }
    if (++laps < LAPS) {
        microkit_notify(TO_NEXT);
        return;
    }
    printf("ring.token_went_round_%u_times: pass\n", LAPS);
    printf("1 passed, 0 failed\n");
}

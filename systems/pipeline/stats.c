/* The stats server: keeps the count, sum, minimum and maximum of the samples it is given, and
 * answers queries; reached only by protected procedure call. */
#include <microkit.h>
#include <stdint.h>

#include "protocol.h"

static uint64_t count, sum, minimum = UINT64_MAX, maximum;

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    if (ch != STATS_FROM_FILTER)
        return microkit_msginfo_new(0, 0);
    switch (microkit_msginfo_get_label(msginfo)) {
    case STATS_RECORD: {
        const uint64_t sample = microkit_mr_get(0);
        count++;
        sum += sample;
        minimum = sample < minimum ? sample : minimum;
        maximum = sample > maximum ? sample : maximum;
        microkit_mr_set(0, count);
        return microkit_msginfo_new(0, 1);
    }
    case STATS_QUERY:
        microkit_mr_set(0, count);
        microkit_mr_set(1, sum);
        microkit_mr_set(2, minimum);
        microkit_mr_set(3, maximum);
        return microkit_msginfo_new(0, 4);
    default:
        return microkit_msginfo_new(0, 0);
    }
}

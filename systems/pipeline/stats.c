/* The stats server: keeps the count, sum, minimum and maximum of the samples it is given, and
 * answers queries. It provides the typed interface "stats" of pipeline.system: the generated
 * stats.h decodes each call, checks it, calls the functions below and encodes the reply. */
#include <microkit.h>
#include <stdint.h>

#include "stats.h"

static uint64_t count, sum, minimum = UINT64_MAX, maximum;

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
}

int stats_serve_record(microkit_channel ch, uint64_t sample, uint64_t *result)
{
    (void)ch;
    count++;
    sum += sample;
    minimum = sample < minimum ? sample : minimum;
    maximum = sample > maximum ? sample : maximum;
    *result = count;
    return 0;
}

int stats_serve_query(microkit_channel ch, uint64_t *samples, uint64_t *total, uint64_t *low, uint64_t *high)
{
    (void)ch;
    *samples = count;
    *total = sum;
    *low = minimum;
    *high = maximum;
    return 0;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    return stats_stats_dispatch(ch, msginfo);
}

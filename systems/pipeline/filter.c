/* The filter: takes the sensor's samples from the shared ring, records each with the stats
 * server through the typed interface "stats" (the generated stats.h), and at the end checks the
 * server's statistics against its own, tells the sensor it is done and reports to the monitor. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>

#include "checks.h"
#include "protocol.h"
#include "ring.h"
#include "stats.h"

uintptr_t samples = 1; /* setvar_vaddr */

static uint64_t taken, sum, minimum = UINT64_MAX, maximum;
static unsigned out_of_order, miscounted;

static void record(uint64_t sample)
{
    out_of_order += sample != sample_value(taken);
    taken++;
    sum += sample;
    minimum = sample < minimum ? sample : minimum;
    maximum = sample > maximum ? sample : maximum;
    uint64_t recorded = 0;
    miscounted += stats_record(STATS_FILTER, sample, &recorded) != 0 || recorded != taken;
}

static void finish(struct ring *ring)
{
    check("pipeline.filter.samples_in_order", out_of_order == 0);
    check("pipeline.filter.stats_counted_each_call", miscounted == 0);
    uint64_t samples = 0, total = 0, low = 0, high = 0;
    const int status = stats_query(STATS_FILTER, &samples, &total, &low, &high);
    if (!check("pipeline.filter.stats_query_reply", status == 0))
        printf("filter: stats query: %s\n", stats_status_name(status));
    check("pipeline.filter.stats_count", samples == SAMPLE_COUNT);
    check("pipeline.filter.stats_sum", total == sum);
    check("pipeline.filter.stats_minimum_and_maximum", low == minimum && high == maximum);
    printf("filter: %lu samples, mean %lu, range %lu..%lu\n", (unsigned long)taken,
           (unsigned long)(sum / taken), (unsigned long)minimum, (unsigned long)maximum);
    ring_finish(ring, taken, sum, check_counts.passed, check_counts.failed);
    microkit_notify(FILTER_TO_SENSOR);
    microkit_mr_set(0, check_counts.passed);
    microkit_mr_set(1, check_counts.failed);
    microkit_ppcall(FILTER_TO_MONITOR, microkit_msginfo_new(MONITOR_REPORT, 2));
}

void init(void)
{
}

void notified(microkit_channel ch)
{
    if (ch != FILTER_TO_SENSOR)
        return;
    struct ring *ring = (struct ring *)samples;
    while (!ring_is_empty(ring))
        record(ring_pop(ring));
    if (taken == SAMPLE_COUNT)
        finish(ring);
    else
        microkit_notify(FILTER_TO_SENSOR); /* there is space again */
}

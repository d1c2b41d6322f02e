/* The sensor: pushes its readings into the ring it shares with the filter, waiting for the
 * filter's notification whenever the ring is full; once the filter has them all it checks the
 * filter's tally and reports to the monitor. */
#include <microkit.h>
#include <stdint.h>

#include "checks.h"
#include "protocol.h"
#include "ring.h"

uintptr_t samples = 1; /* setvar_vaddr */

static uint64_t produced;
static unsigned times_full;

static void produce(void)
{
    times_full += ring_fill((struct ring *)samples, &produced, SAMPLE_COUNT, sample_value);
    microkit_notify(SENSOR_TO_FILTER);
}

static void report(const struct ring *ring)
{
    uint64_t sum = 0;
    for (uint64_t i = 0; i < SAMPLE_COUNT; ++i)
        sum += sample_value(i);
    check("pipeline.sensor.filter_took_every_sample", ring->consumed_count == SAMPLE_COUNT);
    check("pipeline.sensor.filter_sum_matches", ring->consumed_sum == sum);
    check("pipeline.sensor.waited_for_space", times_full >= SAMPLE_COUNT / RING_SLOTS - 1);
    microkit_mr_set(0, check_counts.passed);
    microkit_mr_set(1, check_counts.failed);
    microkit_ppcall(SENSOR_TO_MONITOR, microkit_msginfo_new(MONITOR_REPORT, 2));
}

void init(void)
{
    produce();
}

void notified(microkit_channel ch)
{
    if (ch != SENSOR_TO_FILTER)
        return;
    const struct ring *ring = (const struct ring *)samples;
    if (ring_is_done(ring))
        report(ring);
    else if (produced < SAMPLE_COUNT)
        produce();
}

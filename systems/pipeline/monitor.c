/* The monitor: collects each component's check counts by protected procedure call and, once
 * every component has reported, prints the system's summary line. */
#include <microkit.h>
#include <stdio.h>

#include "checks.h"
#include "protocol.h"

static const char *const reporters[MONITOR_REPORTERS] = {
    [MONITOR_FROM_SENSOR] = "sensor",
    [MONITOR_FROM_FILTER] = "filter",
    [MONITOR_FROM_SUPERVISOR] = "supervisor",
};
static unsigned reported_mask;

void init(void)
{
    printf("monitor: waiting for %u components\n", MONITOR_REPORTERS);
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    if (ch >= MONITOR_REPORTERS || microkit_msginfo_get_label(msginfo) != MONITOR_REPORT ||
        microkit_msginfo_get_count(msginfo) != 2) {
        check("pipeline.monitor.well_formed_report", 0);
        return microkit_msginfo_new(0, 0);
    }
    const unsigned passed = (unsigned)microkit_mr_get(0), failed = (unsigned)microkit_mr_get(1);
    printf("monitor: %s reported %u passed, %u failed\n", reporters[ch], passed, failed);
    check("pipeline.monitor.one_report_per_component", (reported_mask & (1u << ch)) == 0);
    reported_mask |= 1u << ch;
    check_add(passed, failed);
    if (reported_mask == (1u << MONITOR_REPORTERS) - 1)
        check_summary();
    return microkit_msginfo_new(0, 0);
}

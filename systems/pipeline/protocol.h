/* What the pipeline's protection domains agree on (systems/pipeline.system): channel ids as each
 * side numbers them, call labels, the samples and the jobs. The stats server's interface is typed:
 * its channels and labels are in the generated stats.h. */
#ifndef PIPELINE_PROTOCOL_H
#define PIPELINE_PROTOCOL_H

#include <stdint.h>

/* Channel ids, named from the side that uses them. */
#define SENSOR_TO_FILTER 0
#define SENSOR_TO_MONITOR 1
#define FILTER_TO_SENSOR 0
#define FILTER_TO_MONITOR 2
#define SUPERVISOR_TO_WORKER 0
#define SUPERVISOR_TO_MONITOR 1
#define WORKER_TO_SUPERVISOR 0
#define MONITOR_FROM_SENSOR 0
#define MONITOR_FROM_FILTER 1
#define MONITOR_FROM_SUPERVISOR 2
#define MONITOR_REPORTERS 3

#define WORKER_CHILD_ID 0 /* the worker's id as the supervisor's child */

/* Protected procedure calls. */
#define MONITOR_REPORT 3 /* mr0 checks passed, mr1 checks failed; empty reply */

/* The sensor's readings: more than the ring holds, so it must wait for the filter. */
#define SAMPLE_COUNT 64u
static inline uint64_t sample_value(uint64_t index)
{
    return 20 + (index * 37) % 50;
}

/* The worker's jobs, in a region it shares with its supervisor. One job carries a bad pointer:
 * the worker faults on it, and the supervisor restarts the worker past that job. */
#define JOB_COUNT 6u
#define POISONED_JOB 3u
#define POISON_ADDRESS 0xdead000ul
#define MAX_RESTARTS 3u

struct jobs {
    uint64_t restart_entry; /* where the worker's program starts, for microkit_pd_restart */
    uint32_t next;          /* the job the worker is on */
    uint32_t restarts;
    uint64_t input[JOB_COUNT];
    uint64_t output[JOB_COUNT];
};

static inline uint64_t job_result(uint64_t input)
{
    return input * input + 1;
}

#endif

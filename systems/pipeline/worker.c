/* The worker, a child of the supervisor: works through the job list in the region they share,
 * recording its progress there. One job holds a bad pointer; the fault goes to the supervisor
 * (Microkit: a child's faults go to its parent), which restarts the worker past that job. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>

#include "protocol.h"

uintptr_t jobs_area = 1; /* setvar_vaddr */

void _start(void); /* the program's entry (user/lib/microkit/start.S) */

void init(void)
{
    /* volatile: the supervisor reads the progress after a fault, so every step must be stored. */
    volatile struct jobs *jobs = (volatile struct jobs *)jobs_area;
    jobs->restart_entry = (uintptr_t)_start;
    printf("worker: starting at job %u\n", jobs->next);
    for (; jobs->next < JOB_COUNT; jobs->next++) {
        uint64_t input = jobs->input[jobs->next];
        if (jobs->next == POISONED_JOB)
            input = *(const volatile uint64_t *)POISON_ADDRESS;
        jobs->output[jobs->next] = job_result(input);
    }
    microkit_notify(WORKER_TO_SUPERVISOR);
}

void notified(microkit_channel ch)
{
    (void)ch;
}

/* The supervisor: hands its child, the worker, a list of jobs in a shared region. When the
 * worker faults, fault() reports it and restarts the worker past the faulting job; when the
 * worker notifies that it is done, the supervisor checks the results and reports to the monitor. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>

#include "checks.h"
#include "protocol.h"

uintptr_t jobs_area = 1; /* setvar_vaddr */

void init(void)
{
    struct jobs *jobs = (struct jobs *)jobs_area;
    for (unsigned i = 0; i < JOB_COUNT; ++i)
        jobs->input[i] = i + 2;
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    struct jobs *jobs = (struct jobs *)jobs_area;
    const seL4_Word address = microkit_mr_get(seL4_VMFault_Addr);
    printf("supervisor: child %u faulted (fault label %lu, address 0x%lx) during job %u\n", child,
           (unsigned long)microkit_msginfo_get_label(msginfo), (unsigned long)address, jobs->next);
    check("pipeline.supervisor.fault_names_the_worker", child == WORKER_CHILD_ID);
    check("pipeline.supervisor.fault_is_a_vm_fault",
          microkit_msginfo_get_label(msginfo) == seL4_Fault_VMFault);
    check("pipeline.supervisor.fault_address", address == POISON_ADDRESS);
    check("pipeline.supervisor.fault_during_the_poisoned_job", jobs->next == POISONED_JOB);
    if (++jobs->restarts > MAX_RESTARTS) {
        printf("supervisor: the worker keeps faulting; stopping it\n");
        microkit_pd_stop(child);
        return seL4_False;
    }
    /* Skip the job and start the worker again; no reply, which would retry the bad read. */
    jobs->next++;
    printf("supervisor: restarting the worker at job %u\n", jobs->next);
    microkit_pd_restart(child, jobs->restart_entry);
    return seL4_False;
}

void notified(microkit_channel ch)
{
    if (ch != SUPERVISOR_TO_WORKER)
        return;
    const struct jobs *jobs = (const struct jobs *)jobs_area;
    unsigned wrong = 0;
    for (unsigned i = 0; i < JOB_COUNT; ++i)
        wrong += jobs->output[i] != (i == POISONED_JOB ? 0 : job_result(i + 2));
    check("pipeline.supervisor.worker_restarted_once", jobs->restarts == 1);
    check("pipeline.supervisor.worker_finished_every_job", jobs->next == JOB_COUNT);
    check("pipeline.supervisor.results_except_the_poisoned_job", wrong == 0);
    microkit_mr_set(0, check_counts.passed);
    microkit_mr_set(1, check_counts.failed);
    microkit_ppcall(SUPERVISOR_TO_MONITOR, microkit_msginfo_new(MONITOR_REPORT, 2));
}

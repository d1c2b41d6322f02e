// Scheduler benchmarks: the null system call and a thread switch through seL4_Yield.
//
// null_syscall is seL4_SysBenchmarkNullSyscall (-22), which does nothing in seL4's benchmark
// configuration. Whether this kernel accepts it is asked first, by a probe thread whose fault
// endpoint the root task listens on: an unknown system call arrives as seL4's UnknownSyscall
// fault instead of stopping the suite. A kernel that refuses it gets `yield_alone` instead:
// seL4_Yield with nothing else runnable at the caller's priority, a system call that enters the
// scheduler but switches nowhere, reported under its own name rather than as null_syscall.
#include <sel4/sel4.h>

#include "bench_thread.h"
#include "benchmarks.h"
#include "kernel_objects.h"
#include "suite.h"

namespace tessera::bench {
namespace {

// The probe's message when the call came back: any label but a fault's.
constexpr seL4_Word ProbeReturnedLabel = 0x6e756c6c;
seL4_CPtr probe_endpoint;

void null_syscall()
{
    x64_sys_null(seL4_SysBenchmarkNullSyscall);
}

void probe_null_syscall(seL4_Word)
{
    null_syscall();
    seL4_Send(probe_endpoint, seL4_MessageInfo_new(ProbeReturnedLabel, 0, 0, 0));
}

enum class NullSyscall { Accepted, Refused };

// Starts the probe below the root task's priority and waits for what it sends.
seL4_Error probe(KernelObjects& objects, NullSyscall& answer)
{
    const Made endpoint = objects.make(seL4_EndpointObject);
    if (!endpoint.ok())
        return endpoint.error;
    probe_endpoint = endpoint.cap;
    BenchThread& thread = BenchThread::slot(0);
    const seL4_Error error =
        thread.start(objects, {seL4_CapInitThreadVSpace, seL4_MaxPrio - 1, endpoint.cap, probe_null_syscall, 0});
    if (error == seL4_NoError) {
        const seL4_MessageInfo_t info = seL4_Recv(endpoint.cap, nullptr);
        answer = seL4_MessageInfo_get_label(info) == ProbeReturnedLabel ? NullSyscall::Accepted : NullSyscall::Refused;
    }
    thread.destroy();
    return error;
}

// Both threads run this at the same priority: each sample runs from one thread's start
// timestamp through its seL4_Yield to the other thread's end timestamp, i.e. one switch.
volatile Timestamp last_start;
volatile bool have_start;
SampleSet* yield_samples;

void yield_ping_pong(seL4_Word)
{
    while (!yield_samples->is_full()) {
        const Timestamp now = end_timestamp();
        if (have_start)
            yield_samples->add(ticks_between(last_start, now));
        have_start = true;
        last_start = start_timestamp();
        seL4_Yield();
    }
}

void yield_switch(Suite& suite, KernelObjects& objects)
{
    const char* name = "yield_switch";
    suite.samples().restart();
    yield_samples = &suite.samples();
    have_start = false;
    BenchThread& partner = BenchThread::slot(0);
    const seL4_Error error =
        partner.start(objects, {seL4_CapInitThreadVSpace, seL4_MaxPrio, seL4_CapNull, yield_ping_pong, 0});
    if (error != seL4_NoError) {
        partner.destroy();
        return suite.refused(name, "threads (TCB invocations)", error);
    }
    yield_ping_pong(0);
    partner.destroy();
    suite.report(name);
}

} // namespace

void run_scheduler_benchmarks(Suite& suite, KernelObjects& objects)
{
    NullSyscall answer = NullSyscall::Refused;
    const seL4_Error error = probe(objects, answer);
    if (error != seL4_NoError) {
        suite.refused("null_syscall", "threads (TCB invocations)", error);
        suite.refused("yield_switch", "threads (TCB invocations)", error);
        return;
    }
    if (answer == NullSyscall::Accepted) {
        suite.measure("null_syscall", [] {
            const Timestamp start = start_timestamp();
            null_syscall();
            return Sample{true, ticks_between(start, end_timestamp())};
        });
    } else {
        suite.skip("null_syscall", "the kernel refuses seL4_SysBenchmarkNullSyscall; measuring yield_alone");
        suite.measure("yield_alone", [] {
            const Timestamp start = start_timestamp();
            seL4_Yield();
            return Sample{true, ticks_between(start, end_timestamp())};
        });
    }
    yield_switch(suite, objects);
}

} // namespace tessera::bench

// Fault benchmark: an unknown system call answered by a fault handler in another address space,
// the POSIX personality's path (every Linux system call of a program it runs arrives so).
//
// fault_roundtrip_cross_as: a thread in the root task's address space executes `syscall` with a
// number seL4 does not know; the kernel sends seL4's UnknownSyscall fault message (19 words: the
// general registers, FaultIP, SP, FLAGS, the number) to the thread's fault endpoint, where a
// handler in the second address space waits. The handler answers as an emulator does: label 0,
// RAX set to a result, FaultIP past the `syscall` instruction, the other registers as received,
// with seL4_ReplyRecv (length through FaultIP, so SP and FLAGS stay). One sample is the faulting
// thread's time around its `syscall` until it continues after it with the result.
#include <sel4/sel4.h>
#include <tessera/runtime.h>

#include "bench_thread.h"
#include "benchmarks.h"
#include "kernel_objects.h"
#include "suite.h"

namespace tessera::bench {
namespace {

// Far from every number seL4 and Tessera give a meaning (they are negative).
constexpr seL4_Word UnknownSyscallNumber = 0x1234;
constexpr seL4_Word EmulatedResult = 0x600d;
constexpr seL4_Word SyscallInstructionBytes = 2;

struct Shared {
    seL4_CPtr fault_endpoint;
    seL4_CPtr done;
    SampleSet* samples;
    volatile bool result_wrong;
};
Shared shared;

// The handler's loop, as an emulator's: it never looks at anything but the fault's label.
void fault_handler(seL4_Word)
{
    seL4_MessageInfo_t info = seL4_Recv(shared.fault_endpoint, nullptr);
    for (;;) {
        if (seL4_MessageInfo_get_label(info) != seL4_Fault_UnknownSyscall)
            shared.result_wrong = true;
        seL4_SetMR(seL4_UnknownSyscall_RAX, EmulatedResult);
        seL4_SetMR(seL4_UnknownSyscall_FaultIP,
                   seL4_GetMR(seL4_UnknownSyscall_FaultIP) + SyscallInstructionBytes);
        info = seL4_ReplyRecv(shared.fault_endpoint,
                              seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_FaultIP + 1), nullptr);
    }
}

// The system call nobody knows. The reply writes every general register back as the kernel
// sent it except RAX; rcx and r11 are the `syscall` instruction's own. The thread leaves the
// kernel by `sysretq`, which leaves rsp = 0 as on seL4 (docs/abi.md), so the stack pointer
// waits in rbx as libsel4's stubs keep it.
seL4_Word unknown_syscall()
{
    seL4_Word result;
    seL4_Word number = UnknownSyscallNumber;
    asm volatile("mov %%rsp, %%rbx\n\tsyscall\n\tmov %%rbx, %%rsp"
                 : "=a"(result), "+d"(number)
                 :
                 : "rbx", "rcx", "r11", "memory");
    return result;
}

void faulting_thread(seL4_Word)
{
    while (!shared.samples->is_full()) {
        const Timestamp start = start_timestamp();
        const seL4_Word result = unknown_syscall();
        const Timestamp end = end_timestamp();
        if (result != EmulatedResult)
            shared.result_wrong = true;
        shared.samples->add(ticks_between(start, end));
    }
    seL4_Signal(shared.done);
    for (;;)
        seL4_Wait(shared.done, nullptr); // the root task deletes this thread
}

} // namespace

void run_fault_benchmarks(Suite& suite, KernelObjects& objects)
{
    constexpr const char* Name = "fault_roundtrip_cross_as";
    const Made endpoint = objects.make(seL4_EndpointObject);
    const Made done = objects.make(seL4_NotificationObject);
    OtherAddressSpace other;
    seL4_Error error = endpoint.ok() ? done.error : endpoint.error;
    if (error == seL4_NoError)
        error = other.create(objects, *tessera_boot_info());
    if (error != seL4_NoError)
        return suite.refused(Name, "the fault endpoint and the second address space", error);
    shared = {endpoint.cap, done.cap, &suite.samples(), false};
    suite.samples().restart();
    // The handler at the faulting thread's priority, as a server is: the kernel switches to it
    // because the faulting thread blocks, not because it is higher.
    BenchThread& handler = BenchThread::slot(0);
    BenchThread& faulting = BenchThread::slot(1);
    error = handler.start(objects, {other.vspace(), seL4_MaxPrio - 1, seL4_CapNull, fault_handler, 0});
    if (error == seL4_NoError)
        error = faulting.start(objects,
                               {seL4_CapInitThreadVSpace, seL4_MaxPrio - 1, endpoint.cap, faulting_thread, 0});
    if (error == seL4_NoError)
        seL4_Wait(done.cap, nullptr);
    faulting.destroy();
    handler.destroy();
    if (error != seL4_NoError)
        return suite.refused(Name, "threads (TCB invocations)", error);
    if (shared.result_wrong)
        return suite.fail(Name, "the emulated result or the fault label did not arrive");
    suite.report(Name);
}

} // namespace tessera::bench

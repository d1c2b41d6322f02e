// The probe thread runs on a stack of the loader's and never touches thread-local storage or an
// IPC buffer: its debug call passes everything in registers and it ends with ud2.
#include "kernel_probe.h"

#include <sel4/sel4.h>

namespace tessera::loader {
namespace {

using libos::check;
using libos::make_error;
using libos::raw;

alignas(16) unsigned char probe_stack[4096];

[[noreturn]] void probe_entry()
{
    (void)seL4_DebugCapIdentify(seL4_CapInitThreadTCB);
    __builtin_trap();
}

// Below the loader's own priority, so it runs only once the loader waits for it.
constexpr seL4_Word ProbePriority = 100;

libos::Result<DebugCalls> run_probe(const alloc::Object& tcb, const alloc::Object& endpoint)
{
    auto done = check(seL4_TCB_Configure(raw(tcb.cap), raw(endpoint.cap), seL4_CapInitThreadCNode, 0,
                                         seL4_CapInitThreadVSpace, 0, 0, seL4_CapNull),
                      "configure the probe thread");
    if (done)
        done = check(seL4_TCB_SetPriority(raw(tcb.cap), seL4_CapInitThreadTCB, ProbePriority),
                     "set the probe thread's priority");
    if (!done)
        return done.error();
    seL4_UserContext registers{};
    registers.rip = reinterpret_cast<seL4_Word>(&probe_entry);
    // The ABI wants rsp + 8 aligned to 16 at a function's entry, as after a call.
    registers.rsp = reinterpret_cast<seL4_Word>(probe_stack + sizeof probe_stack) - 8;
    constexpr seL4_Word Count = sizeof registers / sizeof(seL4_Word);
    done = check(seL4_TCB_WriteRegisters(raw(tcb.cap), 1, 0, Count, &registers),
                 "start the probe thread");
    if (!done)
        return done.error();
    seL4_Word badge = 0;
    const seL4_MessageInfo_t fault = seL4_Recv(raw(endpoint.cap), &badge);
    switch (seL4_MessageInfo_get_label(fault)) {
    case seL4_Fault_UnknownSyscall: return DebugCalls::Absent;
    case seL4_Fault_UserException: return DebugCalls::Present;
    default: return make_error(seL4_IllegalOperation, "the probe thread faulted unexpectedly");
    }
}

} // namespace

libos::Result<DebugCalls> probe_debug_calls(alloc::ObjectAllocator& objects)
{
    auto tcb = objects.tcb();
    if (!tcb)
        return tcb.error();
    auto endpoint = objects.endpoint();
    if (!endpoint) {
        (void)objects.free(tcb.value());
        return endpoint.error();
    }
    auto answer = run_probe(tcb.value(), endpoint.value());
    // Deleting the TCB's only capability destroys the thread, wherever it stopped.
    (void)objects.free(tcb.value());
    (void)objects.free(endpoint.value());
    return answer;
}

} // namespace tessera::loader

// What the IPC suite's groups share: the root task's allocator and address space, workers (threads
// in the root task's address space, made with user/lib/thread), and small object helpers. Each
// group prints one line per test through tests/system/libos/check.h.
#pragma once

#include "check.h"

#include <initializer_list>
#include <sel4/sel4.h>
#include <tessera/thread/thread.h>

namespace ipc_suite {

using libos_suite::check;
using libos_suite::check_error;
using tessera::thread::Thread;

// The root task runs at seL4's maximum priority; workers default to below it, so a worker runs
// only when the root task blocks, unless a test says otherwise.
constexpr seL4_Word RootPriority = seL4_MaxPrio;
constexpr seL4_Word WorkerPriority = 200;

// Sets up the process-wide allocator and VSpace; false (after printing why) if that fails.
bool init_environment(const seL4_BootInfo* boot_info);

// A new kernel object, its capability in a fresh slot of the root CNode; seL4_CapNull on failure.
seL4_CPtr make(seL4_Word type);
// A copy of `source` with `rights` and `badge`, in a fresh slot; seL4_CapNull on failure.
seL4_CPtr mint(seL4_CPtr source, seL4_CapRights_t rights, seL4_Word badge);
// An empty slot of the root CNode (a receive slot, say); seL4_CapNull when none is left.
seL4_CPtr empty_slot();
// Deletes a capability of the root CNode; the kernel's answer.
seL4_Error delete_cap(seL4_CPtr cap);
// seL4_DebugCapIdentify: seL4's capType tag of the capability, 0 for an empty slot.
seL4_Word cap_type(seL4_CPtr cap);

using Entry = void* (*)(void* argument);

// Creates a worker running entry(argument) at `priority`, with `fault_endpoint` (a slot of the
// shared root CNode, or seL4_CapNull). nullptr, after printing why, if it could not be made.
Thread* spawn(Entry entry, void* argument, seL4_Word priority = WorkerPriority,
              seL4_CPtr fault_endpoint = seL4_CapNull);
// Like spawn, but not started: for tests of the TCB invocations themselves.
Thread* create_stopped(seL4_Word priority = WorkerPriority,
                       seL4_CPtr fault_endpoint = seL4_CapNull);
// Waits until the worker's entry has returned and gives its result.
void* join(Thread* worker);
// Deletes the worker wherever it is (blocked, faulted, finished) and gives its slot back.
void destroy(Thread* worker);
// Joins every worker in order, then destroys them all.
void finish(std::initializer_list<Thread*> workers);

// One message a worker sends or receives: set up by the root task, written by the worker, read
// by the root task after joining.
struct Exchange {
    seL4_CPtr endpoint;
    seL4_Word word;
    volatile bool returned;
    volatile seL4_Word label;
    volatile seL4_Word badge;
    volatile seL4_Word received_word;
};
// Worker entries: receive one message on exchange.endpoint; send (or Call) exchange.word on it.
void* receive_word(void* exchange);
void* send_word(void* exchange);
void* call_word(void* exchange);

inline seL4_MessageInfo_t message(seL4_Word label, seL4_Word length, seL4_Word extra_caps = 0)
{
    return seL4_MessageInfo_new(label, 0, extra_caps, length);
}

// Lets every ready worker of a priority at or above `priority` run until it blocks, by
// lowering the root task's priority below it for a moment.
void let_run(seL4_Word priority);

// The groups, in the order main() runs them.
void thread_library_tests();
void pingpong_tests();
void length_tests();
void cross_space_tests();
void capability_tests();
void endpoint_semantics_tests();
void notification_tests();
void scheduling_tests();
void fault_tests();
void tcb_tests();
void fpu_tests();

} // namespace ipc_suite

// The thread library on the real kernel: each thread has its own copy of thread-local storage
// (from the program's template, with the self pointer at FS base), reaches its own IPC buffer
// through it, has a guard page below its stack that faults, and the C interface starts and joins.
#include "suite.h"

#include <tessera/thread.h>

extern "C" void ipc_fault_write(seL4_Word address, seL4_Word value);

namespace ipc_suite {
namespace {

thread_local seL4_Word tls_word = 7;
thread_local seL4_Word tls_zero;

seL4_Word fs_base_word()
{
    seL4_Word value;
    asm volatile("mov %%fs:0, %0" : "=r"(value));
    return value;
}

struct TlsSeen {
    seL4_Word initial_word, initial_zero, self_pointer, ipc_buffer;
};

void* look_at_tls(void* argument)
{
    TlsSeen& seen = *static_cast<TlsSeen*>(argument);
    seen.initial_word = tls_word;
    seen.initial_zero = tls_zero;
    seen.self_pointer = fs_base_word();
    seen.ipc_buffer = reinterpret_cast<seL4_Word>(seL4_GetIPCBuffer());
    tls_word = 1234;
    tls_zero = 5678;
    return nullptr;
}

void* add_one(void* argument)
{
    return static_cast<char*>(argument) + 1;
}

void* write_below_stack(void* argument)
{
    ipc_fault_write(*static_cast<seL4_Word*>(argument), 1);
    return nullptr;
}

} // namespace

void thread_library_tests()
{
    // The root task's own copies change; a new thread still starts from the template.
    tls_word = 99;
    tls_zero = 98;
    TlsSeen seen{};
    Thread* worker = spawn(look_at_tls, &seen);
    const seL4_Word tls_base = worker ? worker->tls_base().raw() : 0;
    const seL4_Word ipc_buffer = worker ? worker->ipc_buffer().raw() : 0;
    finish({worker});
    check("thread.tls.own_copy_of_template", seen.initial_word == 7 && seen.initial_zero == 0);
    check("thread.tls.root_copy_untouched", tls_word == 99 && tls_zero == 98);
    check("thread.tls.self_pointer_at_fs_base", tls_base != 0 && seen.self_pointer == tls_base);
    check("thread.tls.ipc_buffer_pointer", seen.ipc_buffer == ipc_buffer && ipc_buffer != 0);

    // The guard page below the stack is unmapped: touching it is a VM fault there.
    const seL4_CPtr faults = make(seL4_EndpointObject);
    worker = create_stopped(WorkerPriority, faults);
    seL4_Word guard = worker ? worker->reservation().base.raw() + 0xff8 : 0;
    if (worker)
        (void)worker->start(write_below_stack, &guard);
    seL4_Word badge = 0;
    const seL4_MessageInfo_t fault = seL4_Recv(faults, &badge);
    check("thread.stack_guard_page_faults",
          seL4_MessageInfo_get_label(fault) == seL4_Fault_VMFault &&
              seL4_GetMR(seL4_VMFault_Addr) == guard);
    destroy(worker);

    // The C interface, on the process-wide allocator and VSpace.
    static tessera_thread_t handle;
    char text[] = "xy";
    void* result = nullptr;
    const bool ok =
        tessera_thread_create(&handle, 2, WorkerPriority, seL4_CapNull) == seL4_NoError &&
        tessera_thread_start(&handle, add_one, text) == seL4_NoError &&
        tessera_thread_join(&handle, &result) == seL4_NoError;
    check("thread.c_api.start_and_join", ok && result == text + 1);
    check_error("thread.c_api.destroy", tessera_thread_destroy(&handle), seL4_NoError);
}

} // namespace ipc_suite

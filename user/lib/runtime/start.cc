// Runtime start-up: thread-local storage and the IPC buffer, the heap, the console and exit hooks,
// constructors, main(), exit. The root task gets the BootInfo (rdi); a process the ELF loader
// started gets none and its IPC buffer's address instead (rsi).
#include <stdio.h>
#include <tessera/libc.h>
#include <tessera/runtime.h>

#include "exit_device.h"
#include "tls.h"

namespace {

seL4_BootInfo* boot_info = nullptr;
// The root task's free slots when it started, kept for its exit: the BootInfo frame may be gone.
seL4_SlotRegion boot_empty_slots{};

// Components run with a static heap until they map more memory themselves.
constexpr size_t HeapSize = 1u << 20;
alignas(64) unsigned char heap[HeapSize];

void debug_console_put(void*, char c)
{
    seL4_DebugPutChar(c);
}

void exit_handler(int status)
{
    tessera_exit(status);
}

} // namespace

extern "C" uint64_t tessera_runtime_entry_tsc; // written by crt0.S

extern "C" uint64_t tessera_entry_tsc(void)
{
    return tessera_runtime_entry_tsc;
}

extern "C" uint64_t tessera_tsc_now(void)
{
    uint32_t low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return uint64_t{high} << 32 | low;
}

extern "C" seL4_BootInfo* tessera_boot_info(void)
{
    return boot_info;
}

extern "C" void tessera_exit(int status)
{
    if (status != 0)
        printf("exit status %d\n", status);
    if (boot_info == nullptr) {
        // Only the root task owns the machine; any other process just stops. Its TCB is in
        // seL4's root-task slot, where the ELF loader puts it; a stray resume stops it again.
        for (;;)
            (void)seL4_TCB_Suspend(seL4_CapInitThreadTCB);
    }
    // The exit device works on every kernel with seL4's ABI; Tessera's exit call and seL4's halt
    // are the fallbacks for a root task that gave its I/O port control away.
    tessera::runtime::write_exit_device(boot_empty_slots, seL4_Word(status));
    if (status != 0)
        tessera_DebugExit(seL4_Word(status));
    seL4_DebugHalt();
    for (;;) {
    }
}

extern "C" [[noreturn]] void tessera_runtime_start(seL4_BootInfo* info, seL4_IPCBuffer* ipc_buffer)
{
    boot_info = info;
    if (info != nullptr)
        boot_empty_slots = info->empty;
    tessera_set_output(debug_console_put, nullptr);
    const uintptr_t thread_pointer = tessera::runtime::init_initial_thread_tls();
    if (thread_pointer == 0) {
        printf("runtime: the program's thread-local data does not fit the initial TLS area\n");
        tessera_exit(1);
    }
    seL4_SetTLSBase(thread_pointer);
    if (info != nullptr)
        seL4_InitBootInfo(info); // sets the IPC buffer from info->ipcBuffer
    else
        seL4_SetIPCBuffer(ipc_buffer);
    tessera_heap_init(heap, sizeof(heap));
    tessera_set_exit_handler(exit_handler);
    tessera_run_constructors();
    tessera_exit(main());
}

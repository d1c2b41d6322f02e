// A thread in the caller's own address space: TCB, IPC buffer, its own thread-local storage, and
// a stack with unmapped guard pages below it, so an overflow faults instead of corrupting memory.
// join() waits on a notification the finished thread signals; the thread then suspends itself.
#pragma once

#include <tessera/runtime/tls.h>
#include <tessera/vspace/vspace.h>

namespace tessera::thread {

using libos::CPtr;
using libos::Result;
using libos::VAddr;

using Entry = void* (*)(void* argument);

struct ThreadConfig {
    seL4_Word stack_pages = 4;
    seL4_Word guard_pages = 1;
    seL4_Word priority = 254;
    CPtr priority_authority{seL4_CapInitThreadTCB};
    CPtr fault_endpoint = libos::NullCap; // a slot of the caller's CSpace, which the thread shares
    CPtr cspace_root{seL4_CapInitThreadCNode};
    seL4_Word cspace_root_data = 0;
    // The template of the thread's TLS block: the program's own unless a test says otherwise. The
    // thread reaches its IPC buffer through thread-local storage, as libsel4 programs do.
    runtime::TlsImage tls = runtime::program_tls_image();
};

enum class State : uint8_t { Empty, Created, Running, Finished };

class Thread {
public:
    // Allocates the TCB and the join notification, maps the stack, the TLS area and the IPC buffer
    // in `vspace` (the address space whose root is the caller's own: the TLS block is written
    // through it), configures the TCB and sets its TLS base. The Thread must stay where it is
    // until destroyed: the new thread receives its address.
    Result<void> create(alloc::ObjectAllocator& objects, vspace::VSpace& vspace,
                        const ThreadConfig& config);
    // Starts `entry(argument)` on the new thread. IllegalOperation unless freshly created.
    Result<void> start(Entry entry, void* argument);
    // Waits until the thread's entry has returned, and gives its return value.
    Result<void*> join();
    // Suspends the thread if it still runs, and frees everything create() took.
    Result<void> destroy();

    State state() const;
    CPtr tcb() const { return tcb_.cap; }
    VAddr stack_top() const { return stack_top_; }
    VAddr ipc_buffer() const { return ipc_buffer_; }
    // The thread pointer (FS base): the word there is its own address, the TLS block lies below.
    VAddr tls_base() const { return tls_base_; }
    const vspace::Reservation& reservation() const { return reservation_; }

    // What the new thread runs, up to suspending itself: installs the IPC buffer, calls the
    // entry, publishes the result and signals the joiner. Public for the entry stub and tests.
    void run_body();

private:
    alloc::ObjectAllocator* objects_ = nullptr;
    vspace::VSpace* vspace_ = nullptr;
    alloc::Object tcb_;
    alloc::Object done_; // notification signalled when the entry has returned
    vspace::Reservation reservation_;
    VAddr stack_top_;
    VAddr ipc_buffer_;
    VAddr tls_base_;
    Entry entry_ = nullptr;
    void* argument_ = nullptr;
    void* result_ = nullptr;
    State state_ = State::Empty; // Finished is written by the thread, read by the joiner
};

} // namespace tessera::thread

// Thread creation, start, join and destruction. A thread's range of the caller's address space is
// [guard pages][stack][TLS area][IPC buffer]; only the guard stays unmapped.
#include <tessera/libos/kernel_calls.h>
#include <tessera/thread/thread.h>

namespace tessera::thread {

using libos::check;
using libos::make_error;
using libos::PageSize;
using libos::raw;

namespace {

// The first code a new thread runs (rdi = its Thread). It never returns: after the body it
// suspends itself, and a stray resume finds it suspending again.
[[noreturn]] void thread_entry(Thread* self)
{
    self->run_body();
    for (;;)
        (void)seL4_TCB_Suspend(raw(self->tcb()));
}

} // namespace

State Thread::state() const
{
    return __atomic_load_n(&state_, __ATOMIC_ACQUIRE);
}

Result<void> Thread::create(alloc::ObjectAllocator& objects, vspace::VSpace& vspace,
                            const ThreadConfig& config)
{
    if (state_ != State::Empty)
        return make_error(seL4_IllegalOperation, "thread: in use");
    if (config.stack_pages == 0 || config.guard_pages == 0)
        return make_error(seL4_RangeError, "thread: stack and guard must not be empty");
    const seL4_Word tls_bytes = runtime::tls_area_size(config.tls);
    if (tls_bytes == 0)
        return make_error(seL4_InvalidArgument, "thread: malformed TLS image");
    const seL4_Word tls_pages = (tls_bytes + PageSize - 1) / PageSize;

    // The stack grows down towards the guard.
    const seL4_Word mapped_pages = config.stack_pages + tls_pages + 1;
    auto reservation = vspace.reserve(config.guard_pages + mapped_pages);
    if (!reservation)
        return reservation.error();
    const VAddr stack_bottom = reservation.value().base + config.guard_pages * PageSize;
    const VAddr tls_area = stack_bottom + config.stack_pages * PageSize;
    const VAddr ipc_buffer = tls_area + tls_pages * PageSize;
    auto mapped = vspace.map_new_pages(stack_bottom, mapped_pages, seL4_ReadWrite);
    if (!mapped) {
        (void)vspace.release(reservation.value());
        return mapped.error();
    }
    // The new thread's copy of every thread-local variable, __sel4_ipc_buffer among them.
    const VAddr tls_base{runtime::tls_layout(config.tls, reinterpret_cast<void*>(tls_area.raw()),
                                             tls_pages * PageSize)};
    auto tcb = objects.tcb();
    auto done = tcb ? objects.notification() : Result<alloc::Object>(tcb.error());
    Result<void> step = done ? Result<void>() : Result<void>(done.error());
    if (step) {
        step = check(seL4_TCB_Configure(raw(tcb.value().cap), raw(config.fault_endpoint),
                                        raw(config.cspace_root), config.cspace_root_data,
                                        raw(vspace.root()), 0, ipc_buffer.raw(),
                                        raw(vspace.lookup(ipc_buffer)->frame.cap)),
                     "thread: configure TCB");
    }
    if (step) {
        step = check(seL4_TCB_SetTLSBase(raw(tcb.value().cap), tls_base.raw()),
                     "thread: set TLS base");
    }
    if (step) {
        step = check(seL4_TCB_SetPriority(raw(tcb.value().cap), raw(config.priority_authority),
                                          config.priority),
                     "thread: set priority");
    }
    if (!step) {
        if (done)
            (void)objects.free(done.value());
        if (tcb)
            (void)objects.free(tcb.value());
        (void)vspace.release(reservation.value());
        return step;
    }
    objects_ = &objects;
    vspace_ = &vspace;
    tcb_ = tcb.value();
    done_ = done.value();
    reservation_ = reservation.value();
    stack_top_ = tls_area;
    ipc_buffer_ = ipc_buffer;
    tls_base_ = tls_base;
    state_ = State::Created;
    return {};
}

Result<void> Thread::start(Entry entry, void* argument)
{
    if (state_ != State::Created)
        return make_error(seL4_IllegalOperation, "thread: not created");
    entry_ = entry;
    argument_ = argument;
    seL4_UserContext registers{};
    registers.rip = reinterpret_cast<seL4_Word>(&thread_entry);
    // As if thread_entry had been called: the return address slot keeps rsp + 8 16-aligned.
    registers.rsp = stack_top_.raw() - sizeof(seL4_Word);
    registers.rdi = reinterpret_cast<seL4_Word>(this);
    registers.rflags = libos::InitialUserFlags;
    // WriteRegisters sets fs_base too: it must stay what SetTLSBase gave.
    registers.fs_base = tls_base_.raw();
    state_ = State::Running;
    auto started = check(seL4_TCB_WriteRegisters(raw(tcb_.cap), 1, 0,
                                                 sizeof(registers) / sizeof(seL4_Word), &registers),
                         "thread: write registers and resume");
    if (!started)
        state_ = State::Created;
    return started;
}

void Thread::run_body()
{
    // FS base is already this thread's block, so this writes the thread's own copy.
    seL4_SetIPCBuffer(reinterpret_cast<seL4_IPCBuffer*>(ipc_buffer_.raw()));
    result_ = entry_(argument_);
    __atomic_store_n(&state_, State::Finished, __ATOMIC_RELEASE);
    seL4_Signal(raw(done_.cap));
}

Result<void*> Thread::join()
{
    const State now = state();
    if (now != State::Running && now != State::Finished)
        return make_error(seL4_IllegalOperation, "thread: not started");
    while (state() != State::Finished)
        seL4_Wait(raw(done_.cap), nullptr);
    return result_;
}

Result<void> Thread::destroy()
{
    if (state_ == State::Empty)
        return make_error(seL4_IllegalOperation, "thread: not created");
    // Deleting the TCB's last capability stops the thread wherever it is.
    auto freed = objects_->free(tcb_);
    if (!freed)
        return freed;
    freed = objects_->free(done_);
    if (!freed)
        return freed;
    freed = vspace_->release(reservation_);
    if (!freed)
        return freed;
    state_ = State::Empty;
    return {};
}

} // namespace tessera::thread

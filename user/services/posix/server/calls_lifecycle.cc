// A process's life: fork (and clone and vfork as fork), execve, exit and wait4.
#include <sel4/sel4.h>
#include <stdlib.h>
#include <string.h>

#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "linux/structures.h"
#include "sel4/mapping_backend.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace {

using namespace linux::clone_flag;

constexpr size_t MaxStrings = 4096;
constexpr size_t PathCapacity = 256;

// The child's registers: the parent's at its `syscall`, resuming after it with rax = 0.
seL4_UserContext child_registers(const LinuxCall& call, uint64_t stack, uint64_t fs_base)
{
    const uint64_t* w = call.words;
    seL4_UserContext r{};
    r.rip = w[seL4_UnknownSyscall_FaultIP] + 2;
    r.rsp = stack != 0 ? stack : w[seL4_UnknownSyscall_SP];
    r.rflags = w[seL4_UnknownSyscall_FLAGS];
    r.rax = 0;
    r.rbx = w[seL4_UnknownSyscall_RBX];
    r.rcx = r.rip; // as `syscall` leaves them
    r.r11 = r.rflags;
    r.rdx = w[seL4_UnknownSyscall_RDX];
    r.rsi = w[seL4_UnknownSyscall_RSI];
    r.rdi = w[seL4_UnknownSyscall_RDI];
    r.rbp = w[seL4_UnknownSyscall_RBP];
    r.r8 = w[seL4_UnknownSyscall_R8];
    r.r9 = w[seL4_UnknownSyscall_R9];
    r.r10 = w[seL4_UnknownSyscall_R10];
    r.r12 = w[seL4_UnknownSyscall_R12];
    r.r13 = w[seL4_UnknownSyscall_R13];
    r.r14 = w[seL4_UnknownSyscall_R14];
    r.r15 = w[seL4_UnknownSyscall_R15];
    r.fs_base = fs_base;
    return r;
}

// argv or envp copied out of the program: the pointers, then the strings, in `storage`.
struct CopiedStrings {
    const char* items[MaxStrings / 8];
    size_t count = 0;
};

Result<void> copy_strings(AddressSpace& space, uint64_t array, CopiedStrings& out, char*& cursor,
                          char* end)
{
    if (array == 0)
        return {}; // Linux takes a null argv or envp as empty
    for (;;) {
        if (out.count == sizeof out.items / sizeof out.items[0])
            return Errno::TooBig;
        uint64_t pointer = 0;
        POSIX_CHECK(space.read(array + out.count * 8, &pointer, sizeof pointer));
        if (pointer == 0)
            return {};
        auto length = space.read_string(pointer, cursor, size_t(end - cursor));
        if (!length)
            return length.error() == Errno::NameTooLong ? Errno::TooBig : length.error();
        out.items[out.count++] = cursor;
        cursor += length.value() + 1;
    }
}

} // namespace

int64_t Server::fork(Process& parent, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    const uint64_t flags = call.number == linux::nr::Clone ? a[0] : 0;
    // A thread shares the address space (and, with CLONE_FILES, the descriptors): Linux's rules
    // for the flags that must come together.
    const bool thread = (flags & Thread) != 0;
    if ((thread && !(flags & SigHand)) || ((flags & SigHand) && !(flags & Vm)))
        return linux::negative(Errno::Inval);
    Ref<AddressSpace> space = parent.space;
    if (!thread) {
        auto fresh = new_space();
        if (!fresh)
            return linux::negative(fresh.error());
        if (auto copied = parent.space->duplicate_into(*fresh.value()); !copied)
            return linux_return(copied);
        space = fresh.value();
    }
    auto made = make_process(space);
    if (!made)
        return linux::negative(made.error());
    Process& child = *made.value();
    child.parent = thread ? parent.parent : parent.tgid;
    if (thread)
        child.tgid = parent.tgid;
    memcpy(child.executable, parent.executable, sizeof child.executable);
    memcpy(child.cwd, parent.cwd, sizeof child.cwd);
    child.umask = parent.umask;
    memcpy(child.actions, parent.actions, sizeof child.actions);
    child.signal_mask = parent.signal_mask;
    if (!(flags & Vm)) // Linux keeps the alternate stack across fork, not into a new thread
        child.alternate_stack = parent.alternate_stack;
    if (thread && (flags & Files)) {
        child.files.table = parent.files.table;
    } else {
        for (int fd = 0; fd < Process::MaxFiles; ++fd) {
            child.files[fd] = parent.files[fd];
            share(child.files[fd]);
        }
    }
    child.fs_base = (flags & SetTls) ? a[4] : parent.fs_base;
    if (flags & ChildSetTid)
        (void)child.space->write(a[3], &child.pid, sizeof child.pid);
    if (flags & ParentSetTid)
        (void)parent.space->write(a[2], &child.pid, sizeof child.pid);
    if (flags & ChildClearTid)
        child.clear_child_tid = a[3];
    const uint64_t stack = call.number == linux::nr::Clone ? a[1] : 0;
    seL4_UserContext registers = child_registers(call, stack, child.fs_base);
    if (seL4_TCB_WriteRegisters(libos::raw(child.tcb.cap), 1, 0,
                                sizeof(registers) / sizeof(seL4_Word), &registers) != seL4_NoError) {
        if (thread) {
            end_thread(child, false);
        } else {
            end(child, 0);
            child = Process{};
        }
        return linux::negative(Errno::NoMem);
    }
    return child.pid;
}

void Server::take_leaders_place(Process& thread)
{
    // What is the process's rather than the thread's in the leader's slot (Linux's de_thread
    // gives the caller the leader's pid, parent and start time).
    const Process* leader = find(thread.tgid);
    if (leader == nullptr)
        return;
    thread.parent = leader->parent;
    thread.orphan = leader->orphan;
    thread.shared_pending |= leader->shared_pending;
    thread.started_at = leader->started_at;
}

bool Server::badge_faults(Process& process)
{
    // The fault endpoint's badge is how the server knows the sender: minted again with the pid.
    const seL4_CPtr cnode = libos::raw(process.cnode.cap);
    return seL4_CNode_Delete(cnode, FaultEndpointSlot, CNodeBits) == seL4_NoError &&
           seL4_CNode_Mint(cnode, FaultEndpointSlot, CNodeBits, seL4_CapInitThreadCNode,
                           endpoint_, seL4_WordBits, seL4_AllRights,
                           seL4_Word(process.pid)) == seL4_NoError;
}

Result<void> Server::replace_image(Process& process, const char* path, StringList arguments,
                                   StringList environment, const char* given)
{
    POSIX_TRY(space, new_space());
    POSIX_TRY(start, prepare(*space, path, arguments, environment, 0, given));
    const seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - CNodeBits).words[0];
    if (seL4_TCB_SetSpace(libos::raw(process.tcb.cap), FaultEndpointSlot,
                          libos::raw(process.cnode.cap), guard,
                          libos::raw(space->hardware()->root.cap), 0) != seL4_NoError)
        return Errno::NoMem;
    // The point of no return: the old image goes, the new one starts, alone (the other
    // threads of the process end, as Linux's de_thread).
    if (process.pid != process.tgid)
        take_leaders_place(process);
    for (Process& other : processes_)
        if (other.pid != 0 && &other != &process && other.tgid == process.tgid)
            end_thread(other, false);
    if (process.pid != process.tgid) { // the leader's slot is free now: its pid is the caller's
        process.pid = process.tgid;
        if (!badge_faults(process)) {
            end(process, linux::signal::Kill);
            return {};
        }
    }
    release_robust_list(process); // Linux's futex_exec_release, in the old image
    process.clear_child_tid = 0;  // mm_release's: the word was in the old image
    process.space = space;
    process.fs_base = 0;
    process.alternate_stack = {};
    set_executable(process, path);
    for (OpenFile& file : process.files) {
        if (file.close_on_exec)
            close_file(file);
    }
    // Handlers are gone with the old image; ignored signals stay ignored (execve(2)).
    for (linux::KernelSigaction& action : process.actions) {
        if (action.handler != linux::signal::IgnoreHandler)
            action = linux::KernelSigaction{};
    }
    if (!start_thread(process, start.entry, start.stack_pointer))
        end(process, linux::signal::Segv);
    return {};
}

int64_t Server::execute(Process& process, const LinuxCall& call)
{
    AddressSpace& old_space = *process.space;
    char path[PathCapacity];
    if (auto got = old_space.read_string(call.args[0], path, sizeof path); !got)
        return linux_return(got);
    if (strcmp(path, "/proc/self/exe") == 0)
        memcpy(path, process.executable, sizeof path);
    // The volumes take absolute names: a relative one from the working directory, a symbolic
    // link out of a memory volume followed. A script's interpreter gets the name as given.
    char given[PathCapacity];
    memcpy(given, path, sizeof given);
    char resolved[256];
    if (!resolve_name(process, path, resolved, true))
        return linux::negative(Errno::NameTooLong);
    if (resolved[0] == '\0')
        return linux::negative(Errno::Acces); // the root directory
    memcpy(path, resolved, sizeof resolved);
    // The strings stay in the server's heap until the new stack has them.
    char* storage = static_cast<char*>(malloc(MaxArgumentBytes));
    auto* arguments = static_cast<CopiedStrings*>(malloc(sizeof(CopiedStrings)));
    auto* environment = static_cast<CopiedStrings*>(malloc(sizeof(CopiedStrings)));
    Result<void> done = Errno::NoMem;
    if (storage != nullptr && arguments != nullptr && environment != nullptr) {
        arguments->count = environment->count = 0;
        char* cursor = storage;
        char* end = storage + MaxArgumentBytes;
        done = copy_strings(old_space, call.args[1], *arguments, cursor, end);
        if (done)
            done = copy_strings(old_space, call.args[2], *environment, cursor, end);
        if (done)
            done = replace_image(process, path, {arguments->items, arguments->count},
                                 {environment->items, environment->count}, given);
    }
    free(storage);
    free(arguments);
    free(environment);
    // On success the caller is a new program already running: nothing to answer.
    return done ? NoReply : linux_return(done);
}

int64_t Server::wait(Process& process, const LinuxCall& call)
{
    const int32_t wanted = int32_t(call.args[0]);
    const uint32_t options = uint32_t(call.args[2]);
    bool any_child = false;
    for (Process& child : processes_) {
        // Children are processes (their first threads), of any thread of the waiter's process.
        if (child.pid == 0 || child.parent != process.tgid || child.tgid != child.pid)
            continue;
        if (wanted > 0 && child.pid != wanted)
            continue;
        any_child = true;
        if (!child.exited)
            continue;
        if (call.args[1] != 0) {
            if (auto written = process.space->write(call.args[1], &child.wait_status,
                                                    sizeof child.wait_status);
                !written)
                return linux_return(written);
        }
        if (call.args[3] != 0)
            (void)process.space->fill(call.args[3], 0, sizeof(linux::Rusage)); // nothing counted
        const int32_t pid = child.pid;
        child = Process{};
        return pid;
    }
    if (!any_child)
        return linux::negative(Errno::Child);
    return (options & linux::wait_flag::NoHang) ? 0 : Blocked;
}

void Server::exit_thread(Process& thread, int32_t wait_status)
{
    Process* leader = find(thread.tgid);
    auto others_run = [&] {
        for (const Process& p : processes_)
            if (p.pid != 0 && p.tgid == thread.tgid && &p != leader && &p != &thread)
                return true;
        return false;
    };
    if (&thread == leader && others_run()) {
        // Linux keeps the process until its last thread: the first waits as a zombie thread.
        (void)objects_.free(thread.tcb);
        (void)objects_.free(thread.cnode);
        if (thread.blocked)
            drop_reply(thread.reply_cap);
        thread.blocked = false;
        thread.futex = {};
        thread.thread_exited = true;
        release_robust_list(thread);
        futex_owner_exited(thread.pid);
        thread.wait_status = wait_status;
        const uint32_t zero = 0;
        if (thread.clear_child_tid != 0 && thread.space->write(thread.clear_child_tid, &zero, 4))
            (void)futex_wake(*thread.space, thread.clear_child_tid, 1, false);
        return;
    }
    if (&thread == leader || leader == nullptr) {
        end(thread, wait_status);
        return;
    }
    end_thread(thread, true);
    // The last thread's status is the process's (Linux 6.18 reports it; older kernels the first
    // thread's).
    if (leader->thread_exited && !others_run())
        end(*leader, wait_status);
}

int64_t Server::lifecycle_call(Process& process, const LinuxCall& call)
{
    switch (call.number) {
    case linux::nr::Exit:
        exit_thread(process, int32_t((call.args[0] & 0xff) << 8));
        return NoReply;
    case linux::nr::ExitGroup:
        end(process, int32_t((call.args[0] & 0xff) << 8));
        return NoReply;
    case linux::nr::Fork:
    case linux::nr::Vfork:
    case linux::nr::Clone:
        return fork(process, call);
    case linux::nr::Execve:
        return execute(process, call);
    case linux::nr::Wait4:
        return wait(process, call);
    default:
        return linux::negative(Errno::NoSys);
    }
}

} // namespace tessera::posix::server

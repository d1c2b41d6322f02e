// Process creation, the fault loop and process exit.
#include "server/server.h"

#include <stdio.h>
#include <string.h>

#include <new>

#include <sel4/sel4.h>
#include <tessera/abi/tcb_flags.h>

#include "core/exec/linux_image.h"
#include "core/syscall/call_names.h"
#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "sel4/mapping_backend.h"
#include "sel4/self_caps.h"

namespace tessera::posix::server {

namespace {

// Linux's default stack: 8 MiB below the top of the user half, made as it is touched.
constexpr uint64_t StackTop = 0x7ffffffde000;
constexpr uint64_t StackSize = 8ull << 20;
// x86 page-fault error code bits (the VMFault message's FSR).
constexpr seL4_Word FaultWrite = 2, FaultFetch = 16;

int32_t killed_by(int signal)
{
    return signal & 0x7f;
}

} // namespace

Server::Server(alloc::ObjectAllocator& objects, FramePool& frames, MappingBackend& backend,
               seL4_CPtr endpoint, Console& console, fs::Volume& root)
    : objects_(objects), frames_(frames), backend_(backend), endpoint_(endpoint),
      console_(console), root_(root)
{
    // The root and /proc: every root has them (main adds /tmp and /dev/shm).
    (void)mounts_.add({"/", &root_, "rootfs", "rootfs", "rw"});
    (void)mounts_.add({"/proc", &proc_, "proc", "proc", "rw,nosuid,nodev,noexec,relatime"});
    proc_.set_sources(&mounts_, &frames_);
}

Process* Server::find(int32_t pid)
{
    for (Process& p : processes_) {
        if (p.pid == pid && pid != 0)
            return &p;
    }
    return nullptr;
}

Result<Ref<FileObject>> Server::executable(const char* path)
{
    fs::Volume& volume = volume_for(path);
    POSIX_TRY(st, volume.stat(path, true));
    if ((st.mode & linux::mode::TypeMask) != linux::mode::Regular || (st.mode & 0111) == 0)
        return Errno::Acces;
    POSIX_TRY(handle, volume.open(path, linux::open_flag::ReadOnly, 0));
    auto object = executable_object(volume, handle, size_t(st.size));
    volume.close(handle);
    return object;
}

// In-place bytes never change (volume.h), so one object per file serves every run and keeps
// the pages runs have touched; other files are read whole into a copy the object owns.
Result<Ref<FileObject>> Server::executable_object(fs::Volume& volume, fs::Handle handle,
                                                  size_t size)
{
    if (const uint8_t* bytes = volume.contents(handle)) {
        for (const Ref<FileObject>& cached : executables_) {
            if (cached && cached->bytes() == bytes)
                return cached;
        }
        Ref<FileObject> object = FileObject::make(frames_, bytes, size, false);
        if (!object)
            return Errno::NoMem;
        executables_[next_executable_++ % MaxCachedExecutables] = object;
        return object;
    }
    return file_copy(volume, handle, 0, size);
}

Result<Ref<FileObject>> Server::file_copy(fs::Volume& volume, fs::Handle handle, uint64_t offset,
                                          uint64_t bytes)
{
    auto* copy = new (std::nothrow) uint8_t[bytes > 0 ? bytes : 1];
    if (copy == nullptr)
        return Errno::NoMem;
    for (uint64_t done = 0; done < bytes;) {
        auto got = volume.read(handle, offset + done, copy + done, size_t(bytes - done));
        if (!got || got.value() == 0) {
            delete[] copy;
            return got ? Errno::Io : got.error(); // Io: shorter than its stat said
        }
        done += got.value();
    }
    Ref<FileObject> object = FileObject::make(frames_, copy, bytes, true);
    if (!object) {
        delete[] copy;
        return Errno::NoMem;
    }
    return object;
}

Result<Server::Start> Server::prepare(AddressSpace& space, const char* path,
                                      StringList arguments, StringList environment,
                                      unsigned nesting, const char* given)
{
    POSIX_TRY(file, executable(path));
    ScriptLine line;
    POSIX_TRY(script, parse_script_line(file->bytes(), file->mapped_size(), line));
    if (script)
        return prepare_script(space, path, line, arguments, environment, nesting, given);
    POSIX_TRY(image, LinuxImage::parse(file->bytes(), file->mapped_size()));
    POSIX_TRY(loaded, load_image(space, image, file->bytes(), file));
    space.set_break_start(loaded.break_start);
    constexpr uint32_t ReadWrite = linux::mman::ProtRead | linux::mman::ProtWrite;
    POSIX_CHECK(space.map(StackTop - StackSize, StackSize, ReadWrite, false, nullptr, 0,
                          AddressSpace::Placement::Fixed, TagStack));
    ImageFacts facts;
    facts.entry = loaded.entry;
    facts.program_headers = loaded.program_headers;
    facts.program_header_count = image.program_header_count();
    uint8_t random[16];
    for (uint8_t& byte : random)
        byte = random_byte();
    POSIX_TRY(stack, build_initial_stack(space, StackTop, arguments, environment, path, facts,
                                         Credentials{}, random));
    return Start{loaded.entry, stack.stack_pointer};
}

Result<Server::Start> Server::prepare_script(AddressSpace& space, const char* path,
                                             const ScriptLine& line, StringList arguments,
                                             StringList environment, unsigned nesting,
                                             const char* given)
{
    if (nesting + 1 >= MaxScriptNesting)
        return Errno::Loop;
    // The interpreter, its argument if any, the script's path, the script's argv[1...].
    const size_t rest = arguments.count > 0 ? arguments.count - 1 : 0;
    const size_t count = 2 + (line.argument[0] != '\0') + rest;
    const char** words = new (std::nothrow) const char*[count];
    if (words == nullptr)
        return Errno::NoMem;
    size_t n = 0;
    words[n++] = line.interpreter;
    if (line.argument[0] != '\0')
        words[n++] = line.argument;
    words[n++] = given != nullptr ? given : path;
    for (size_t i = 0; i < rest; ++i)
        words[n++] = arguments.items[i + 1];
    auto start = prepare(space, line.interpreter, {words, n}, environment, nesting + 1);
    delete[] words;
    return start;
}

// xorshift64: AT_RANDOM and getrandom need unpredictable-looking bytes, not secrets (yet).
uint8_t Server::random_byte()
{
    random_state_ ^= random_state_ << 13;
    random_state_ ^= random_state_ >> 7;
    random_state_ ^= random_state_ << 17;
    return uint8_t(random_state_ >> 24);
}

Result<void> Server::start_thread(Process& process, uint64_t entry, uint64_t stack_pointer)
{
    seL4_UserContext registers{};
    registers.rip = entry;
    registers.rsp = stack_pointer;
    registers.rflags = libos::InitialUserFlags;
    // rdx = 0: no function for the program's atexit (the ELF x86_64 process-entry rule).
    const seL4_Error error = seL4_TCB_WriteRegisters(libos::raw(process.tcb.cap), 1, 0,
                                                     sizeof(registers) / sizeof(seL4_Word),
                                                     &registers);
    return error == seL4_NoError ? Result<void>() : Result<void>(Errno::NoMem);
}

Process* Server::free_slot()
{
    for (Process& p : processes_) {
        if (p.pid == 0)
            return &p;
    }
    return nullptr;
}

Result<Process*> Server::make_process(Ref<AddressSpace> space)
{
    Process* process = free_slot();
    if (process == nullptr)
        return Errno::Again; // the server's process quota, as fork's EAGAIN
    auto tcb = objects_.tcb();
    auto cnode = objects_.cnode(libos::SizeBits{CNodeBits});
    const int32_t pid = next_pid_;
    seL4_Error error = tcb && cnode ? seL4_NoError : seL4_NotEnoughMemory;
    if (error == seL4_NoError)
        error = seL4_CNode_Mint(libos::raw(cnode.value().cap), FaultEndpointSlot, CNodeBits,
                                sel4::self_caps().cnode, endpoint_, seL4_WordBits, seL4_AllRights,
                                seL4_Word(pid));
    const seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - CNodeBits).words[0];
    if (error == seL4_NoError)
        error = seL4_TCB_Configure(libos::raw(tcb.value().cap), FaultEndpointSlot,
                                   libos::raw(cnode.value().cap), guard,
                                   libos::raw(space->hardware()->root.cap), 0, 0, 0);
    if (error == seL4_NoError)
        error = seL4_TCB_SetPriority(libos::raw(tcb.value().cap), sel4::self_caps().tcb,
                                     ProcessPriority);
    if (error == seL4_NoError)
        error = seL4_Error(
            seL4_TCB_SetFlags(libos::raw(tcb.value().cap), 0, TESSERA_TCBFlag_foreignSyscalls)
                .error);
    if (error != seL4_NoError) {
        if (tcb)
            (void)objects_.free(tcb.value());
        if (cnode)
            (void)objects_.free(cnode.value());
        return Errno::NoMem;
    }
    *process = Process{};
    process->files.table = make_ref<DescriptorTable>();
    if (!process->files.table) {
        (void)objects_.free(tcb.value());
        (void)objects_.free(cnode.value());
        return Errno::NoMem;
    }
    process->pid = pid;
    process->tgid = pid;
    process->space = space;
    process->tcb = tcb.value();
    process->cnode = cnode.value();
    process->started_at = clock_ ? clock_->monotonic_nanoseconds() : 0;
    ++next_pid_;
    return process;
}

Result<Ref<AddressSpace>> Server::new_space()
{
    POSIX_TRY(hardware, backend_.create_space());
    Ref<AddressSpace> space = make_ref<AddressSpace>(frames_, backend_, hardware);
    if (!space) {
        backend_.destroy_space(hardware);
        return Errno::NoMem;
    }
    return space;
}

Result<int32_t> Server::spawn(const char* path, StringList arguments, StringList environment)
{
    Ref<Pipe> input;
    if (!streams_.input_is_console) {
        input = make_ref<Pipe>();
        if (!input || !input->valid())
            return Errno::NoMem;
        input->preload(streams_.input, streams_.input_size);
    }
    POSIX_TRY(space, new_space());
    POSIX_TRY(made, make_process(space));
    Process* process = made;
    for (int fd = 0; fd < 3; ++fd) {
        process->files[fd].kind = OpenFile::Kind::Console;
        process->files[fd].console_stream = fd;
        process->files[fd].terminal = (streams_.terminals >> fd) & 1;
    }
    if (input) {
        OpenFile& in = process->files[0];
        in = OpenFile{};
        in.kind = OpenFile::Kind::Pipe;
        in.pipe = input;
        share(in);
    }
    auto start = prepare(*space, path, arguments, environment);
    Result<void> started = start ? start_thread(*process, start.value().entry,
                                                start.value().stack_pointer)
                                 : Result<void>(start.error());
    if (!started) {
        (void)objects_.free(process->tcb);
        (void)objects_.free(process->cnode);
        *process = Process{};
        return started.error();
    }
    set_executable(*process, path);
    return process->pid;
}

void Server::share(OpenFile& file)
{
    if (file.socket)
        return; // a socket's descriptors share it by reference
    if (file.kind == OpenFile::Kind::Pipe)
        ++(file.write_end ? file.pipe->writers : file.pipe->readers);
}

void Server::close_file(OpenFile& file)
{
    if (file.socket)
        file.kind = OpenFile::Kind::Closed; // the socket goes with its last descriptor
    if (file.kind == OpenFile::Kind::Pipe)
        --(file.write_end ? file.pipe->writers : file.pipe->readers);
    file = OpenFile{};
}

void Server::end_thread(Process& thread, bool clear)
{
    if (!thread.thread_exited) {
        (void)objects_.free(thread.tcb);
        (void)objects_.free(thread.cnode);
    }
    if (thread.blocked)
        drop_reply(thread.reply_cap);
    release_robust_list(thread);
    // CLONE_CHILD_CLEARTID: 0 in the word and a wake, which is how a joiner learns of the end.
    const uint32_t zero = 0;
    if (clear && thread.clear_child_tid != 0 && thread.space &&
        thread.space->write(thread.clear_child_tid, &zero, sizeof zero))
        (void)futex_wake(*thread.space, thread.clear_child_tid, 1, false);
    if (!thread.files.shared())
        for (OpenFile& file : thread.files)
            close_file(file);
    const int32_t tid = thread.pid;
    thread = Process{};
    futex_owner_exited(tid);
}

void Server::end(Process& process, int32_t wait_status)
{
    if (process.tgid != process.pid) { // a thread: its whole process ends, its leader reports
        Process* leader = find(process.tgid);
        end_thread(process, false);
        if (leader != nullptr && !leader->exited)
            end(*leader, wait_status);
        return;
    }
    for (Process& thread : processes_) {
        if (thread.pid != 0 && thread.pid != process.pid && thread.tgid == process.pid)
            end_thread(thread, false);
    }
    // Deleting the TCB stops the thread for good; the address space goes with the last Ref.
    if (!process.thread_exited) {
        (void)objects_.free(process.tcb);
        (void)objects_.free(process.cnode);
    }
    if (process.blocked) {
        drop_reply(process.reply_cap);
        process.blocked = false;
    }
    release_robust_list(process);
    for (OpenFile& file : process.files)
        close_file(file);
    process.files.table = nullptr;
    process.space = nullptr;
    process.exited = true;
    process.wait_status = wait_status;
    sysv_exit(process.pid);
    futex_owner_exited(process.pid);

    // Its children are orphans now: nobody reaps them, so they go as soon as they exit.
    for (Process& child : processes_) {
        if (child.pid != 0 && child.parent == process.pid) {
            child.parent = 0;
            child.orphan = true;
            if (child.exited)
                child = Process{};
        }
    }
    const int32_t pid = process.pid;
    Process* parent = find(process.parent);
    if (process.orphan)
        process = Process{};
    // SIGCHLD for the parent (ignored by default), with how the child ended. Last: a handler
    // may interrupt the parent's wait4, which reaps this process.
    if (parent != nullptr && !parent->exited) {
        const bool killed = (wait_status & 0x7f) != 0;
        const Process::Sender sender{
            killed ? linux::signal::ChildKilled : linux::signal::ChildExited, pid,
            killed ? wait_status & 0x7f : (wait_status >> 8) & 0xff, true};
        (void)send_signal(signal_target(*parent, linux::signal::Chld), linux::signal::Chld, sender);
    }
}

void Server::block(Process& process, const LinuxCall& call)
{
    auto slot = objects_.slots().allocate();
    if (!slot || seL4_CNode_SaveCaller(sel4::self_caps().cnode, libos::raw(slot.value()),
                                       seL4_WordBits) != seL4_NoError) {
        // Without a slot for the reply capability the call cannot wait: it fails instead.
        if (slot)
            (void)objects_.slots().free(slot.value());
        process.deadline = NoDeadline;
        reply(process, call, linux::negative(Errno::NoMem), 0);
        return;
    }
    process.blocked = true;
    blocked_slots_ |= uint64_t{1} << (&process - processes_);
    may_be_blocked_ = true;
    may_be_timed_ = true;
    process.reply_cap = libos::raw(slot.value());
    process.blocked_call = call;
}

void Server::reply(Process& process, const LinuxCall& call, int64_t result, seL4_CPtr to)
{
    resume(process, registers_after(call, result), to);
}

void Server::resume(Process& process, UserRegisters registers, seL4_CPtr to)
{
    if (!deliver(process, registers)) {
        if (to != 0)
            drop_reply(to);
        return; // ended: nothing to resume
    }
    if (to == 0) {
        defer_reply(registers, ReplyWords);
        return;
    }
    // The caller first, then the call its call completed: the order the processes run in, as
    // when each answer went at once (the other order makes a pipe round trip dearer).
    flush_reply();
    for (unsigned i = 0; i < ReplyWords; ++i)
        seL4_SetMR(int(i), registers.words[i]);
    seL4_Send(to, seL4_MessageInfo_new(0, 0, 0, ReplyWords));
    drop_reply(to);
}

uint64_t (&Server::reply_words_in_buffer())[ReplyWords]
{
    return *reinterpret_cast<uint64_t(*)[ReplyWords]>(seL4_GetIPCBuffer()->msg);
}

void Server::defer_reply(const UserRegisters& registers, unsigned words)
{
    reply_in_buffer_ = false;
    pending_reply_ = registers;
    pending_words_ = words;
    reply_pending_ = true;
}

// The pending answer's words into the IPC buffer: its message info, and nothing pending.
seL4_MessageInfo_t Server::take_pending_reply()
{
    reply_pending_ = false;
    if (reply_in_buffer_) {
        reply_in_buffer_ = false;
        return seL4_MessageInfo_new(0, 0, 0, pending_words_);
    }
    // Every reply is at most ReplyWords (the words past a shorter one are not sent): one
    // constant-size copy the compiler inlines.
    __builtin_memcpy(reply_words_in_buffer(), pending_reply_.words, sizeof pending_reply_.words);
    return seL4_MessageInfo_new(0, 0, 0, pending_words_);
}

void Server::flush_reply()
{
    if (reply_pending_)
        seL4_Reply(take_pending_reply());
}

seL4_MessageInfo_t Server::receive(seL4_Word& badge)
{
    if (!reply_pending_)
        return seL4_Recv(endpoint_, &badge);
    return seL4_ReplyRecv(endpoint_, take_pending_reply(), &badge);
}

void Server::drop_reply(seL4_CPtr cap)
{
    (void)seL4_CNode_Delete(sel4::self_caps().cnode, cap, seL4_WordBits);
    (void)objects_.slots().free(libos::CPtr{cap});
}

void Server::retry_blocked()
{
    if (!may_be_blocked_)
        return;
    // Every event may complete a waiting call; go round until none does. Only the slots
    // block() marked are visited (in slot order, as a walk over the table would; a slot marked
    // during a round is visited in it when it comes later), a mark whose call has ended another
    // way is dropped when found.
    for (bool progress = true; progress;) {
        progress = false;
        bool still_blocked = false;
        for (uint64_t left = blocked_slots_; left != 0;) {
            const unsigned index = unsigned(__builtin_ctzll(left));
            const uint64_t later = ~uint64_t{0} << index << 1;
            Process& p = processes_[index];
            if (p.pid == 0 || p.exited || !p.blocked) {
                blocked_slots_ &= ~(uint64_t{1} << index);
                left = blocked_slots_ & later;
                continue;
            }
            const int64_t result = dispatch(p, p.blocked_call);
            left = blocked_slots_ & later;
            if (result == Blocked) {
                still_blocked = true;
                continue;
            }
            const seL4_CPtr cap = p.reply_cap;
            p.blocked = false;
            blocked_slots_ &= ~(uint64_t{1} << index);
            p.reply_cap = 0;
            p.deadline = NoDeadline;
            if (result != NoReply)
                reply(p, p.blocked_call, result, cap);
            else
                drop_reply(cap);
            progress = true;
        }
        may_be_blocked_ = still_blocked;
    }
}

void Server::serve_fault(Process& process)
{
    const uint64_t address = seL4_GetMR(seL4_VMFault_Addr);
    const seL4_Word code = seL4_GetMR(seL4_VMFault_FSR);
    const Access access = (code & FaultFetch)   ? Access::Execute
                          : (code & FaultWrite) ? Access::Write
                                                : Access::Read;
    const FaultResult result = process.space->fault(address, access);
    if (result == FaultResult::Resolved) {
        defer_reply({}, 0);
        return;
    }
    deliver_fault(process, page_fault_signal(result, address, code));
}

int64_t Server::dispatch(Process& process, const LinuxCall& call) { return route(process, call); }

int64_t Server::route(Process& process, const LinuxCall& call)
{
    const unsigned known = call.number < RouteCount ? routes_[call.number] : 0;
    if (known == 0) [[unlikely]]
        return dispatch_by_groups(process, call, 0);
    const int64_t result = (this->*CallGroups[known - 1])(process, call);
    if (result != linux::negative(Errno::NoSys)) [[likely]]
        return result;
    return dispatch_by_groups(process, call, known);
}

void Server::serve_call(Process& process, const LinuxCall& call)
{
    const int64_t result = route(process, call);
    if (result == Blocked) {
        block(process, call);
        return;
    }
    process.deadline = NoDeadline;
    if (result == NoReply)
        return;
    if (reply_pending_) [[unlikely]] {
        reply(process, call, result, 0);
        return;
    }
    // Without a signal, SP and FLAGS stay as they are: the reply ends at FaultIP.
    if (!has_signal_work(process) && !may_be_blocked_ && !may_be_timed_) [[likely]] {
        // Nothing runs between here and the next receive (no retry, no clock): the answer goes
        // straight into the IPC buffer that receive's seL4_ReplyRecv sends it from.
        encode_linux_reply(call, result, reply_words_in_buffer());
        pending_words_ = ShortReplyWords;
        reply_in_buffer_ = true;
        reply_pending_ = true;
        return;
    }
    // Otherwise written once where the next receive copies it from (reply's steps: the
    // registers, then the signals that change them, then the deferred reply).
    encode_linux_reply(call, result, pending_reply_.words);
    unsigned words = ShortReplyWords;
    if (has_signal_work(process)) {
        if (!deliver(process, pending_reply_))
            return; // ended: nothing to resume
        words = ReplyWords;
    }
    pending_words_ = words;
    reply_pending_ = true;
}

void Server::arm_clock()
{
    if (clock_ == nullptr || !clock_->has_events() || !may_be_timed_)
        return;
    for (;;) {
        expire_alarms();
        uint64_t earliest = NoDeadline;
        for (const Process& p : processes_) {
            if (p.pid != 0 && !p.exited && p.blocked && p.deadline < earliest)
                earliest = p.deadline;
            if (p.pid != 0 && !p.exited && p.alarm_at < earliest)
                earliest = p.alarm_at;
        }
        if (earliest == NoDeadline) {
            clock_->disarm();
            may_be_timed_ = false;
            return;
        }
        if (clock_->arm(earliest))
            return;
        // Passed already: no event will come, so the calls waiting for it end now.
        retry_blocked();
    }
}

// The groups of calls, in the order they are asked: each answers the numbers it serves and
// ENOSYS for the rest. No number is served by two groups, so the first group that answers a
// number is the only one that can: routes_ remembers it, and the next call of that number goes
// straight to it (a table lookup instead of asking the groups before it).
const Server::CallGroup Server::CallGroups[CallGroupCount] = {
    &Server::memory_call, &Server::lifecycle_call, &Server::process_call, &Server::io_call,
    &Server::name_call,   &Server::signal_call,    &Server::poll_call,    &Server::time_call,
    &Server::futex_call,  &Server::socket_call,    &Server::sysv_call,
};

int64_t Server::dispatch_by_groups(Process& process, const LinuxCall& call, unsigned asked)
{
    constexpr int64_t NoSys = linux::negative(Errno::NoSys);
    for (unsigned i = 0; i < CallGroupCount; ++i) {
        if (i + 1 == asked)
            continue;
        const int64_t result = (this->*CallGroups[i])(process, call);
        if (result != NoSys) {
            if (call.number < RouteCount)
                routes_[call.number] = uint8_t(i + 1);
            return result;
        }
    }
    if (call.number != linux::nr::Rseq) {
        const char* name = linux_call_name(call.number);
        printf("posix: ENOSYS for '%s' (%lu)\n", name ? name : "?", (unsigned long)call.number);
    }
    return NoSys;
}

int32_t Server::run_until_exit(int32_t pid)
{
    Process* watched = find(pid);
    if (watched == nullptr)
        return -1;
    while (!watched->exited) {
        if (may_be_timed_) // arm_clock's own first test, without the call
            arm_clock();
        if (watched->exited)
            break;
        seL4_Word badge = 0;
        const seL4_MessageInfo_t info = receive(badge);
        if (badge & ClockBadge) {
            // The clock's event, through the notification bound to this thread.
            clock_->acknowledge();
            expire_alarms();
            retry_blocked();
            continue;
        }
        Process* process = find(int32_t(badge));
        if (process == nullptr || process->exited)
            continue;
        const seL4_Word label = seL4_MessageInfo_get_label(info);
        if (label == seL4_Fault_UnknownSyscall) {
            // Decoded straight from the IPC buffer (the call keeps its own copy of the words).
            const auto& words = *reinterpret_cast<const uint64_t(*)[FaultWords]>(seL4_GetIPCBuffer()->msg);
            serve_call(*process, decode_linux_call(words));
        } else if (label == seL4_Fault_VMFault) {
            serve_fault(*process);
        } else if (label == seL4_Fault_UserException) {
            deliver_fault(*process, exception_signal(seL4_GetMR(seL4_UserException_Number),
                                                     seL4_GetMR(seL4_UserException_Code),
                                                     seL4_GetMR(seL4_UserException_FaultIP)));
        } else {
            printf("posix: pid %d stopped by fault %lu at ip %#lx\n", process->pid,
                   (unsigned long)label, (unsigned long)seL4_GetMR(0));
            end(*process, killed_by(linux::signal::Ill));
        }
        retry_blocked();
    }
    flush_reply();
    const int32_t status = watched->wait_status;
    *watched = Process{};
    return status;
}

} // namespace tessera::posix::server

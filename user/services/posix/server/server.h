// The POSIX server on seL4: Linux processes as foreign threads in their own address spaces, each
// with a fault endpoint badged with its pid, and the loop that serves their faults: an
// UnknownSyscall is a Linux system call (decoded, handled, answered with rax), a VMFault goes to
// the process's AddressSpace and either resumes the program or kills it with SIGSEGV.
#pragma once

#include <tessera/alloc/object_allocator.h>

#include "core/exec/initial_stack.h"
#include "core/exec/script_line.h"
#include "core/fs/mount_table.h"
#include "core/fs/volume.h"
#include "core/signal/fault_signal.h"
#include "core/signal/signal_frame.h"
#include "core/socket/socket.h"
#include "core/sync/futex_key.h"
#include "core/syscall/linux_call.h"
#include "core/sysv/ipc_namespace.h"
#include "core/time/timeout.h"
#include "core/vm/address_space.h"
#include "core/vm/file_object.h"
#include "linux/structures.h"
#include "server/pipe.h"
#include "server/proc_volume.h"

namespace tessera::posix::server {

// Where the programs' console output goes (the serial line, or a test's capture).
class Console {
public:
    virtual ~Console() = default;
    virtual void write(int fd, const char* bytes, size_t length) = 0;
};

// An open file's or directory's normalised path (shared by the descriptors that dup or fork
// copies): a directory's is the base of *at names, a file's what /proc/<pid>/fd/<n> reads.
struct DirectoryName : RefCounted {
    char path[256] = {};
};

// A file or directory the root volume holds open, shared by the descriptors that dup and fork
// copy: the volume's handle closes with the last of them.
struct VolumeFile : RefCounted {
    VolumeFile(fs::Volume& volume, fs::Handle handle) : volume(volume), handle(handle) {}
    ~VolumeFile() override { volume.close(handle); }
    fs::Volume& volume;
    fs::Handle handle;
};

enum class Device : uint8_t { Null, Zero, Random };

// One open descriptor: the console, a device, a pipe end, a socket (`socket`: AF_UNIX or
// loopback AF_INET, core/socket/socket.h), or a file or directory of a mounted volume. A
// descriptor copied by dup or fork shares the pipe end, the socket or the volume's handle but
// keeps its own offset (shared open file descriptions are still to come).
struct OpenFile {
    enum class Kind : uint8_t { Closed, Console, File, Pipe, Directory, Device, Socket } kind = Kind::Closed;
    Device device = Device::Null;
    Ref<DirectoryName> directory;
    Ref<VolumeFile> node; // a File's or a Directory's
    uint32_t flags = 0;   // a File's open flags (access mode, O_APPEND)
    uint64_t offset = 0;  // a Directory's: the volume's listing cursor
    Ref<Pipe> pipe; // a pipe end's
    Ref<net::Socket> socket; // a Socket's state (core/socket/socket.h), shared by dup and fork
    bool write_end = false;
    bool close_on_exec = false;
    int console_stream = 1; // a console descriptor's stream: what dup2 moves with it
    // A console descriptor of the first process stands for one of the tool's own: a terminal
    // (TCGETS answers, isatty is true) only when that one is.
    bool terminal = true;
};

// The time calls' source (sel4/machine_clock.h on a PC). Without one they are ENOSYS. Its
// event (an interrupt) arrives at the server's endpoint through the notification bound to the
// server's thread, badged Server::ClockBadge; without events the sleeping calls are ENOSYS and
// the waiting calls' positive timeouts run out at once.
class Clock {
public:
    virtual ~Clock() = default;
    virtual uint64_t monotonic_nanoseconds() = 0; // since boot, never going back
    virtual uint64_t realtime_nanoseconds() = 0;  // since 1970-01-01 00:00 UTC
    virtual bool has_events() const = 0;
    // One event at monotonic time `deadline` (replacing any earlier request): false when the
    // deadline has passed already, so that no event will come for it.
    virtual bool arm(uint64_t deadline) = 0;
    virtual void disarm() = 0;
    // After an event: lets the next one in.
    virtual void acknowledge() = 0;
};

// The first process's descriptors 0-2, as `tessera linux` found its own: which are terminals,
// and standard input either the console or, when the tool's was a pipe or a file, the bytes it
// read from it, served as a pipe whose writer wrote them and closed.
struct StandardStreams {
    uint8_t terminals = 0b111; // bit n: descriptor n is a terminal
    bool input_is_console = true;
    const uint8_t* input = nullptr;
    size_t input_size = 0;
};

// A process's descriptor table, shared by the threads that CLONE_FILES made.
struct DescriptorTable : RefCounted {
    static constexpr int Size = 64;
    OpenFile slots[Size];
};

// A thread's view of its process's table: indexed like the array it replaced.
struct Descriptors {
    Ref<DescriptorTable> table;
    OpenFile& operator[](size_t i) { return table->slots[i]; }
    const OpenFile& operator[](size_t i) const { return table->slots[i]; }
    OpenFile* begin() { return table ? table->slots : nullptr; }
    OpenFile* end() { return table ? table->slots + DescriptorTable::Size : nullptr; }
    // Whether another thread holds the table too.
    bool shared() const { return table && table->reference_count() > 1; }
};

// A Linux thread: a process is the threads of one thread group (tgid, its first thread's pid),
// which share the address space and the descriptor table (docs/posix.md, "Threads"); the rest
// is each thread's.
struct Process {
    static constexpr int MaxFiles = DescriptorTable::Size;

    int32_t pid = 0;  // the thread's id (gettid); the process's (getpid) for its first thread
    int32_t tgid = 0; // the thread group: getpid
    int32_t parent = 0; // the parent process's tgid
    Ref<AddressSpace> space;
    alloc::Object tcb;
    alloc::Object cnode;
    bool exited = false;
    // The first thread ended by exit(2) while others run: no TCB any more, the slot stays for
    // the process (its pid, parent and wait status) until the last thread ends.
    bool thread_exited = false;
    bool orphan = false;     // its parent is gone: nobody waits for it
    int32_t wait_status = 0; // as wait4 reports it
    // A call that cannot complete yet (wait4, a pipe read or write): the caller's reply
    // capability, saved, and the call, tried again after every event until it completes.
    bool blocked = false;
    seL4_CPtr reply_cap = 0;
    LinuxCall blocked_call;
    // The blocked call's deadline on the clock's monotonic time (NoDeadline: none), set by the
    // call when it first blocks; the call ends when it passes.
    uint64_t deadline = NoDeadline;
    char executable[256] = {}; // what /proc/self/exe names
    char cwd[256] = {};        // the working directory, normalised ("" is the root)
    uint32_t umask = 022;      // the permission bits a file or directory is created without
    // rt_sigaction's table (index: signal number) and the blocked mask. Only default actions
    // and ignoring, and handlers (server/calls_signal.cc).
    linux::KernelSigaction actions[65] = {};
    uint64_t signal_mask = 0;
    // Signals sent and not yet acted on (bit n-1: signal n), with what their siginfo says.
    uint64_t pending = 0;
    // The first thread's slot: process-directed signals every thread blocked when they came,
    // taken by the first thread that unblocks one.
    uint64_t shared_pending = 0;
    struct Sender {
        int32_t code, pid, status;
        bool process_wide = false; // sent to the process, not to this thread
    } senders[65] = {};
    // The real-time interval timer (alarm, setitimer ITIMER_REAL): SIGALRM at `alarm_at` on the
    // monotonic clock (NoDeadline: off), then every `alarm_interval` nanoseconds (0: once).
    uint64_t alarm_at = NoDeadline;
    uint64_t alarm_interval = 0;
    // rt_sigsuspend's caller: the mask to take back once a handler has run.
    bool restore_mask = false;
    uint64_t mask_before_suspend = 0;
    // A FUTEX_WAIT (or _BITSET) the process is blocked in: its word's key and bitset (0: not
    // waiting), set woken by a FUTEX_WAKE; `since` orders the waiters of a key (FIFO).
    struct FutexWait {
        FutexKey key;
        uint32_t bitset = 0;
        bool woken = false;
        uint64_t since = 0;
        bool pi = false; // FUTEX_LOCK_PI's: woken means the word was handed to it
    } futex;
    AlternateStack alternate_stack; // sigaltstack's
    // rt_sigreturn's registers while the thread loads its FPU state in the signal trampoline
    // (its second rt_sigreturn, from SignalTrampoline::Finish, takes them).
    UserRegisters signal_return{};
    bool returning_from_signal = false;
    uint64_t clear_child_tid = 0;
    uint64_t robust_list = 0; // set_robust_list's head (0: none)
    uint64_t fs_base = 0;
    uint64_t started_at = 0; // the clock's monotonic time at fork or spawn (CPU-time clocks)
    Descriptors files;
};

// poll's events for a socket descriptor (server/calls_socket.cc).
uint16_t socket_readiness(const OpenFile& file);
// The inode fstat and /proc/<pid>/fd name for a pipe end or a socket: where its state lives, so
// both ends of a pipe and every dup of a socket share one (server/calls_io.cc).
uint64_t stream_inode(const OpenFile& file);
struct SocketVectors;

// The open descriptor `fd` of `process`, or null (EBADF).
OpenFile* open_file(Process& process, int64_t fd);
// The lowest closed descriptor from `from` on, or -1 (EMFILE).
int lowest_free(const Process& process, int from);

class Server {
public:
    static constexpr unsigned MaxProcesses = 64;
    static constexpr seL4_Word ProcessPriority = 100;
    // A process's CSpace: four slots, the fault endpoint (badged with the pid) in slot 1.
    static constexpr unsigned CNodeBits = 2;
    static constexpr seL4_Word FaultEndpointSlot = 1;
    // The clock's event, as the endpoint's receive reports it (far above any pid).
    static constexpr seL4_Word ClockBadge = seL4_Word(1) << 62;

    Server(alloc::ObjectAllocator& objects, FramePool& frames, MappingBackend& backend,
           seL4_CPtr endpoint, Console& console, fs::Volume& root);

    // Starts the executable at `path` of the root file system with `arguments` and
    // `environment`: the pid, ENOENT, ENOEXEC, ENOMEM.
    Result<int32_t> spawn(const char* path, StringList arguments, StringList environment);
    // What spawn gives the processes it starts as descriptors 0-2 (default: three terminals).
    void set_standard_streams(const StandardStreams& streams) { streams_ = streams; }
    void set_clock(Clock* clock) { clock_ = clock; }
    // The root's line in /proc/mounts (its source, type and options; "rootfs" until told).
    void describe_root(const char* source, const char* type, const char* options);
    // Serves the names at `mount.point` and below from `mount.volume` (docs/posix.md, "Mounts").
    // False when the table is full.
    bool mount(const fs::Mount& mount) { return mounts_.add(mount); }
    // Serves system calls and faults until process `pid` has exited; its wait status.
    int32_t run_until_exit(int32_t pid);

    // How long poll and select may wait (server/calls_poll.cc): Forever, or until the
    // process's deadline (Never when it is now).
    enum class Wait : uint8_t { Forever, Never, Deadline };

private:
    // Results that are not rax: the caller must not be resumed (it exited or was replaced), or
    // the call must wait (the caller stays blocked and the call is tried again later).
    static constexpr int64_t NoReply = INT64_MIN;
    static constexpr int64_t Blocked = INT64_MIN + 1;
    // A reply that leaves SP and FLAGS as they are: the registers and FaultIP (seL4 writes back
    // only the words a fault reply sends).
    static constexpr unsigned ShortReplyWords = seL4_UnknownSyscall_FaultIP + 1;

    Process* find(int32_t pid);
    Result<void> start_thread(Process& process, uint64_t entry, uint64_t stack_pointer);
    // Loads the executable at `path` into `space` with its initial stack: where to start.
    struct Start {
        uint64_t entry, stack_pointer;
    };
    // A "#!" script runs its interpreter (nesting: how many scripts led here) with the script's
    // name as execve was given it (`given`, relative perhaps; null: `path`), as Linux does.
    Result<Start> prepare(AddressSpace& space, const char* path, StringList arguments,
                          StringList environment, unsigned nesting = 0,
                          const char* given = nullptr);
    Result<Start> prepare_script(AddressSpace& space, const char* path, const ScriptLine& line,
                                 StringList arguments, StringList environment, unsigned nesting,
                                 const char* given);
    // The process ends (every thread of it; a thread ending its group ends its leader, which
    // reports `wait_status` to the parent).
    void end(Process& process, int32_t wait_status);
    // One thread ends alone (exit(2) of a thread, or the rest of a group that ends): its slot
    // goes at once, its CLONE_CHILD_CLEARTID word is cleared and woken when `clear`.
    void end_thread(Process& thread, bool clear);
    // FUTEX_WAKE of up to `count` waiters of the word at `address`: how many woke.
    int64_t futex_wake(AddressSpace& space, uint64_t address, int64_t count, bool private_futex);
    Process* free_slot();
    Result<Process*> make_process(Ref<AddressSpace> space);
    Result<Ref<AddressSpace>> new_space();
    // The program file at `path` as the memory object execve maps (core/vm/file_object.h).
    Result<Ref<FileObject>> executable(const char* path);
    Result<Ref<FileObject>> executable_object(fs::Volume& volume, fs::Handle handle, size_t size);
    // mmap (server/calls_memory.cc).
    int64_t map_call(Process& process, const LinuxCall& call);
    // `bytes` of a file from `offset`, read now into a copy the object owns.
    Result<Ref<FileObject>> file_copy(fs::Volume& volume, fs::Handle handle, uint64_t offset,
                                      uint64_t bytes);
    void drop_reply(seL4_CPtr cap);
    void block(Process& process, const LinuxCall& call);
    void retry_blocked();
    // Asks the clock for an event at the earliest deadline of a blocked call (ending, first, the
    // calls whose deadline has passed).
    void arm_clock();
    // The monotonic time, 0 without a clock.
    uint64_t now() const { return clock_ ? clock_->monotonic_nanoseconds() : 0; }
    // For a call that may block until `duration` from now: on its first try, sets the process's
    // deadline (a retry keeps it). True when the deadline has passed.
    bool timed_out(Process& process, uint64_t duration);
    int64_t sleep_call(Process& process, const LinuxCall& call);
    int64_t timer_call(Process& process, const LinuxCall& call);
    // Sends SIGALRM to the processes whose real-time timer has expired (re-arming periodic ones).
    void expire_alarms();
    Wait wait_for(Process& process, uint64_t duration);
    Result<bool> wait_under_mask(Process& process, const LinuxCall& call);
    void write_remaining(Process& process, uint64_t address, bool timeval);
    // Answers `process`'s call (through the saved reply capability `to`, or seL4_Reply when 0),
    // delivering its pending signals on the way: a handler's frame, or the end of the process.
    void reply(Process& process, const LinuxCall& call, int64_t result, seL4_CPtr to);
    void resume(Process& process, UserRegisters registers, seL4_CPtr to);
    // The answer to the call just received, sent by the next receive (seL4_ReplyRecv: one
    // kernel entry for both) or by flush_reply; `words` message registers of `registers`.
    void defer_reply(const UserRegisters& registers, unsigned words);
    // The IPC buffer's first ReplyWords message words, where a reply is sent from.
    static uint64_t (&reply_words_in_buffer())[ReplyWords];
    void flush_reply();
    seL4_MessageInfo_t take_pending_reply();
    seL4_MessageInfo_t receive(seL4_Word& badge);
    // Acts on `process`'s unblocked pending signals before it resumes with `registers`: pushes
    // a handler's frame (changing `registers`), ignores, or ends the process (false).
    bool deliver(Process& process, UserRegisters& registers);
    // A signal for a process blocked in the server: its call ends (EINTR, or made again with
    // SA_RESTART) and the handler runs.
    void interrupt(Process& process);
    // A fault of `process`'s own code (a VMFault the address space did not resolve, a CPU
    // exception): its handler runs (the faulting thread restarted in it), or the process ends.
    void deliver_fault(Process& process, const FaultSignal& fault);
    void share(OpenFile& file);
    void close_file(OpenFile& file);
    void serve_fault(Process& process);
    void serve_call(Process& process, const LinuxCall& call);
    // The call to the group routes_ names for its number, or dispatch_by_groups.
    int64_t dispatch(Process& process, const LinuxCall& call);
    // dispatch's body, inline in serve_call (server.cc): the routed call pays no prologue of its own.
    [[gnu::always_inline]] inline int64_t route(Process& process, const LinuxCall& call);
    // The call asked of every group in turn (but `asked`, 1 + the index of a group asked
    // already, 0 for none) until one answers; routes_ remembers that one. Out of line: the
    // routed call pays no prologue for the walk.
    [[gnu::noinline]] int64_t dispatch_by_groups(Process& process, const LinuxCall& call, unsigned asked);
    using CallGroup = int64_t (Server::*)(Process&, const LinuxCall&);
    static constexpr unsigned CallGroupCount = 11;
    static const CallGroup CallGroups[CallGroupCount];
    // Whether deliver has anything to do for `process` (most replies: no).
    bool has_signal_work(const Process& process) const
    {
        return may_share_pending_ || (process.pending & ~process.signal_mask) != 0 ||
               process.restore_mask;
    }
    uint8_t random_byte();

    // Call groups (calls_*.cc).
    int64_t memory_call(Process& process, const LinuxCall& call);
    int64_t process_call(Process& process, const LinuxCall& call);
    int64_t io_call(Process& process, const LinuxCall& call);
    int64_t lifecycle_call(Process& process, const LinuxCall& call);
    int64_t fork(Process& parent, const LinuxCall& call);
    int64_t execute(Process& process, const LinuxCall& call);
    // execve by a thread that is not the first: the process's state in the first thread's slot
    // (parent, start time, shared pending signals) copied to the caller, which takes its pid.
    void take_leaders_place(Process& thread);
    // Mints the fault endpoint in `process`'s CNode again with its pid as the badge.
    bool badge_faults(Process& process);
    Result<void> replace_image(Process& process, const char* path, StringList arguments,
                               StringList environment, const char* given = nullptr);
    int64_t wait(Process& process, const LinuxCall& call);
    int64_t make_pipe(Process& process, uint64_t fds, uint32_t flags);
    // socketpair, sendto and recvfrom on its sockets (server/calls_socket.cc).
    int64_t socket_call(Process& process, const LinuxCall& call);
    int64_t socket_option(Process& process, const LinuxCall& call);
    Result<net::Socket*> socket_at(Process& process, int64_t fd);
    // The sockaddr at `address` (as given: the result) and its name in the table (`key`: an
    // AF_UNIX path made absolute).
    Result<net::Name> socket_name_in(Process& process, const net::Socket& socket, uint64_t address,
                                     uint64_t length, net::Name& key);
    Errno socket_name_missing(const net::Name& key);
    int64_t socket_again(const net::Socket& socket, uint32_t flags);
    int64_t socket_open(Process& process, const Ref<net::Socket>& socket, uint32_t type_flags);
    int64_t socket_send(Process& process, net::Socket& socket, const SocketVectors& vectors,
                        uint32_t flags, uint64_t name_address, uint64_t name_length,
                        const uint8_t* from_server);
    int64_t socket_receive(Process& process, net::Socket& socket, const SocketVectors& vectors,
                           uint32_t flags, uint64_t name_address, uint64_t name_length_at,
                           int32_t* message_flags);
    // read and write (and readv, writev, sendfile) on a socket descriptor.
    int64_t socket_read(Process& process, OpenFile& file, uint64_t address, uint64_t length);
    int64_t socket_write(Process& process, OpenFile& file, uint64_t address, uint64_t length,
                         const uint8_t* from_server, bool pipe_signal);
    int64_t signal_call(Process& process, const LinuxCall& call);
    // System V IPC (server/calls_sysv.cc): `seconds` is the realtime clock's, for the times the
    // objects report.
    int64_t sysv_call(Process& process, const LinuxCall& call);
    int64_t sysv_semaphore_call(Process& process, const LinuxCall& call, int64_t seconds);
    int64_t semaphore_control(Process& process, const LinuxCall& call, int64_t seconds);
    int64_t semaphore_waiters(uint64_t id, uint16_t number, bool for_zero);
    int64_t sysv_memory_call(Process& process, const LinuxCall& call, int64_t seconds);
    uint64_t attachments(const MemoryObject& memory);
    // Removed segments whose last attachment went: their ids end.
    void reap_segments();
    // Process `tgid` ends: its SEM_UNDO adjustments are applied, its segments detached.
    void sysv_exit(int32_t tgid);
    int64_t poll_call(Process& process, const LinuxCall& call);
    int64_t time_call(Process& process, const LinuxCall& call);
    // futex(2) (server/calls_futex.cc).
    int64_t futex_call(Process& process, const LinuxCall& call);
    int64_t futex_wait(Process& process, const LinuxCall& call);
    // The earliest waiter on `key` whose bitset meets `bitset` and who is not woken yet, or null.
    // Only waiters queued by `up_to` (a futex_sequence_ value) count; PI waiters never do.
    Process* futex_waiter(const FutexKey& key, uint32_t bitset, uint64_t up_to = UINT64_MAX);
    // The earliest FUTEX_LOCK_PI waiter on `key`, or null.
    Process* futex_pi_waiter(const FutexKey& key);
    int64_t futex_wake_op(Process& process, const LinuxCall& call);
    // Marks up to `limit` waiters of `key` (bitset meeting `bitset`) woken: how many.
    int64_t futex_wake_key(const FutexKey& key, uint32_t bitset, int64_t limit);
    // A blocking command's timeout at `address` as a wait's length (NoDeadline: none).
    Result<uint64_t> futex_timeout(Process& process, uint64_t address, bool absolute, bool realtime);
    int64_t futex_lock_pi(Process& process, const LinuxCall& call);
    int64_t futex_unlock_pi(Process& process, const LinuxCall& call);
    // Thread `tid` is gone: the PI locks it held go to their waiters.
    void futex_owner_exited(int32_t tid);
    // `thread` exits or calls execve: the words its robust list names that it owns say
    // FUTEX_OWNER_DIED and wake a waiter (core/sync/robust_list); the list is forgotten.
    void release_robust_list(Process& thread);
    // Where `space` has SignalTrampoline's code, mapped now when `map` says (0: not there, or no
    // memory for it: frames then go without FPU state).
    uint64_t signal_trampoline(AddressSpace& space, bool map);
    int64_t poll(Process& process, uint64_t entries, uint64_t count, Wait wait);
    int64_t select(Process& process, int64_t count, const uint64_t sets[3], Wait wait);
    // Sends `signal` to `target`: ignored, its default action at once (the process may end), or
    // left pending for its handler, which runs when `target` next returns from a system call
    // (at once when it is blocked in one). True when `target` ended.
    bool send_signal(Process& target, int signal, Process::Sender sender = {});
    // The thread a process-directed `signal` for `thread`'s process goes to: the first thread if
    // it runs and does not block it, else another that does not, else one that runs.
    Process& signal_target(Process& thread, int signal);
    // rt_sigaction's change, seen by every thread of the process (they share the table).
    void set_action(Process& process, int signal, const linux::KernelSigaction& action);
    // Moves the process's shared pending signals `thread` does not block to its own.
    void claim_shared(Process& thread);
    // exit(2): the calling thread ends; the process ends with its last thread, reporting that
    // thread's status.
    void exit_thread(Process& thread, int32_t wait_status);
    // write(2) on `fd`: the bytes come from the program's `address`, or from the server's
    // `from_server` when given (sendfile). A pipe or socket without readers is SIGPIPE, or only
    // EPIPE without `pipe_signal` (MSG_NOSIGNAL).
    int64_t write_to(Process& process, int fd, uint64_t address, uint64_t length,
                     const uint8_t* from_server = nullptr, bool pipe_signal = true);
    int64_t send_file(Process& process, const LinuxCall& call);
    int64_t read_from(Process& process, int fd, uint64_t address, uint64_t length);
    int64_t open_at(Process& process, int32_t directory, uint64_t path, uint32_t flags,
                    uint32_t mode);
    int64_t write_file(Process& process, OpenFile& file, uint64_t address, uint64_t length,
                       const uint8_t* from_server);
    int64_t read_file(Process& process, OpenFile& file, uint64_t address, uint64_t length);
    int64_t list_directory(Process& process, int fd, uint64_t buffer, uint64_t length);
    int64_t stat_at(Process& process, int32_t directory, uint64_t path, uint64_t buffer, int fd,
                    bool follow);
    // The calls that change names on the root volume (server/calls_names.cc).
    int64_t name_call(Process& process, const LinuxCall& call);
    int64_t set_times(Process& process, const LinuxCall& call);
    // fchmod, chown, fchown, lchown, fchownat.
    int64_t attribute_call(Process& process, const LinuxCall& call);
    // The volume of the mount the folded `name` lies in.
    fs::Volume& volume_for(const char* name) const;
    // rename or link from `from` to `to`: EXDEV across mounts.
    Result<void> across(const char* from, const char* to,
                        Result<void> (fs::Volume::*change)(const char*, const char*));
    // Where the folded `name` is served: the volume of its mount or /proc (`volume` and the name it
    // knows), or, for a /proc/<pid>/fd/<n> followed to a pipe, a device or the console, that
    // descriptor (`file`). Following /proc/<pid>/exe or a descriptor's link to a volume file
    // gives that file's own name.
    struct Route {
        fs::Volume* volume = nullptr;
        const OpenFile* file = nullptr;
        char name[256] = {};
    };
    Result<void> route(Process& process, const char* name, bool follow, Route& to);
    // `name` (folded) made the name it resolves to where a volume's symbolic link or ".." leads
    // out of that volume (docs/posix.md, "Mounts"); the last component's link only when `follow`.
    void leave_volumes(char (&name)[256], bool follow);
    // `given` made absolute from the working directory, folded, then leave_volumes'd: false when
    // too long.
    bool resolve_name(const Process& process, const char* given, char (&out)[256], bool follow);
    // What /proc/<pid>/exe names from now on: `path` made absolute, a final symbolic link
    // followed as Linux names the file itself (an applet's link gives /bin/busybox).
    void set_executable(Process& process, const char* path);
    // The absolute, folded name of the path at `address`, relative to directory descriptor
    // `directory` (AT_FDCWD: the working directory) when it is not absolute.
    Result<void> path_at(Process& process, int32_t directory, uint64_t address,
                         char (&out)[256]);

    alloc::ObjectAllocator& objects_;
    FramePool& frames_;
    MappingBackend& backend_;
    seL4_CPtr endpoint_;
    Console& console_;
    fs::Volume& root_;
    Process processes_[MaxProcesses];
    ProcVolume proc_{processes_, MaxProcesses};
    fs::MountTable mounts_;
    // Programs on in-memory volumes, with the pages their runs have touched (frames stay
    // allocated while cached; the oldest entry is replaced).
    static constexpr unsigned MaxCachedExecutables = 8;
    Ref<FileObject> executables_[MaxCachedExecutables];
    // SignalTrampoline's code, mapped read-only into each space that takes a handler.
    Ref<FileObject> signal_code_;
    unsigned next_executable_ = 0;
    UserRegisters pending_reply_;
    // dispatch's flat table: for each call number, 1 + the index in CallGroups of the group
    // that answered it first, 0 while unknown; only the numbers below RouteCount.
    static constexpr unsigned RouteCount = 512;
    uint8_t routes_[RouteCount] = {};
    unsigned pending_words_ = 0;
    bool reply_pending_ = false;
    // The pending reply's words are in the IPC buffer already (serve_call wrote them there),
    // not in pending_reply_.
    bool reply_in_buffer_ = false;
    // Conservative: false only when no process is blocked (retry_blocked has nothing to try) or
    // when no blocked call has a deadline and no alarm is armed (arm_clock has nothing to arm).
    // Only block() and the timer calls set them; the scans clear them.
    bool may_be_blocked_ = false;
    // Bit i: processes_[i] was blocked by block() (retry_blocked visits only these; a bit whose
    // slot is no longer blocked is cleared there).
    uint64_t blocked_slots_ = 0;
    static_assert(MaxProcesses <= 64, "blocked_slots_ has a bit a slot");
    bool may_be_timed_ = false;
    bool may_share_pending_ = false; // some process has shared pending signals (claim_shared)
    int32_t next_pid_ = 1;
    uint64_t random_state_ = 0x9e3779b97f4a7c15;
    StandardStreams streams_;
    Clock* clock_ = nullptr;
    uint64_t futex_sequence_ = 0;
    net::NameTable socket_names_; // every bound socket's name (core/socket/name_table.h)
    sysv::IpcNamespace sysv_;
};

} // namespace tessera::posix::server

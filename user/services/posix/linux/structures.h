// Linux x86_64 structures exchanged with programs, laid out as the kernel's uapi headers lay them
// out; every size and the offsets programs depend on are pinned by static_assert.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::posix::linux {

struct Timespec {
    int64_t seconds;
    int64_t nanoseconds;
};
static_assert(sizeof(Timespec) == 16);

struct Timeval {
    int64_t seconds;
    int64_t microseconds;
};
static_assert(sizeof(Timeval) == 16);

struct ItimerVal {
    Timeval interval;
    Timeval value;
};

struct Stat { // struct stat, arch/x86/include/uapi/asm/stat.h (x86_64)
    uint64_t dev;
    uint64_t ino;
    uint64_t nlink;
    uint32_t mode;
    uint32_t uid;
    uint32_t gid;
    uint32_t pad0;
    uint64_t rdev;
    int64_t size;
    int64_t block_size;
    int64_t blocks;
    Timespec atime;
    Timespec mtime;
    Timespec ctime;
    int64_t unused[3];
};
static_assert(sizeof(Stat) == 144 && offsetof(Stat, mode) == 24 && offsetof(Stat, size) == 48 &&
              offsetof(Stat, atime) == 72 && offsetof(Stat, ctime) == 104);

struct StatxTime {
    int64_t seconds;
    uint32_t nanoseconds;
    int32_t reserved;
};

struct Statx { // include/uapi/linux/stat.h
    uint32_t mask;
    uint32_t block_size;
    uint64_t attributes;
    uint32_t nlink;
    uint32_t uid;
    uint32_t gid;
    uint16_t mode;
    uint16_t spare0;
    uint64_t ino;
    uint64_t size;
    uint64_t blocks;
    uint64_t attributes_mask;
    StatxTime atime;
    StatxTime btime;
    StatxTime ctime;
    StatxTime mtime;
    uint32_t rdev_major;
    uint32_t rdev_minor;
    uint32_t dev_major;
    uint32_t dev_minor;
    uint64_t mount_id;
    uint32_t dio_mem_align;
    uint32_t dio_offset_align;
    uint64_t spare[12];
};
static_assert(sizeof(Statx) == 256 && offsetof(Statx, ino) == 32 && offsetof(Statx, atime) == 64 &&
              offsetof(Statx, rdev_major) == 128 && offsetof(Statx, mount_id) == 144);

struct Statfs { // struct statfs (x86_64: every field a long)
    int64_t type;
    int64_t block_size;
    uint64_t blocks;
    uint64_t free_blocks;
    uint64_t available_blocks;
    uint64_t files;
    uint64_t free_files;
    int32_t fsid[2];
    int64_t name_length;
    int64_t fragment_size;
    int64_t flags;
    int64_t spare[4];
};
static_assert(sizeof(Statfs) == 120);

struct Dirent64Header { // struct linux_dirent64 without its name
    uint64_t ino;
    int64_t offset;
    uint16_t record_length;
    uint8_t type;
};
inline constexpr size_t Dirent64NameOffset = 19;

struct IoVec {
    uint64_t base;
    uint64_t length;
};
static_assert(sizeof(IoVec) == 16);

struct PollFd {
    int32_t fd;
    int16_t events;
    int16_t revents;
};
static_assert(sizeof(PollFd) == 8);

struct KernelSigaction { // what rt_sigaction exchanges (arch/x86: handler, flags, restorer, mask)
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};
static_assert(sizeof(KernelSigaction) == 32);

struct StackT {
    uint64_t base;
    int32_t flags;
    int32_t pad;
    uint64_t size;
};
static_assert(sizeof(StackT) == 24);

struct SigInfo { // siginfo_t, 128 bytes; the union's fields as the server fills them
    int32_t signo;
    int32_t error;
    int32_t code;
    int32_t pad;
    union {
        struct {
            int32_t pid;
            uint32_t uid;
            int32_t status; // SIGCHLD
            int32_t pad;
            int64_t user_time;
            int64_t system_time;
        } child;
        struct {
            uint64_t address; // SIGSEGV, SIGBUS, SIGILL, SIGFPE
        } fault;
        struct {
            int32_t timer_id;
            int32_t overrun;
            uint64_t value;
        } timer;
        uint8_t bytes[112];
    } fields;
};
static_assert(sizeof(SigInfo) == 128 && offsetof(SigInfo, fields) == 16);

struct SigContext { // struct sigcontext (x86_64), the registers of a signal frame
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t error, trap_number, old_mask, cr2;
    uint64_t fpstate;
    uint64_t reserved[8];
};
static_assert(sizeof(SigContext) == 256);

struct UContext { // the kernel's struct ucontext (x86_64)
    uint64_t flags;
    uint64_t link;
    StackT stack;
    SigContext context;
    uint64_t signal_mask;
};
static_assert(sizeof(UContext) == 304 && offsetof(UContext, context) == 40);

// struct rt_sigframe (arch/x86/include/asm/sigframe.h): the return address (the restorer) at the
// handler's stack pointer, then the ucontext, then the siginfo.
struct RtSigFrame {
    uint64_t return_address;
    UContext context;
    SigInfo info;
};
static_assert(sizeof(RtSigFrame) == 440 && offsetof(RtSigFrame, info) == 312);

struct Termios { // struct termios as TCGETS/TCSETS exchange it
    uint32_t iflag;
    uint32_t oflag;
    uint32_t cflag;
    uint32_t lflag;
    uint8_t line;
    uint8_t cc[19];
};
static_assert(sizeof(Termios) == 36);

struct WinSize {
    uint16_t rows;
    uint16_t columns;
    uint16_t x_pixels;
    uint16_t y_pixels;
};

struct Utsname {
    char sysname[65];
    char nodename[65];
    char release[65];
    char version[65];
    char machine[65];
    char domainname[65];
};
static_assert(sizeof(Utsname) == 390);

struct Rlimit {
    uint64_t current;
    uint64_t maximum;
};

struct Rusage {
    Timeval user_time;
    Timeval system_time;
    int64_t fields[14];
};
static_assert(sizeof(Rusage) == 144);

struct Tms {
    int64_t user;
    int64_t system;
    int64_t children_user;
    int64_t children_system;
};

struct SysInfo {
    int64_t uptime;
    uint64_t loads[3];
    uint64_t total_ram;
    uint64_t free_ram;
    uint64_t shared_ram;
    uint64_t buffer_ram;
    uint64_t total_swap;
    uint64_t free_swap;
    uint16_t processes;
    uint16_t pad;
    uint32_t pad2;
    uint64_t total_high;
    uint64_t free_high;
    uint32_t memory_unit;
    uint32_t pad3;
};
static_assert(sizeof(SysInfo) == 112 && offsetof(SysInfo, processes) == 80 &&
              offsetof(SysInfo, memory_unit) == 104);

struct Flock {
    int16_t type;
    int16_t whence;
    int32_t pad;
    int64_t start;
    int64_t length;
    int32_t pid;
    int32_t pad2;
};
static_assert(sizeof(Flock) == 32);

struct SchedParam {
    int32_t priority;
};

// Sockets
struct SockAddrUnix {
    uint16_t family;
    char path[108];
};
static_assert(sizeof(SockAddrUnix) == 110);

struct SockAddrIn {
    uint16_t family;
    uint16_t port;    // network order
    uint32_t address; // network order
    uint8_t zero[8];
};
static_assert(sizeof(SockAddrIn) == 16);

struct MsgHdr {
    uint64_t name;
    uint32_t name_length;
    uint32_t pad;
    uint64_t iov;
    uint64_t iov_length;
    uint64_t control;
    uint64_t control_length;
    int32_t flags;
    int32_t pad2;
};
static_assert(sizeof(MsgHdr) == 56);

struct CmsgHdr {
    uint64_t length;
    int32_t level;
    int32_t type;
};
static_assert(sizeof(CmsgHdr) == 16);

struct UCred {
    int32_t pid;
    uint32_t uid;
    uint32_t gid;
};

struct Linger {
    int32_t on;
    int32_t seconds;
};

// System V IPC
struct IpcPerm {
    int32_t key;
    uint32_t uid;
    uint32_t gid;
    uint32_t cuid;
    uint32_t cgid;
    uint16_t mode;
    uint16_t pad1;
    uint16_t sequence;
    uint16_t pad2;
    uint32_t pad3;
    uint64_t unused1;
    uint64_t unused2;
};
static_assert(sizeof(IpcPerm) == 48);

struct MsqidDs {
    IpcPerm perm;
    int64_t send_time;
    int64_t receive_time;
    int64_t change_time;
    uint64_t bytes;
    uint64_t messages;
    uint64_t max_bytes;
    int32_t last_sender;
    int32_t last_receiver;
    uint64_t unused[2];
};
static_assert(sizeof(MsqidDs) == 120);

struct SemidDs {
    IpcPerm perm;
    int64_t operation_time;
    uint64_t unused1;
    int64_t change_time;
    uint64_t unused2;
    uint64_t semaphores;
    uint64_t unused3;
    uint64_t unused4;
};
static_assert(sizeof(SemidDs) == 104);

struct ShmidDs {
    IpcPerm perm;
    uint64_t size;
    int64_t attach_time;
    int64_t detach_time;
    int64_t change_time;
    int32_t creator;
    int32_t last_operator;
    uint64_t attaches;
    uint64_t unused[2];
};
static_assert(sizeof(ShmidDs) == 112);

struct SemBuf {
    uint16_t number;
    int16_t operation;
    int16_t flags;
};
static_assert(sizeof(SemBuf) == 6);

} // namespace tessera::posix::linux

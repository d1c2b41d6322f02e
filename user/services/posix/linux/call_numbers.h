// Linux x86_64 system-call numbers (arch/x86/entry/syscalls/syscall_64.tbl) of the calls the
// server handles.
#pragma once

#include <stdint.h>

namespace tessera::posix::linux::nr {

inline constexpr uint64_t Read = 0, Write = 1, Open = 2, Close = 3, Stat = 4, Fstat = 5,
                          Lstat = 6, Poll = 7, Lseek = 8, Mmap = 9, Mprotect = 10, Munmap = 11,
                          Brk = 12, RtSigaction = 13, RtSigprocmask = 14, RtSigreturn = 15, Ioctl = 16,
                          Pread64 = 17, Pwrite64 = 18, Readv = 19, Writev = 20, Access = 21, Pipe = 22, Select = 23, SchedYield = 24, Mremap = 25,
                          Madvise = 28, Pause = 34, Getitimer = 36, Alarm = 37, Setitimer = 38, Nanosleep = 35, Dup = 32, Dup2 = 33, Getpid = 39, Sendfile = 40, Sendto = 44, Recvfrom = 45, Socketpair = 53, Clone = 56, Fork = 57,
                          Vfork = 58, Execve = 59, Exit = 60, Wait4 = 61, Kill = 62,
                          Uname = 63, Fcntl = 72, Sysinfo = 99, Getcwd = 79, Gettimeofday = 96, Chdir = 80, Readlink = 89,
                          Umask = 95, Getuid = 102, Getgid = 104, Geteuid = 107, Getegid = 108,
                          Setpgid = 109, Getppid = 110, Getpgrp = 111, Setsid = 112,
                          Getpgid = 121, Getsid = 124, RtSigpending = 127, RtSigsuspend = 130, Sigaltstack = 131, Prctl = 157, ArchPrctl = 158,
                          Gettid = 186, Time = 201, Futex = 202, Tkill = 200, Getdents64 = 217, SetTidAddress = 218, ClockGettime = 228, ClockGetres = 229, ClockNanosleep = 230,
                          ExitGroup = 231, Tgkill = 234, Openat = 257, Newfstatat = 262, Pselect6 = 270, Ppoll = 271, Faccessat = 269,
                          SetRobustList = 273, GetRobustList = 274, Pipe2 = 293, Dup3 = 292, Prlimit64 = 302, Getrandom = 318,
                          Statx = 332, Rseq = 334, Faccessat2 = 439;
// The calls that change names and attributes on the root volume (server/calls_names.cc).
inline constexpr uint64_t Fsync = 74, Fdatasync = 75, Truncate = 76, Ftruncate = 77,
                          Fchdir = 81, Rename = 82, Mkdir = 83, Rmdir = 84, Creat = 85, Link = 86,
                          Unlink = 87, Symlink = 88, Chmod = 90, Statfs = 137,
                          Fstatfs = 138, Sync = 162, Mkdirat = 258, Unlinkat = 263,
                          Renameat = 264, Linkat = 265, Symlinkat = 266, Readlinkat = 267,
                          Fchmodat = 268, Syncfs = 306, Renameat2 = 316, Utimes = 235,
                          Utimensat = 280, Fchmod = 91, Chown = 92, Fchown = 93, Lchown = 94,
                          Fchownat = 260;
// The socket calls (server/calls_socket.cc).
inline constexpr uint64_t Socket = 41, Connect = 42, Accept = 43, Sendmsg = 46, Recvmsg = 47,
                          Shutdown = 48, Bind = 49, Listen = 50, Getsockname = 51,
                          Getpeername = 52, Setsockopt = 54, Getsockopt = 55, Accept4 = 288;

// System V IPC.
inline constexpr uint64_t Shmget = 29, Shmat = 30, Shmctl = 31, Semget = 64, Semop = 65,
                          Semctl = 66, Shmdt = 67, Msgget = 68, Msgsnd = 69, Msgrcv = 70,
                          Msgctl = 71, Semtimedop = 220;

} // namespace tessera::posix::linux::nr

// Linux's error numbers (x86_64, include/uapi/asm-generic/errno-base.h and errno.h): a system call
// returns -errno in rax. The server's handlers speak these, never the C library's.
#pragma once

#include <stdint.h>

namespace tessera::posix::linux {

enum class Errno : int32_t {
    Perm = 1, NoEnt = 2, Srch = 3, Intr = 4, Io = 5, Nxio = 6, TooBig = 7, NoExec = 8,
    BadF = 9, Child = 10, Again = 11, NoMem = 12, Acces = 13, Fault = 14, NotBlk = 15,
    Busy = 16, Exist = 17, XDev = 18, NoDev = 19, NotDir = 20, IsDir = 21, Inval = 22,
    NFile = 23, MFile = 24, NotTy = 25, TxtBsy = 26, FBig = 27, NoSpc = 28, SPipe = 29,
    RoFs = 30, MLink = 31, Pipe = 32, Dom = 33, Range = 34, DeadLk = 35, NameTooLong = 36,
    NoLck = 37, NoSys = 38, NotEmpty = 39, Loop = 40, NoMsg = 42, Idrm = 43, NoData = 61,
    Time = 62, Overflow = 75, BadFd = 77, IlSeq = 84, NotSock = 88, DestAddrReq = 89,
    MsgSize = 90, ProtoType = 91, NoProtoOpt = 92, ProtoNoSupport = 93,
    SockTNoSupport = 94, OpNotSupp = 95, PfNoSupport = 96, AfNoSupport = 97,
    AddrInUse = 98, AddrNotAvail = 99, NetDown = 100, NetUnreach = 101, ConnAborted = 103,
    ConnReset = 104, NoBufs = 105, IsConn = 106, NotConn = 107, Shutdown = 108,
    TimedOut = 110, ConnRefused = 111, HostUnreach = 113, Already = 114, InProgress = 115,
    // Never seen by a program: a blocked call interrupted by a signal whose handler asks for
    // SA_RESTART is run again (Linux's ERESTARTSYS).
    RestartSys = 512,
};

constexpr int64_t negative(Errno e) { return -static_cast<int64_t>(e); }

} // namespace tessera::posix::linux

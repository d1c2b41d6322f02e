// Linux x86_64 numbers the server decodes: flags, commands and codes of the system calls it
// serves (include/uapi/linux/*.h and asm-generic headers). Facts of the ABI, one namespace per area.
#pragma once

#include <stdint.h>

namespace tessera::posix::linux {

namespace open_flag {
inline constexpr uint32_t AccessMode = 3, ReadOnly = 0, WriteOnly = 1, ReadWrite = 2;
inline constexpr uint32_t Create = 0100, Exclusive = 0200, NoCtty = 0400, Truncate = 01000,
                          Append = 02000, NonBlock = 04000, DSync = 010000, Async = 020000,
                          Direct = 040000, LargeFile = 0100000, Directory = 0200000,
                          NoFollow = 0400000, NoATime = 01000000, CloseOnExec = 02000000,
                          Sync = 04010000, Path = 010000000, TmpFile = 020200000;
} // namespace open_flag

namespace at {
inline constexpr int32_t FdCwd = -100;
inline constexpr uint32_t SymlinkNoFollow = 0x100, RemoveDir = 0x200, EAccess = 0x200,
                          SymlinkFollow = 0x400, NoAutomount = 0x800, EmptyPath = 0x1000,
                          StatxSyncMask = 0x6000;
} // namespace at

// utimensat's special nanosecond values: the time now, the time left as it is.
namespace utime {
inline constexpr int64_t Now = (1 << 30) - 1, Omit = (1 << 30) - 2;
} // namespace utime

namespace mode {
inline constexpr uint32_t TypeMask = 0170000, Socket = 0140000, Symlink = 0120000,
                          Regular = 0100000, Block = 060000, Directory = 040000, Char = 020000,
                          Fifo = 010000, SetUid = 04000, SetGid = 02000, Sticky = 01000,
                          GroupExecute = 010, Permissions = 07777;
} // namespace mode

namespace dirent_type {
inline constexpr uint8_t Unknown = 0, Fifo = 1, Char = 2, Directory = 4, Block = 6, Regular = 8,
                         Symlink = 10, Socket = 12;
} // namespace dirent_type

namespace fcntl_cmd {
inline constexpr int32_t DupFd = 0, GetFd = 1, SetFd = 2, GetFl = 3, SetFl = 4, GetLk = 5,
                         SetLk = 6, SetLkW = 7, SetOwn = 8, GetOwn = 9, DupFdCloseOnExec = 1030,
                         SetPipeSize = 1031, GetPipeSize = 1032;
inline constexpr uint32_t FdCloseOnExec = 1;
inline constexpr int16_t ReadLock = 0, WriteLock = 1, Unlock = 2;
} // namespace fcntl_cmd

namespace seek {
inline constexpr int32_t Set = 0, Current = 1, End = 2, Data = 3, Hole = 4;
}

namespace access_mode {
inline constexpr uint32_t Exists = 0, Execute = 1, Write = 2, Read = 4;
}

namespace mman {
inline constexpr uint32_t ProtRead = 1, ProtWrite = 2, ProtExec = 4, ProtNone = 0,
                          ProtGrowsDown = 0x01000000, ProtGrowsUp = 0x02000000;
inline constexpr uint32_t Shared = 1, Private = 2, SharedValidate = 3, TypeMask = 0xf,
                          Fixed = 0x10, Anonymous = 0x20, GrowsDown = 0x100, DenyWrite = 0x800,
                          Executable = 0x1000, Locked = 0x2000, NoReserve = 0x4000,
                          Populate = 0x8000, NonBlock = 0x10000, Stack = 0x20000,
                          HugeTlb = 0x40000, FixedNoReplace = 0x100000;
inline constexpr uint32_t RemapMayMove = 1, RemapFixed = 2, RemapDontUnmap = 4;
inline constexpr int32_t AdviseNormal = 0, AdviseRandom = 1, AdviseSequential = 2,
                         AdviseWillNeed = 3, AdviseDontNeed = 4, AdviseFree = 8;
inline constexpr uint32_t MsyncAsync = 1, MsyncInvalidate = 2, MsyncSync = 4;
} // namespace mman

namespace signal {
inline constexpr int Hup = 1, Int = 2, Quit = 3, Ill = 4, Trap = 5, Abrt = 6, Bus = 7, Fpe = 8,
                     Kill = 9, Usr1 = 10, Segv = 11, Usr2 = 12, Pipe = 13, Alrm = 14, Term = 15,
                     StkFlt = 16, Chld = 17, Cont = 18, Stop = 19, Tstp = 20, Ttin = 21,
                     Ttou = 22, Urg = 23, XCpu = 24, XFsz = 25, VtAlrm = 26, Prof = 27,
                     Winch = 28, Io = 29, Pwr = 30, Sys = 31, RtMin = 32, Max = 64;
inline constexpr uint64_t DefaultHandler = 0, IgnoreHandler = 1;
inline constexpr uint64_t NoChildStop = 1, NoChildWait = 2, SigInfo = 4, Restorer = 0x04000000,
                          OnStack = 0x08000000, Restart = 0x10000000, NoDefer = 0x40000000,
                          ResetHand = 0x80000000;
inline constexpr int32_t Block = 0, Unblock = 1, SetMask = 2;
inline constexpr int32_t StackOnStack = 1, StackDisable = 2;
inline constexpr uint64_t MinStackSize = 2048;
// si_code values
inline constexpr int32_t CodeUser = 0, CodeKernel = 0x80, CodeQueue = -1, CodeTimer = -2,
                         CodeTkill = -6;
inline constexpr int32_t ChildExited = 1, ChildKilled = 2, ChildDumped = 3, ChildTrapped = 4,
                         ChildStopped = 5, ChildContinued = 6;
inline constexpr int32_t SegvMapErr = 1, SegvAccErr = 2, BusAdrErr = 2, IllOpc = 1,
                         IllPrvOpc = 5, FpeIntDiv = 1, TrapBrkpt = 1;
inline constexpr int32_t IllOpn = 2, BusAdrAln = 1;
inline constexpr int32_t StackAutoDisarm = int32_t(1u << 31);
} // namespace signal

namespace wait_flag {
inline constexpr uint32_t NoHang = 1, Untraced = 2, Stopped = 2, Exited = 4, Continued = 8,
                          NoWait = 0x01000000, NoThread = 0x20000000, All = 0x40000000,
                          Clone = 0x80000000;
inline constexpr int32_t IdAll = 0, IdPid = 1, IdPgid = 2, IdPidFd = 3;
} // namespace wait_flag

namespace clone_flag {
inline constexpr uint64_t SignalMask = 0xff, Vm = 0x100, Fs = 0x200, Files = 0x400,
                          SigHand = 0x800, PidFd = 0x1000, Ptrace = 0x2000, VFork = 0x4000,
                          Parent = 0x8000, Thread = 0x10000, NewNs = 0x20000,
                          SysVSem = 0x40000, SetTls = 0x80000, ParentSetTid = 0x100000,
                          ChildClearTid = 0x200000, Detached = 0x400000, Untraced = 0x800000,
                          ChildSetTid = 0x1000000, NewCgroup = 0x02000000, NewUts = 0x04000000,
                          NewIpc = 0x08000000, NewUser = 0x10000000, NewPid = 0x20000000,
                          NewNet = 0x40000000, Io = 0x80000000;
} // namespace clone_flag

namespace futex_op {
inline constexpr int32_t Wait = 0, Wake = 1, Fd = 2, Requeue = 3, CmpRequeue = 4, WakeOp = 5,
                         LockPi = 6, UnlockPi = 7, TryLockPi = 8, WaitBitset = 9,
                         WakeBitset = 10, WaitRequeuePi = 11, CmpRequeuePi = 12, LockPi2 = 13,
                         Private = 128, ClockRealtime = 256, CommandMask = 127;
inline constexpr uint32_t BitsetMatchAny = 0xffffffff;
} // namespace futex_op

namespace arch_prctl_code {
inline constexpr int32_t SetGs = 0x1001, SetFs = 0x1002, GetFs = 0x1003, GetGs = 0x1004,
                         GetCpuid = 0x1011, SetCpuid = 0x1012;
}

namespace prctl_option {
inline constexpr int32_t SetPdeathsig = 1, GetPdeathsig = 2, GetDumpable = 3, SetDumpable = 4,
                         GetKeepCaps = 7, SetKeepCaps = 8, GetTimerSlack = 30,
                         SetTimerSlack = 29, SetName = 15, GetName = 16, CapbsetRead = 23,
                         SetChildSubreaper = 36, GetChildSubreaper = 37, SetNoNewPrivs = 38,
                         GetNoNewPrivs = 39, SetThpDisable = 41, GetThpDisable = 42,
                         SetVma = 0x53564d41;
}

namespace rlimit_resource {
inline constexpr int32_t Cpu = 0, FSize = 1, Data = 2, Stack = 3, Core = 4, Rss = 5, NProc = 6,
                         NoFile = 7, MemLock = 8, As = 9, Locks = 10, SigPending = 11,
                         MsgQueue = 12, Nice = 13, RtPrio = 14, RtTime = 15, Count = 16;
inline constexpr uint64_t Infinity = ~uint64_t{0};
} // namespace rlimit_resource

namespace clock_id {
inline constexpr int32_t Realtime = 0, Monotonic = 1, ProcessCpu = 2, ThreadCpu = 3,
                         MonotonicRaw = 4, RealtimeCoarse = 5, MonotonicCoarse = 6,
                         Boottime = 7, RealtimeAlarm = 8, BoottimeAlarm = 9, Tai = 11;
inline constexpr uint32_t AbsoluteTime = 1;
} // namespace clock_id

namespace itimer {
inline constexpr int32_t Real = 0, Virtual = 1, Profile = 2;
}

namespace poll_event {
inline constexpr uint16_t In = 1, Pri = 2, Out = 4, Err = 8, Hup = 0x10, Nval = 0x20,
                          RdNorm = 0x40, RdBand = 0x80, WrNorm = 0x100, WrBand = 0x200,
                          RdHup = 0x2000;
}

namespace ioctl_cmd {
inline constexpr uint32_t TcGets = 0x5401, TcSets = 0x5402, TcSetsW = 0x5403, TcSetsF = 0x5404,
                          TcGeta = 0x5405, TcSbrk = 0x5409, TcXonc = 0x540A, TcFlsh = 0x540B,
                          TiocExcl = 0x540C, TiocNxcl = 0x540D, TiocSctty = 0x540E,
                          TiocGpgrp = 0x540F, TiocSpgrp = 0x5410, TiocOutq = 0x5411,
                          TiocSti = 0x5412, TiocGwinsz = 0x5413, TiocSwinsz = 0x5414,
                          FionRead = 0x541B, TiocLinux = 0x541C, TiocNotty = 0x5422,
                          TcSbrkP = 0x5425, TiocGsid = 0x5429, TiocGptn = 0x80045430,
                          TiocSptlck = 0x40045431, FionClex = 0x5450, FioClex = 0x5451,
                          FionBio = 0x5421, FioAsync = 0x5452, TiocGdev = 0x80045432;
} // namespace ioctl_cmd

namespace termios_flag {
// c_iflag
inline constexpr uint32_t IgnBrk = 1, BrkInt = 2, IgnPar = 4, ParMrk = 8, InPck = 0x10,
                          IStrip = 0x20, InLcr = 0x40, IgnCr = 0x80, ICrNl = 0x100,
                          IUcLc = 0x200, IXon = 0x400, IXAny = 0x800, IXOff = 0x1000,
                          IMaxBel = 0x2000, IUtf8 = 0x4000;
// c_oflag
inline constexpr uint32_t OPost = 1, OLcUc = 2, ONlCr = 4, OCrNl = 8, ONoCr = 0x10,
                          ONlRet = 0x20;
// c_cflag
inline constexpr uint32_t B38400 = 0xf, Cs8 = 0x30, CRead = 0x80, HupCl = 0x400,
                          CLocal = 0x800;
// c_lflag
inline constexpr uint32_t ISig = 1, ICanon = 2, XCase = 4, Echo = 8, EchoE = 0x10,
                          EchoK = 0x20, EchoNl = 0x40, NoFlsh = 0x80, ToStop = 0x100,
                          EchoCtl = 0x200, EchoPrt = 0x400, EchoKe = 0x800, IExten = 0x8000;
// c_cc indices
inline constexpr unsigned VIntr = 0, VQuit = 1, VErase = 2, VKill = 3, VEof = 4, VTime = 5,
                          VMin = 6, VSwtc = 7, VStart = 8, VStop = 9, VSusp = 10, VEol = 11,
                          VReprint = 12, VDiscard = 13, VWErase = 14, VLNext = 15, VEol2 = 16,
                          CcCount = 19;
inline constexpr int32_t FlushIn = 0, FlushOut = 1, FlushInOut = 2;
} // namespace termios_flag

namespace socket_const {
inline constexpr int32_t Unix = 1, Inet = 2, Inet6 = 10, Netlink = 16;
inline constexpr int32_t Stream = 1, Datagram = 2, Raw = 3, SeqPacket = 5, TypeMask = 0xf;
inline constexpr uint32_t NonBlock = 04000, CloseOnExec = 02000000;
inline constexpr int32_t LevelSocket = 1, LevelIp = 0, LevelTcp = 6, LevelUdp = 17,
                         LevelIpv6 = 41;
inline constexpr int32_t ProtoTcp = 6, ProtoUdp = 17;
inline constexpr int32_t OptDebug = 1, OptReuseAddr = 2, OptType = 3, OptError = 4,
                         OptDontRoute = 5, OptBroadcast = 6, OptSndBuf = 7, OptRcvBuf = 8,
                         OptKeepAlive = 9, OptOobInline = 10, OptLinger = 13,
                         OptReusePort = 15, OptPassCred = 16, OptPeerCred = 17,
                         OptRcvLowat = 18, OptSndLowat = 19, OptRcvTimeo = 20,
                         OptSndTimeo = 21, OptAcceptConn = 30, OptProtocol = 38,
                         OptDomain = 39;
inline constexpr int32_t TcpNoDelay = 1;
inline constexpr uint32_t MsgOob = 1, MsgPeek = 2, MsgDontRoute = 4, MsgCTrunc = 8,
                          MsgTrunc = 0x20, MsgDontWait = 0x40, MsgEor = 0x80,
                          MsgWaitAll = 0x100, MsgNoSignal = 0x4000, MsgCmsgCloexec = 0x40000000;
inline constexpr int32_t ShutRead = 0, ShutWrite = 1, ShutBoth = 2;
inline constexpr int32_t ScmRights = 1, ScmCredentials = 2;
inline constexpr uint32_t Loopback = 0x7f000001; // 127.0.0.1, host order
} // namespace socket_const

namespace sysv {
inline constexpr uint32_t Create = 01000, Exclusive = 02000, NoWait = 04000;
inline constexpr int32_t Private = 0;
inline constexpr int32_t Remove = 0, Set = 1, Stat = 2, Info = 3, MsgStat = 11, MsgInfo = 12,
                         SemStat = 18, SemInfo = 19, ShmStat = 13, ShmInfo = 14;
inline constexpr int32_t GetPid = 11, GetVal = 12, GetAll = 13, GetNCnt = 14, GetZCnt = 15,
                         SetVal = 16, SetAll = 17;
inline constexpr int16_t SemUndo = 0x1000;
inline constexpr uint32_t MsgNoError = 010000, MsgExcept = 020000, MsgCopy = 040000;
inline constexpr uint32_t ShmReadOnly = 010000, ShmRound = 020000, ShmRemap = 040000,
                          ShmExec = 0100000;
inline constexpr int32_t ShmLock = 11, ShmUnlock = 12;
} // namespace sysv

namespace auxv {
inline constexpr uint64_t Null = 0, Ignore = 1, ExecFd = 2, Phdr = 3, Phent = 4, Phnum = 5,
                          PageSize = 6, Base = 7, Flags = 8, Entry = 9, NotElf = 10, Uid = 11,
                          Euid = 12, Gid = 13, Egid = 14, Platform = 15, HwCap = 16,
                          ClockTick = 17, Secure = 23, BasePlatform = 24, Random = 25,
                          HwCap2 = 26, ExecFn = 31, SysinfoEhdr = 33, MinSigStackSize = 51;
} // namespace auxv

namespace random_flag {
inline constexpr uint32_t NonBlock = 1, Random = 2, Insecure = 4;
}

namespace statx_mask {
inline constexpr uint32_t Type = 1, Mode = 2, NLink = 4, Uid = 8, Gid = 0x10, ATime = 0x20,
                          MTime = 0x40, CTime = 0x80, Ino = 0x100, Size = 0x200,
                          Blocks = 0x400, BasicStats = 0x7ff, BTime = 0x800, MntId = 0x1000;
}

namespace sched {
inline constexpr int32_t Other = 0, Fifo = 1, RoundRobin = 2, Batch = 3, Idle = 5;
}

} // namespace tessera::posix::linux

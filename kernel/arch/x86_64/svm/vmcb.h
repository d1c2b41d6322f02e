// The VMCB's layout (AMD APM vol. 2, appendix B): offsets into the 4 KiB control block, the
// intercept bits the kernel sets and the fields it reads after an exit. Only this folder uses it.
#pragma once

#include <cstdint>

namespace tessera::x86_64::vmcb {

// Control area.
inline constexpr unsigned InterceptCr = 0x000, InterceptDr = 0x004, InterceptExceptions = 0x008,
                          InterceptMisc1 = 0x00c, InterceptMisc2 = 0x010, IopmBase = 0x040,
                          MsrpmBase = 0x048, TscOffset = 0x050, GuestAsid = 0x058,
                          TlbControl = 0x05c, VirtualInterrupt = 0x060, InterruptShadow = 0x068,
                          ExitCode = 0x070, ExitInfo1 = 0x078, ExitInfo2 = 0x080,
                          ExitInterruptInfo = 0x088, NestedControl = 0x090, EventInject = 0x0a8,
                          NestedCr3 = 0x0b0, CleanBits = 0x0c0;

// State save area: segments are 16 bytes (selector 2, attributes 2, limit 4, base 8).
inline constexpr unsigned Es = 0x400, Cs = 0x410, Ss = 0x420, Ds = 0x430, Fs = 0x440, Gs = 0x450,
                          Gdtr = 0x460, Ldtr = 0x470, Idtr = 0x480, Tr = 0x490, Cpl = 0x4cb,
                          Efer = 0x4d0, Cr4 = 0x548, Cr3 = 0x550, Cr0 = 0x558, Dr7 = 0x560,
                          Dr6 = 0x568, Rflags = 0x570, Rip = 0x578, Rsp = 0x5d8, Rax = 0x5f8,
                          Star = 0x600, Lstar = 0x608, Cstar = 0x610, Sfmask = 0x618,
                          KernelGsBase = 0x620, SysenterCs = 0x628, SysenterEsp = 0x630,
                          SysenterEip = 0x638, Cr2 = 0x640, GuestPat = 0x668;
inline constexpr unsigned SegmentSelector = 0, SegmentAttributes = 2, SegmentLimit = 4,
                          SegmentBase = 8;

// Intercept word 1 (offset 0x00c).
namespace misc1 {
inline constexpr uint32_t Intr = 1u << 0, Nmi = 1u << 1, Smi = 1u << 2, Init = 1u << 3,
                          Vintr = 1u << 4, Cpuid = 1u << 18, Invd = 1u << 22, Hlt = 1u << 24,
                          Invlpga = 1u << 26, IoioProt = 1u << 27, MsrProt = 1u << 28,
                          TaskSwitch = 1u << 29, FerrFreeze = 1u << 30, Shutdown = 1u << 31;
}
// Intercept word 2 (offset 0x010).
namespace misc2 {
inline constexpr uint32_t Vmrun = 1u << 0, Vmmcall = 1u << 1, Vmload = 1u << 2, Vmsave = 1u << 3,
                          Stgi = 1u << 4, Clgi = 1u << 5, Skinit = 1u << 6, Rdtscp = 1u << 7,
                          Monitor = 1u << 10, Mwait = 1u << 11, MwaitConditional = 1u << 12,
                          Xsetbv = 1u << 13;
}

// VMCB 0x060.
namespace vintr {
inline constexpr uint64_t Tpr = 0xff, Irq = 1u << 8, Priority = 0xfu << 16, IgnoreTpr = 1u << 20,
                          Masking = 1u << 24, Vector = uint64_t{0xff} << 32;
// What a VMM may set: the rest (masking, VGIF, AVIC) stays the kernel's.
inline constexpr uint64_t Writable = Tpr | Irq | Priority | IgnoreTpr | Vector;
} // namespace vintr

// EVENTINJ and EXITINTINFO: vector 7:0, type 10:8, error code valid 11, valid 31, code 63:32.
namespace event {
inline constexpr uint64_t Vector = 0xff, Type = 7u << 8, ErrorValid = 1u << 11, Valid = 1u << 31,
                          ErrorCode = uint64_t{0xffffffff} << 32;
inline constexpr uint64_t TypeInterrupt = 0u << 8, TypeNmi = 2u << 8, TypeException = 3u << 8,
                          TypeSoftware = 4u << 8;
} // namespace event

inline constexpr uint64_t NestedPagingEnable = 1u << 0;

// Exit codes the kernel handles itself (appendix C).
inline constexpr uint64_t ExitIntr = 0x60, ExitNmi = 0x61, ExitSmi = 0x62, ExitInit = 0x63;

inline constexpr uint64_t EferSvme = 1u << 12;

template <class T> inline T& at(uint8_t* vmcb, unsigned offset)
{
    return *reinterpret_cast<T*>(vmcb + offset);
}

} // namespace tessera::x86_64::vmcb

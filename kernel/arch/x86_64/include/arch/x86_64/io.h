// Port I/O and the few privileged instructions that C++ reaches through inline assembly.
// Kept in one header so that every use of them is easy to find.
#pragma once

#include <cstdint>

namespace tessera::x86_64 {

inline void out8(uint16_t port, uint8_t value) { asm volatile("outb %0, %1" ::"a"(value), "Nd"(port)); }
inline void out16(uint16_t port, uint16_t value) { asm volatile("outw %0, %1" ::"a"(value), "Nd"(port)); }
inline void out32(uint16_t port, uint32_t value) { asm volatile("outl %0, %1" ::"a"(value), "Nd"(port)); }
inline uint8_t in8(uint16_t port)
{
    uint8_t value;
    asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

inline uint16_t in16(uint16_t port)
{
    uint16_t value;
    asm volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
inline uint32_t in32(uint16_t port)
{
    uint32_t value;
    asm volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

inline uint64_t read_msr(uint32_t msr)
{
    uint32_t low, high;
    asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return (uint64_t(high) << 32) | low;
}
inline void write_msr(uint32_t msr, uint64_t value)
{
    asm volatile("wrmsr" ::"c"(msr), "a"(uint32_t(value)), "d"(uint32_t(value >> 32)));
}

inline uint64_t read_tsc()
{
    uint32_t low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (uint64_t(high) << 32) | low;
}

inline uint64_t read_cr0() { uint64_t v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
inline uint64_t read_cr2() { uint64_t v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
inline uint64_t read_cr3() { uint64_t v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
inline uint64_t read_cr4() { uint64_t v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
inline void write_cr0(uint64_t v) { asm volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
inline void write_cr3(uint64_t v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
inline void write_cr4(uint64_t v) { asm volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }

inline void invalidate_page(uint64_t vaddr) { asm volatile("invlpg (%0)" ::"r"(vaddr) : "memory"); }
[[noreturn]] inline void halt_forever()
{
    for (;;)
        asm volatile("cli; hlt");
}

namespace msr {
inline constexpr uint32_t Efer = 0xC0000080;
inline constexpr uint32_t Star = 0xC0000081;
inline constexpr uint32_t LStar = 0xC0000082;
inline constexpr uint32_t SyscallMask = 0xC0000084;
inline constexpr uint32_t FsBase = 0xC0000100;
inline constexpr uint32_t GsBase = 0xC0000101;
inline constexpr uint32_t KernelGsBase = 0xC0000102;
inline constexpr uint32_t ApicBase = 0x1B;
inline constexpr uint32_t Pat = 0x277;
} // namespace msr

namespace efer {
inline constexpr uint64_t SyscallEnable = 1u << 0;
inline constexpr uint64_t LongModeEnable = 1u << 8;
inline constexpr uint64_t NoExecuteEnable = 1u << 11;
} // namespace efer

namespace cr0 {
inline constexpr uint64_t MonitorCoprocessor = 1u << 1;
inline constexpr uint64_t Emulation = 1u << 2;
inline constexpr uint64_t TaskSwitched = 1u << 3;
inline constexpr uint64_t NumericError = 1u << 5;
inline constexpr uint64_t WriteProtect = 1u << 16;
} // namespace cr0

namespace cr4 {
inline constexpr uint64_t PageGlobal = 1u << 7;
inline constexpr uint64_t OsFxsr = 1u << 9;
inline constexpr uint64_t OsXmmExcept = 1u << 10;
inline constexpr uint64_t FsGsBase = 1u << 16;
inline constexpr uint64_t Pcid = 1u << 17;
inline constexpr uint64_t Smep = 1u << 20;
inline constexpr uint64_t Smap = 1u << 21;
} // namespace cr4

} // namespace tessera::x86_64

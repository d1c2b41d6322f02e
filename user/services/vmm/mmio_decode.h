// Decoding the instruction behind an MMIO exit. QEMU's SVM gives neither next-RIP nor the
// instruction bytes (no NRIP save, no decode assists: shared/PLATFORM.md), so the VMM reads the
// bytes at the guest's RIP and decodes them itself: which register or immediate is moved, how
// wide the access is, how the loaded value extends, and how long the instruction is. 64-bit mode
// only; the instructions compilers emit for readb..readq and writeb..writeq (the MOV forms,
// MOVZX, MOVSX), which is what Linux uses for MMIO. Anything else is refused, not guessed.
#pragma once

#include <tessera/libos/result.h>

#include <stddef.h>
#include <stdint.h>

namespace tessera::services::vmm {

constexpr size_t MaxInstructionBytes = 15; // x86 architectural limit

// General registers in the encoding's order (RAX=0 ... R15=15).
struct GuestRegisters {
    uint64_t gpr[16];
};

enum class MmioDirection : uint8_t { Read, Write };

// How a read's value reaches its register.
enum class MmioExtend : uint8_t {
    None, // MOV: an 8/16-bit load merges, a 32-bit load zeroes bits 32-63
    Zero, // MOVZX to the destination size
    Sign, // MOVSX to the destination size
};

enum class MmioOperand : uint8_t { Register, Immediate };

struct MmioAccess {
    MmioDirection direction;
    uint8_t size;        // bytes on the bus: 1, 2, 4 or 8
    MmioOperand operand; // writes: a register or an immediate; reads: always a register
    uint8_t reg;         // 0-15; with high_byte, 4-7 mean AH, CH, DH, BH
    bool high_byte;
    uint64_t immediate; // already sign-extended to `size`
    MmioExtend extend;
    uint8_t destination_size; // reads: the register width written (MOVZX/MOVSX: 2, 4 or 8)
    uint8_t length;           // instruction bytes, to advance RIP past it
};

// Decodes `bytes` (`count` of them were readable at RIP, at most MaxInstructionBytes are looked
// at). Errors (seL4_InvalidArgument, naming the reason): an instruction that is not one of the
// supported MMIO moves, a register-to-register form, or bytes that end mid-instruction.
libos::Result<MmioAccess> decode_mmio(const uint8_t* bytes, size_t count);

// The value a write puts on the bus (`size` bytes, zero above).
uint64_t mmio_write_value(const MmioAccess& access, const GuestRegisters& registers);

// Completes a read: puts `value` (the device's `size` bytes) into the destination register as
// the instruction would.
void complete_mmio_read(const MmioAccess& access, uint64_t value, GuestRegisters& registers);

} // namespace tessera::services::vmm

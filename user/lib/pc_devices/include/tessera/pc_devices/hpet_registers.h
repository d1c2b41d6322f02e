// The PC's HPET as its registers define it (IA-PC HPET specification 1.0a, section 2.3): where
// QEMU's PC puts it, the line its timer 0 raises in legacy replacement mode, the register offsets
// and their bits. Facts only, for the HPET driver, the device suites and the benchmarks alike.
#pragma once

#include <stdint.h>

namespace tessera::pc_devices::hpet {

constexpr uint64_t Address = 0xfed00000; // the PC's HPET register block (1 KiB)
constexpr uint64_t LegacyPin = 2;        // ISA IRQ 0 arrives on IOAPIC pin 2 (QEMU's MADT override)

// Register offsets in bytes; every register is 64 bits wide.
constexpr uint32_t Capabilities = 0x000, Configuration = 0x010, MainCounter = 0x0f0,
                   Timer0Configuration = 0x100, Timer0Comparator = 0x108;

// General capabilities: the counter's period in femtoseconds in bits 63:32.
constexpr unsigned PeriodShift = 32;
constexpr uint64_t CounterIs64Bits = 1ull << 13, LegacyRoutingCapable = 1ull << 15;
// General configuration.
constexpr uint64_t Enable = 1ull << 0, LegacyRouting = 1ull << 1;
// Timer N configuration.
constexpr uint64_t LevelTriggered = 1ull << 1, InterruptEnable = 1ull << 2, Periodic = 1ull << 3,
                   Force32Bit = 1ull << 8;

// The index of a register in the block seen as 64-bit words.
constexpr uint32_t word(uint32_t offset) { return offset / 8; }

} // namespace tessera::pc_devices::hpet

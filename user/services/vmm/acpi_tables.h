// The minimal ACPI tables a Linux guest needs from the VMM: RSDP, XSDT, FADT (with FACS and a
// DSDT holding \_S5, so that `poweroff` writes SLP_TYP|SLP_EN to PM1a control, and the PCI root
// bridge \_SB.PCI0 with its resources and INTx routing, so that Linux scans bus 0), and a MADT
// describing the VCPUs' local APICs, one I/O APIC and the ISA overrides. Facts from the ACPI 6.4
// specification (5.2.5 RSDP, 5.2.6 header, 5.2.8 XSDT, 5.2.9 FADT, 5.2.10 FACS, 5.2.12 MADT,
// 6.1-6.2 device objects, 6.4 resources, 20 AML, made by aml.h); tables are written, never
// copied, so their layout is here.
#pragma once

#include <tessera/libos/result.h>

#include <stddef.h>
#include <stdint.h>

namespace tessera::services::vmm {

// The I/O ports of the ACPI fixed hardware the VMM emulates (FADT PM1a event/control, PM timer)
// and the chipset reset register.
namespace acpi_port {
constexpr uint16_t Pm1aEvent = 0x600;   // 4 bytes: status, enable
constexpr uint16_t Pm1aControl = 0x604; // 2 bytes
constexpr uint16_t PmTimer = 0x608;     // 4 bytes, 3.579545 MHz, 32-bit
constexpr uint16_t Reset = 0xcf9;
constexpr uint8_t ResetValue = 0x06;
} // namespace acpi_port

// PM1 control bits (ACPI 6.4, 4.8.3.2.1) and the S5 sleep type the DSDT's \_S5 announces.
constexpr uint16_t Pm1SciEnable = 1u << 0;
constexpr unsigned Pm1SleepTypeShift = 10;
constexpr uint16_t Pm1SleepTypeMask = 7u << Pm1SleepTypeShift;
constexpr uint16_t Pm1SleepEnable = 1u << 13;
constexpr uint8_t S5SleepType = 5;
constexpr uint8_t SciIrq = 9;

constexpr uint64_t LocalApicAddress = 0xfee00000;
constexpr uint64_t IoApicAddress = 0xfec00000;
constexpr unsigned MaxAcpiCpus = 64;

struct AcpiConfig {
    unsigned cpus; // 1..MaxAcpiCpus: local APIC IDs 0..cpus-1
};

// Where the tables went, as guest-physical addresses.
struct AcpiLayout {
    uint64_t rsdp;
    uint64_t xsdt;
    uint64_t fadt;
    uint64_t facs;
    uint64_t dsdt;
    uint64_t madt;
    uint64_t end; // one past the last byte written
};

// Bytes the tables need at most (for MaxAcpiCpus).
constexpr size_t AcpiRegionBytes = 0x1000;

// Writes the tables into `region`, which the guest sees at `guest_address` (16-byte aligned,
// below 4 GiB, AcpiRegionBytes long). Errors (seL4_InvalidArgument): a CPU count out of range,
// an unaligned or too high address. Nothing is written on error.
libos::Result<AcpiLayout> write_acpi_tables(const AcpiConfig& config, uint8_t* region,
                                            uint64_t guest_address);

} // namespace tessera::services::vmm

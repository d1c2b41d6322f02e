// Writing the guest's ACPI tables (acpi_tables.h).
#include "acpi_tables.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

// Offsets of each table inside the region; FACS must be 64-byte aligned (ACPI 6.4, 5.2.10).
constexpr size_t RsdpAt = 0x000;
constexpr size_t FacsAt = 0x040;
constexpr size_t XsdtAt = 0x080;
constexpr size_t FadtAt = 0x100;
constexpr size_t DsdtAt = 0x200;
constexpr size_t MadtAt = 0x280;

constexpr size_t RsdpBytes = 36;
constexpr size_t RsdpV1ChecksumBytes = 20;
constexpr size_t HeaderBytes = 36;
constexpr size_t FacsBytes = 64;
constexpr size_t FadtBytes = 244; // revision 3 (ACPI 2.0 layout, 64-bit X_ fields)
constexpr uint8_t FadtRevision = 3;
constexpr size_t MadtFixedBytes = HeaderBytes + 8;
constexpr size_t MadtLocalApicBytes = 8;
constexpr size_t MadtIoApicBytes = 12;
constexpr size_t MadtOverrideBytes = 10;

constexpr char OemId[] = "TESSRA";        // 6 bytes
constexpr char OemTableId[] = "TESSVMM "; // 8 bytes

// Name(_S5, Package() {5, 5, 0, 0}) in AML (ACPI 6.4, 20.2.5.1 NameOp, 20.2.5.4 PackageOp).
// clang-format off
constexpr uint8_t DsdtAml[] = {
    0x08, '_', 'S', '5', '_',             // NameOp "_S5_"
    0x12, 0x08, 0x04,                     // PackageOp, PkgLength 8, 4 elements
    0x0a, S5SleepType, 0x0a, S5SleepType, // ByteConst SLP_TYPa, SLP_TYPb
    0x00, 0x00,                           // Zero, Zero (reserved)
};
// clang-format on

template <class T> void put(uint8_t* at, T value)
{
    for (size_t i = 0; i < sizeof(T); ++i)
        at[i] = static_cast<uint8_t>(static_cast<uint64_t>(value) >> (8 * i));
}

uint8_t checksum_for(const uint8_t* bytes, size_t length)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < length; ++i)
        sum = static_cast<uint8_t>(sum + bytes[i]);
    return static_cast<uint8_t>(-sum);
}

// The common description header (5.2.6); the checksum is set by seal() once the body is in.
void put_header(uint8_t* table, const char* signature, size_t length, uint8_t revision)
{
    memcpy(table, signature, 4);
    put<uint32_t>(table + 4, static_cast<uint32_t>(length));
    table[8] = revision;
    memcpy(table + 10, OemId, 6);
    memcpy(table + 16, OemTableId, 8);
    put<uint32_t>(table + 24, 1);  // OEM revision
    memcpy(table + 28, "TSRA", 4); // creator ID
    put<uint32_t>(table + 32, 1);  // creator revision
}

void seal(uint8_t* table, size_t length)
{
    table[9] = 0;
    table[9] = checksum_for(table, length);
}

// Generic Address Structure (5.2.3.2) for a system I/O register.
void put_io_address(uint8_t* at, uint16_t port, uint8_t bits, uint8_t access_size)
{
    at[0] = 1; // system I/O space
    at[1] = bits;
    at[2] = 0;
    at[3] = access_size; // 1 byte, 2 word, 3 dword
    put<uint64_t>(at + 4, port);
}

void write_fadt(uint8_t* fadt, uint64_t facs, uint64_t dsdt)
{
    put_header(fadt, "FACP", FadtBytes, FadtRevision);
    put<uint32_t>(fadt + 36, static_cast<uint32_t>(facs));
    put<uint32_t>(fadt + 40, static_cast<uint32_t>(dsdt));
    put<uint16_t>(fadt + 46, SciIrq);
    // SMI_CMD 0: ACPI mode is always on, no SMI handshake (the VMM reports SCI_EN set).
    put<uint32_t>(fadt + 56, acpi_port::Pm1aEvent);
    put<uint32_t>(fadt + 64, acpi_port::Pm1aControl);
    put<uint32_t>(fadt + 76, acpi_port::PmTimer);
    fadt[88] = 4; // PM1_EVT_LEN
    fadt[89] = 2; // PM1_CNT_LEN
    fadt[91] = 4; // PM_TMR_LEN
    // C2/C3 latencies above 100/1000 us say "not supported": the guest halts instead.
    put<uint16_t>(fadt + 96, 0x0fff);
    put<uint16_t>(fadt + 98, 0x0fff);
    // IAPC_BOOT_ARCH: no 8042 (Linux then skips the i8042 probe), no VGA.
    put<uint16_t>(fadt + 109, 1u << 2 /* VGA not present */);
    // Flags: WBINVD (0), TMR_VAL_EXT (8: 32-bit PM timer), RESET_REG_SUP (10).
    put<uint32_t>(fadt + 112, (1u << 0) | (1u << 8) | (1u << 10));
    put_io_address(fadt + 116, acpi_port::Reset, 8, 1);
    fadt[128] = acpi_port::ResetValue;
    put<uint64_t>(fadt + 132, facs);
    put<uint64_t>(fadt + 140, dsdt);
    put_io_address(fadt + 148, acpi_port::Pm1aEvent, 32, 2);
    put_io_address(fadt + 172, acpi_port::Pm1aControl, 16, 2);
    put_io_address(fadt + 208, acpi_port::PmTimer, 32, 3);
    seal(fadt, FadtBytes);
}

size_t write_madt(uint8_t* madt, unsigned cpus)
{
    size_t length =
        MadtFixedBytes + cpus * MadtLocalApicBytes + MadtIoApicBytes + 2 * MadtOverrideBytes;
    put_header(madt, "APIC", length, 3);
    put<uint32_t>(madt + 36, static_cast<uint32_t>(LocalApicAddress));
    put<uint32_t>(madt + 40, 1); // PCAT_COMPAT: the 8259 pair exists (and is masked by Linux)
    uint8_t* entry = madt + MadtFixedBytes;
    for (unsigned cpu = 0; cpu < cpus; ++cpu, entry += MadtLocalApicBytes) {
        entry[0] = 0; // processor local APIC
        entry[1] = MadtLocalApicBytes;
        entry[2] = static_cast<uint8_t>(cpu); // ACPI processor UID
        entry[3] = static_cast<uint8_t>(cpu); // APIC ID
        put<uint32_t>(entry + 4, 1);          // enabled
    }
    entry[0] = 1; // I/O APIC, ID after the CPUs', GSIs from 0
    entry[1] = MadtIoApicBytes;
    entry[2] = static_cast<uint8_t>(cpus);
    entry[3] = 0;
    put<uint32_t>(entry + 4, static_cast<uint32_t>(IoApicAddress));
    put<uint32_t>(entry + 8, 0);
    entry += MadtIoApicBytes;
    // ISA IRQ 0 (PIT) arrives on GSI 2, as on every PC; the SCI is level-triggered, active high.
    const struct {
        uint8_t irq;
        uint32_t gsi;
        uint16_t flags;
    } overrides[] = {
        {0, 2, 0},
        {SciIrq, SciIrq, 0x000d},
    };
    for (const auto& o : overrides) {
        entry[0] = 2;
        entry[1] = MadtOverrideBytes;
        entry[2] = 0; // ISA bus
        entry[3] = o.irq;
        put<uint32_t>(entry + 4, o.gsi);
        put<uint16_t>(entry + 8, o.flags);
        entry += MadtOverrideBytes;
    }
    seal(madt, length);
    return length;
}

} // namespace

libos::Result<AcpiLayout> write_acpi_tables(const AcpiConfig& config, uint8_t* region,
                                            uint64_t guest_address)
{
    if (config.cpus == 0 || config.cpus > MaxAcpiCpus)
        return libos::make_error(seL4_InvalidArgument, "acpi: CPU count out of range");
    if (guest_address % 16 != 0 || guest_address + AcpiRegionBytes > (1ull << 32))
        return libos::make_error(seL4_InvalidArgument,
                                 "acpi: tables must be 16-byte aligned below 4 GiB");
    static_assert(MadtAt + MadtFixedBytes + MaxAcpiCpus * MadtLocalApicBytes + MadtIoApicBytes +
                      2 * MadtOverrideBytes <=
                  AcpiRegionBytes);
    static_assert(DsdtAt + HeaderBytes + sizeof(DsdtAml) <= MadtAt);

    AcpiLayout layout{};
    layout.rsdp = guest_address + RsdpAt;
    layout.facs = guest_address + FacsAt;
    layout.xsdt = guest_address + XsdtAt;
    layout.fadt = guest_address + FadtAt;
    layout.dsdt = guest_address + DsdtAt;
    layout.madt = guest_address + MadtAt;
    memset(region, 0, AcpiRegionBytes);

    uint8_t* facs = region + FacsAt;
    memcpy(facs, "FACS", 4);
    put<uint32_t>(facs + 4, FacsBytes);
    facs[32] = 2; // version

    uint8_t* dsdt = region + DsdtAt;
    put_header(dsdt, "DSDT", HeaderBytes + sizeof(DsdtAml), 2);
    memcpy(dsdt + HeaderBytes, DsdtAml, sizeof(DsdtAml));
    seal(dsdt, HeaderBytes + sizeof(DsdtAml));

    write_fadt(region + FadtAt, layout.facs, layout.dsdt);
    size_t madt_bytes = write_madt(region + MadtAt, config.cpus);
    layout.end = layout.madt + madt_bytes;

    uint8_t* xsdt = region + XsdtAt;
    put_header(xsdt, "XSDT", HeaderBytes + 2 * 8, 1);
    put<uint64_t>(xsdt + HeaderBytes, layout.fadt);
    put<uint64_t>(xsdt + HeaderBytes + 8, layout.madt);
    seal(xsdt, HeaderBytes + 2 * 8);

    uint8_t* rsdp = region + RsdpAt;
    memcpy(rsdp, "RSD PTR ", 8);
    memcpy(rsdp + 9, OemId, 6);
    rsdp[15] = 2; // ACPI 2.0+: XSDT present
    put<uint32_t>(rsdp + 20, RsdpBytes);
    put<uint64_t>(rsdp + 24, layout.xsdt);
    rsdp[8] = checksum_for(rsdp, RsdpV1ChecksumBytes);
    rsdp[32] = checksum_for(rsdp, RsdpBytes);
    return layout;
}

} // namespace tessera::services::vmm

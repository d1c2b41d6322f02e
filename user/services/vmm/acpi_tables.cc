// Writing the guest's ACPI tables (acpi_tables.h).
#include "acpi_tables.h"

#include "aml.h"
#include "pci_config.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

// Offsets of each table inside the region; FACS must be 64-byte aligned (ACPI 6.4, 5.2.10).
constexpr size_t RsdpAt = 0x000;
constexpr size_t FacsAt = 0x040;
constexpr size_t XsdtAt = 0x080;
constexpr size_t FadtAt = 0x100;
constexpr size_t MadtAt = 0x200;
constexpr size_t DsdtAt = 0x480; // after the largest MADT; the DSDT takes the rest of the page

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

// The DSDT's AML (ACPI 6.4, 19.6 for the ASL each part stands for):
//   Name(_S5, Package() {5, 5, 0, 0})          // Linux powers off through ACPI only with \_S5
//   Scope(\_SB) { Device(PCI0) {               // the PCI root bridge: Linux scans the buses
//     Name(_HID, EISAID("PNP0A03"))             // ACPI names, and only those
//     Name(_UID, 0)  Name(_SEG, 0)  Name(_BBN, 0)
//     Name(_CRS, ResourceTemplate() { bus 0; the config ports 0xcf8-0xcff; I/O windows around
//                                     them; the memory window the BARs are in })
//     Name(_PRT, Package() { Package() {0xSSSSffff, pin, 0, GSI}, ... })  // every slot's INTA-D
//   } }
// Conventional PCI (PNP0A03, no _CID PNP0A08): a PCI Express bridge would make Linux ask for
// _OSC and the MCFG's ECAM, which the VMM does not offer (mechanism #1 only).
size_t write_dsdt_aml(uint8_t* out, size_t capacity)
{
    AmlWriter aml{out, capacity};
    aml.name("_S5");
    aml.open_package(4);
    aml.integer(S5SleepType);
    aml.integer(S5SleepType);
    aml.integer(0);
    aml.integer(0);
    aml.close();

    aml.open_scope("\\_SB");
    aml.open_device("PCI0");
    aml.name("_HID");
    aml.eisa_id("PNP0A03");
    aml.name("_UID");
    aml.integer(0);
    aml.name("_SEG");
    aml.integer(0);
    aml.name("_BBN");
    aml.integer(0);

    uint8_t crs[WordAddressBytes * 3 + IoPortBytes + DWordAddressBytes + EndTagBytes];
    size_t n = aml_word_bus_range(crs, 0, 0);
    n += aml_io_port(crs + n, 0xcf8, 8);
    n += aml_word_io_window(crs + n, 0x0000, 0x0cf7);
    n += aml_word_io_window(crs + n, 0x0d00, 0xffff);
    n += aml_dword_memory_window(crs + n, PciMmioWindowFirst, PciMmioWindowLast);
    n += aml_end_tag(crs + n);
    aml.name("_CRS");
    aml.buffer(crs, n);

    // _PRT entries (6.2.13): address slot << 16 | 0xffff (any function), pin 0-3, source Zero
    // (the last field is then a GSI, not an interrupt link device's index).
    aml.name("_PRT");
    aml.open_package(static_cast<uint8_t>((PciDevicesPerBus - 1) * PciIntxPins));
    for (unsigned slot = 1; slot < PciDevicesPerBus; ++slot) {
        for (unsigned pin = 0; pin < PciIntxPins; ++pin) {
            aml.open_package(4);
            aml.integer((uint64_t{slot} << 16) | 0xffff);
            aml.integer(pin);
            aml.integer(0);
            aml.integer(pci_intx_gsi(slot, pin));
            aml.close();
        }
    }
    aml.close();
    aml.close(); // PCI0
    aml.close(); // \_SB
    return aml.ok() ? aml.size() : 0;
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
                  DsdtAt);

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
    const size_t aml_bytes =
        write_dsdt_aml(dsdt + HeaderBytes, AcpiRegionBytes - DsdtAt - HeaderBytes);
    if (aml_bytes == 0)
        return libos::make_error(seL4_NotEnoughMemory, "acpi: the DSDT does not fit its page");
    put_header(dsdt, "DSDT", HeaderBytes + aml_bytes, 2);
    seal(dsdt, HeaderBytes + aml_bytes);

    write_fadt(region + FadtAt, layout.facs, layout.dsdt);
    write_madt(region + MadtAt, config.cpus);
    layout.end = layout.dsdt + HeaderBytes + aml_bytes;

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

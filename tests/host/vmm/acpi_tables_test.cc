// The guest's ACPI tables: every checksum balances, the RSDP leads through the XSDT to the FADT
// and MADT, the FADT names the PM1a ports the VMM emulates, the DSDT announces \_S5 with the sleep
// type the VMM's poweroff expects and the PCI root bridge (its resources, every slot's INTx on
// the GSI the platform drives), and the MADT lists one local APIC per VCPU.
#include "acpi_tables.h"

#include "io_apic.h"
#include "linux_loader.h"
#include "pci_config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tessera::services::vmm {
namespace {

constexpr uint64_t Base = 0xe0000;

struct AcpiFixture : ::testing::Test {
    std::vector<uint8_t> region = std::vector<uint8_t>(AcpiRegionBytes, 0xee);
    AcpiLayout layout{};

    void write(unsigned cpus)
    {
        auto written = write_acpi_tables(AcpiConfig{cpus}, region.data(), Base);
        ASSERT_TRUE(written) << written.error().what;
        layout = written.value();
    }
    const uint8_t* at(uint64_t guest) const { return region.data() + (guest - Base); }
    template <class T> T read(uint64_t guest) const
    {
        T value = 0;
        for (size_t i = 0; i < sizeof(T); ++i)
            value |= static_cast<T>(static_cast<T>(at(guest)[i]) << (8 * i));
        return value;
    }
    uint8_t sum(uint64_t guest, size_t length) const
    {
        uint8_t total = 0;
        for (size_t i = 0; i < length; ++i)
            total = static_cast<uint8_t>(total + at(guest)[i]);
        return total;
    }
    std::string signature(uint64_t guest) const
    {
        return std::string(reinterpret_cast<const char*>(at(guest)), 4);
    }
    // A table's header must sum to zero over its own length.
    void expect_table(uint64_t guest, const char* expected_signature)
    {
        EXPECT_EQ(signature(guest), expected_signature);
        uint32_t length = read<uint32_t>(guest + 4);
        EXPECT_GE(length, 36u);
        EXPECT_EQ(sum(guest, length), 0) << expected_signature;
    }
};

TEST_F(AcpiFixture, RsdpChecksumsBalanceAndPointToTheXsdt)
{
    write(1);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(at(layout.rsdp)), 8), "RSD PTR ");
    EXPECT_EQ(layout.rsdp % 16, 0u);
    EXPECT_EQ(at(layout.rsdp)[15], 2);
    EXPECT_EQ(sum(layout.rsdp, 20), 0);
    EXPECT_EQ(sum(layout.rsdp, 36), 0);
    EXPECT_EQ(read<uint32_t>(layout.rsdp + 20), 36u);
    EXPECT_EQ(read<uint64_t>(layout.rsdp + 24), layout.xsdt);
}

TEST_F(AcpiFixture, XsdtListsTheFadtAndTheMadt)
{
    write(1);
    expect_table(layout.xsdt, "XSDT");
    ASSERT_EQ(read<uint32_t>(layout.xsdt + 4), 36u + 16);
    EXPECT_EQ(read<uint64_t>(layout.xsdt + 36), layout.fadt);
    EXPECT_EQ(read<uint64_t>(layout.xsdt + 44), layout.madt);
    expect_table(layout.fadt, "FACP");
    expect_table(layout.madt, "APIC");
}

TEST_F(AcpiFixture, FadtNamesThePm1aPortsTheFacsAndTheDsdt)
{
    write(1);
    EXPECT_EQ(read<uint32_t>(layout.fadt + 4), 244u);
    EXPECT_EQ(read<uint32_t>(layout.fadt + 36), layout.facs);
    EXPECT_EQ(read<uint32_t>(layout.fadt + 40), layout.dsdt);
    EXPECT_EQ(read<uint64_t>(layout.fadt + 140), layout.dsdt);
    EXPECT_EQ(read<uint16_t>(layout.fadt + 46), SciIrq);
    EXPECT_EQ(read<uint32_t>(layout.fadt + 48), 0u); // no SMI handshake
    EXPECT_EQ(read<uint32_t>(layout.fadt + 56), acpi_port::Pm1aEvent);
    EXPECT_EQ(read<uint32_t>(layout.fadt + 64), acpi_port::Pm1aControl);
    EXPECT_EQ(at(layout.fadt)[89], 2);
    EXPECT_EQ(read<uint32_t>(layout.fadt + 76), acpi_port::PmTimer);
    // X_PM1a_CNT_BLK: system I/O, 16 bits, at the same port.
    EXPECT_EQ(at(layout.fadt)[172], 1);
    EXPECT_EQ(at(layout.fadt)[173], 16);
    EXPECT_EQ(read<uint64_t>(layout.fadt + 176), acpi_port::Pm1aControl);
    // Reset register supported, at 0xcf9 with value 6.
    EXPECT_NE(read<uint32_t>(layout.fadt + 112) & (1u << 10), 0u);
    EXPECT_EQ(read<uint64_t>(layout.fadt + 120), acpi_port::Reset);
    EXPECT_EQ(at(layout.fadt)[128], acpi_port::ResetValue);
    EXPECT_EQ(signature(layout.facs), "FACS");
    EXPECT_EQ(layout.facs % 64, 0u);
}

// The DSDT's AML, read back by the little of the grammar it uses (ACPI 6.4, 20.2).
struct AmlReader {
    const uint8_t* at;
    const uint8_t* end;

    // A PkgLength: returns where the term it measures ends (it counts its own bytes).
    const uint8_t* package_end()
    {
        const uint8_t* start = at;
        size_t extra = at[0] >> 6;
        size_t length = extra == 0 ? at[0] & 0x3fu : at[0] & 0x0fu;
        for (size_t i = 1; i <= extra; ++i)
            length |= size_t{at[i]} << (4 + 8 * (i - 1));
        at += 1 + extra;
        return start + length;
    }
    uint64_t integer()
    {
        uint8_t op = *at++;
        size_t bytes = op == 0x0a ? 1 : op == 0x0b ? 2 : op == 0x0c ? 4 : op == 0x0e ? 8 : 0;
        if (bytes == 0) {
            EXPECT_TRUE(op == 0x00 || op == 0x01) << "not an integer: " << int(op);
            return op;
        }
        uint64_t value = 0;
        for (size_t i = 0; i < bytes; ++i)
            value |= uint64_t{*at++} << (8 * i);
        return value;
    }
    bool take(const std::vector<uint8_t>& bytes)
    {
        if (size_t(end - at) < bytes.size() || !std::equal(bytes.begin(), bytes.end(), at))
            return false;
        at += bytes.size();
        return true;
    }
    // Name(seg, ...): true when the next term names `seg`.
    bool name(const char* seg)
    {
        return take({0x08, uint8_t(seg[0]), uint8_t(seg[1]), uint8_t(seg[2]), uint8_t(seg[3])});
    }
};

TEST_F(AcpiFixture, DsdtAnnouncesS5WithTheSleepTypeThePm1aDeviceExpects)
{
    write(1);
    expect_table(layout.dsdt, "DSDT");
    AmlReader aml{at(layout.dsdt) + 36, at(layout.dsdt) + read<uint32_t>(layout.dsdt + 4)};
    EXPECT_TRUE(aml.take({0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, S5SleepType, 0x0a,
                          S5SleepType, 0x00, 0x00}));
}

TEST_F(AcpiFixture, DsdtDescribesThePciRootBridgeAndRoutesEverySlotsInterrupts)
{
    write(1);
    expect_table(layout.dsdt, "DSDT");
    EXPECT_GE(layout.dsdt, layout.madt + read<uint32_t>(layout.madt + 4));
    EXPECT_EQ(layout.end, layout.dsdt + read<uint32_t>(layout.dsdt + 4));
    AmlReader aml{at(layout.dsdt) + 36, at(layout.dsdt) + read<uint32_t>(layout.dsdt + 4)};
    aml.at += 14; // \_S5, above
    // Scope(\_SB) { Device(PCI0) { ... } }, each running to the end of the table.
    ASSERT_TRUE(aml.take({0x10}));
    EXPECT_EQ(aml.package_end(), aml.end);
    ASSERT_TRUE(aml.take({0x5c, '_', 'S', 'B', '_', 0x5b, 0x82}));
    EXPECT_EQ(aml.package_end(), aml.end);
    ASSERT_TRUE(aml.take({'P', 'C', 'I', '0'}));
    ASSERT_TRUE(aml.name("_HID"));
    EXPECT_TRUE(aml.take({0x0c, 0x41, 0xd0, 0x0a, 0x03})); // EISAID("PNP0A03")
    for (const char* zero : {"_UID", "_SEG", "_BBN"}) {
        ASSERT_TRUE(aml.name(zero));
        EXPECT_EQ(aml.integer(), 0u) << zero;
    }

    // _CRS: bus 0 only, the configuration ports, I/O windows around them, the BARs' window.
    ASSERT_TRUE(aml.name("_CRS"));
    ASSERT_TRUE(aml.take({0x11}));
    const uint8_t* crs_end = aml.package_end();
    const uint64_t crs_bytes = aml.integer();
    ASSERT_EQ(aml.at + crs_bytes, crs_end);
    // As iasl compiles WordBusNumber 0-0, IO(Decode16, 0xcf8, 0xcf8, 1, 8), WordIO 0-0xcf7 and
    // 0xd00-0xffff, DWordMemory 0xc0000000-0xfebfffff (tests/host/vmm/aml_test.cc has the ASL).
    const std::vector<uint8_t> crs = {
        0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08, 0x88, 0x0d, 0x00, 0x01,
        0x0c, 0x03, 0x00, 0x00, 0x00, 0x00, 0xf7, 0x0c, 0x00, 0x00, 0xf8, 0x0c, 0x88, 0x0d,
        0x00, 0x01, 0x0c, 0x03, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xff, 0x00, 0x00, 0x00, 0xf3,
        0x87, 0x17, 0x00, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0,
        0xff, 0xff, 0xbf, 0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x3e, 0x79, 0x00};
    ASSERT_EQ(crs_bytes, crs.size());
    ASSERT_TRUE(aml.take(crs));
    EXPECT_EQ(PciMmioWindowFirst, 0xc0000000u);
    EXPECT_EQ(PciMmioWindowLast, 0xfebfffffu);
    EXPECT_GE(uint64_t{PciMmioWindowFirst}, guest_layout::MaxRam); // above the largest guest RAM
    EXPECT_LT(PciMmioWindowLast, IoApicAddress);

    // _PRT: every slot but the host bridge's, INTA-INTD, each on a GSI the I/O APIC has.
    ASSERT_TRUE(aml.name("_PRT"));
    ASSERT_TRUE(aml.take({0x12}));
    EXPECT_EQ(aml.package_end(), aml.end);
    ASSERT_EQ(*aml.at++, (PciDevicesPerBus - 1) * 4);
    bool seen[PciDevicesPerBus][4] = {};
    for (unsigned entry = 0; entry < (PciDevicesPerBus - 1) * 4; ++entry) {
        ASSERT_TRUE(aml.take({0x12}));
        const uint8_t* entry_end = aml.package_end();
        ASSERT_EQ(*aml.at++, 4);
        const uint64_t address = aml.integer();
        const uint64_t pin = aml.integer();
        EXPECT_EQ(aml.integer(), 0u); // source Zero: the index is a GSI
        const uint64_t gsi = aml.integer();
        ASSERT_EQ(aml.at, entry_end);
        const uint64_t slot = address >> 16;
        ASSERT_EQ(address & 0xffff, 0xffffu);
        ASSERT_GE(slot, 1u);
        ASSERT_LT(slot, PciDevicesPerBus);
        ASSERT_LT(pin, 4u);
        EXPECT_FALSE(seen[slot][pin]);
        seen[slot][pin] = true;
        EXPECT_EQ(gsi, pci_intx_gsi(unsigned(slot), unsigned(pin)));
        EXPECT_GE(gsi, 16u); // no ISA IRQ's input
        EXPECT_LT(gsi, IoApicPins);
    }
    EXPECT_EQ(aml.at, aml.end);
    EXPECT_EQ(pci_intx_gsi(1, 0), 17u); // the disk's INTA (Platform::attach_disk)
}

TEST_F(AcpiFixture, MadtListsOneEnabledLocalApicPerCpuThenTheIoApicAndOverrides)
{
    write(4);
    expect_table(layout.madt, "APIC");
    EXPECT_EQ(read<uint32_t>(layout.madt + 36), LocalApicAddress);
    uint32_t length = read<uint32_t>(layout.madt + 4);
    unsigned local_apics = 0, io_apics = 0, overrides = 0;
    for (uint64_t entry = layout.madt + 44; entry < layout.madt + length; entry += at(entry)[1]) {
        ASSERT_GE(at(entry)[1], 2);
        switch (at(entry)[0]) {
        case 0:
            EXPECT_EQ(at(entry)[3], local_apics);
            EXPECT_EQ(read<uint32_t>(entry + 4), 1u);
            ++local_apics;
            break;
        case 1:
            EXPECT_EQ(read<uint32_t>(entry + 4), IoApicAddress);
            EXPECT_EQ(read<uint32_t>(entry + 8), 0u);
            ++io_apics;
            break;
        case 2:
            if (at(entry)[3] == 0) {
                EXPECT_EQ(read<uint32_t>(entry + 4), 2u);
            }
            ++overrides;
            break;
        default:
            ADD_FAILURE() << "unexpected MADT entry type " << int(at(entry)[0]);
        }
    }
    EXPECT_EQ(local_apics, 4u);
    EXPECT_EQ(io_apics, 1u);
    EXPECT_EQ(overrides, 2u);
    EXPECT_LE(layout.end, Base + AcpiRegionBytes);
}

TEST_F(AcpiFixture, FitsTheLargestCpuCount)
{
    write(MaxAcpiCpus);
    expect_table(layout.madt, "APIC");
    EXPECT_LE(layout.madt + read<uint32_t>(layout.madt + 4), layout.dsdt);
    EXPECT_LE(layout.end, Base + AcpiRegionBytes);
}

TEST_F(AcpiFixture, RefusesBadArgumentsWithoutWriting)
{
    EXPECT_FALSE(write_acpi_tables(AcpiConfig{0}, region.data(), Base));
    EXPECT_FALSE(write_acpi_tables(AcpiConfig{MaxAcpiCpus + 1}, region.data(), Base));
    EXPECT_FALSE(write_acpi_tables(AcpiConfig{1}, region.data(), Base + 8));
    EXPECT_FALSE(write_acpi_tables(AcpiConfig{1}, region.data(), (1ull << 32) - 0x800));
    for (uint8_t byte : region)
        ASSERT_EQ(byte, 0xee);
}

} // namespace
} // namespace tessera::services::vmm

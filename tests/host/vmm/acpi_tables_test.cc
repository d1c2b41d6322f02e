// The guest's ACPI tables: every checksum balances, the RSDP leads through the XSDT to the FADT
// and MADT, the FADT names the PM1a ports the VMM emulates, the DSDT announces \_S5 with the sleep
// type the VMM's poweroff expects, and the MADT lists one local APIC per VCPU.
#include "acpi_tables.h"

#include <gtest/gtest.h>

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

TEST_F(AcpiFixture, DsdtAnnouncesS5WithTheSleepTypeThePm1aDeviceExpects)
{
    write(1);
    expect_table(layout.dsdt, "DSDT");
    uint32_t length = read<uint32_t>(layout.dsdt + 4);
    std::vector<uint8_t> aml(at(layout.dsdt) + 36, at(layout.dsdt) + length);
    const std::vector<uint8_t> expected = {0x08, '_',  'S',         '5',  '_',         0x12, 0x08,
                                           0x04, 0x0a, S5SleepType, 0x0a, S5SleepType, 0x00, 0x00};
    EXPECT_EQ(aml, expected);
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

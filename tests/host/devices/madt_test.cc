#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "irq/madt.h"

namespace tessera::core {
namespace {

// A pretend first 2 MiB of physical memory holding hand-built ACPI tables.
class Firmware {
public:
    static constexpr Word Size = 2 << 20;
    Firmware() : bytes_(Size, 0) {}
    MemoryWindow window() { return MemoryWindow{reinterpret_cast<Word>(bytes_.data())}; }

    void put(Word at, const void* data, size_t length) { std::memcpy(&bytes_[at], data, length); }
    void put_le(Word at, Word value, unsigned length)
    {
        for (unsigned i = 0; i < length; i++)
            bytes_[at + i] = uint8_t(value >> (8 * i));
    }
    uint8_t& at(Word address) { return bytes_[address]; }
    // Makes the bytes [at, at+length) sum to zero by adjusting the byte at `checksum`.
    void fix_checksum(Word at, Word length, Word checksum)
    {
        bytes_[checksum] = 0;
        uint8_t sum = 0;
        for (Word i = 0; i < length; i++)
            sum = uint8_t(sum + bytes_[at + i]);
        bytes_[checksum] = uint8_t(-sum);
    }
    void header(Word at, const char* signature, Word length)
    {
        put(at, signature, 4);
        put_le(at + 4, length, 4);
    }
    void rsdp(Word at, Word rsdt)
    {
        put(at, "RSD PTR ", 8);
        put_le(at + 16, rsdt, 4);
        fix_checksum(at, 20, at + 8);
    }
    // An RSDT at `at` with one entry, and a MADT with the given entries at `madt`.
    void tables(Word at, Word madt, const std::vector<uint8_t>& entries)
    {
        header(at, "RSDT", 40);
        put_le(at + 36, madt, 4);
        fix_checksum(at, 40, at + 9);
        const Word length = 44 + entries.size();
        header(madt, "APIC", length);
        put_le(madt + 36, 0xfee00000, 4);
        put(madt + 44, entries.data(), entries.size());
        fix_checksum(madt, length, madt + 9);
    }

private:
    std::vector<uint8_t> bytes_;
};

std::vector<uint8_t> ioapic_entry(uint8_t id, uint32_t address, uint32_t gsi_base)
{
    std::vector<uint8_t> e = {1, 12, id, 0};
    for (int i = 0; i < 4; i++)
        e.push_back(uint8_t(address >> (8 * i)));
    for (int i = 0; i < 4; i++)
        e.push_back(uint8_t(gsi_base >> (8 * i)));
    return e;
}

const std::vector<uint8_t> PitOverride = {2, 10, 0, 0, 2, 0, 0, 0, 0, 0}; // ISA 0 -> GSI 2
const std::vector<uint8_t> LocalApicEntry = {0, 8, 0, 0, 1, 0, 0, 0};

std::vector<uint8_t> join(std::initializer_list<std::vector<uint8_t>> parts)
{
    std::vector<uint8_t> all;
    for (auto& p : parts)
        all.insert(all.end(), p.begin(), p.end());
    return all;
}

TEST(Madt, FindsTheIoapicAndOverridesThroughTheBiosArea)
{
    Firmware fw;
    fw.rsdp(0xf5a00, 0x100000);
    fw.tables(0x100000, 0x100100,
              join({LocalApicEntry, ioapic_entry(0, 0xfec00000, 0), PitOverride}));
    auto t = read_interrupt_topology(fw.window(), Firmware::Size);
    ASSERT_TRUE(t);
    EXPECT_EQ(t.value().local_apic, PAddr{0xfee00000});
    ASSERT_EQ(t.value().ioapic_count, 1u);
    EXPECT_EQ(t.value().ioapics[0].address, PAddr{0xfec00000});
    EXPECT_EQ(t.value().ioapics[0].gsi_base, 0u);
    ASSERT_EQ(t.value().override_count, 1u);
    EXPECT_EQ(t.value().overrides[0].isa_irq, 0u);
    EXPECT_EQ(t.value().overrides[0].gsi, 2u);
}

TEST(Madt, SearchesTheEbdaFirst)
{
    Firmware fw;
    fw.put_le(0x40e, 0x9fc0, 2); // EBDA at 0x9fc00
    fw.rsdp(0x9fc10, 0x100000);
    fw.tables(0x100000, 0x100100,
              join({ioapic_entry(2, 0xfec01000, 24), ioapic_entry(3, 0xfec02000, 48)}));
    auto t = read_interrupt_topology(fw.window(), Firmware::Size);
    ASSERT_TRUE(t);
    ASSERT_EQ(t.value().ioapic_count, 2u);
    EXPECT_EQ(t.value().ioapics[1].id, 3u);
    EXPECT_EQ(t.value().ioapics[1].gsi_base, 48u);
}

TEST(Madt, NoRsdpMeansNoAcpi)
{
    Firmware fw;
    auto t = read_interrupt_topology(fw.window(), Firmware::Size);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error(), AcpiError::NoRsdp);
}

TEST(Madt, BadChecksumsAreNotFound)
{
    Firmware fw;
    fw.rsdp(0xf5a00, 0x100000);
    fw.tables(0x100000, 0x100100, ioapic_entry(0, 0xfec00000, 0));
    fw.at(0x100100 + 44 + 4) ^= 1; // corrupt the IOAPIC address: MADT checksum fails
    EXPECT_EQ(read_interrupt_topology(fw.window(), Firmware::Size).error(), AcpiError::NoMadt);
    fw.at(0xf5a00 + 17) ^= 1; // and the RSDP's
    EXPECT_EQ(read_interrupt_topology(fw.window(), Firmware::Size).error(), AcpiError::NoRsdp);
}

TEST(Madt, TablesBeyondReadableMemoryAreNotRead)
{
    Firmware fw;
    fw.rsdp(0xf5a00, 0x1f0000);
    fw.tables(0x1f0000, 0x1f0100, ioapic_entry(0, 0xfec00000, 0));
    EXPECT_TRUE(read_interrupt_topology(fw.window(), Firmware::Size));
    EXPECT_EQ(read_interrupt_topology(fw.window(), 0x1f0100).error(), AcpiError::NoMadt);
}

TEST(Madt, EntryOverrunningTheTableIsMalformed)
{
    Firmware fw;
    fw.rsdp(0xf5a00, 0x100000);
    std::vector<uint8_t> entries = ioapic_entry(0, 0xfec00000, 0);
    entries.push_back(1);
    entries.push_back(200); // claims 200 bytes, has 2
    fw.tables(0x100000, 0x100100, entries);
    EXPECT_EQ(read_interrupt_topology(fw.window(), Firmware::Size).error(), AcpiError::BadMadt);
}

TEST(Madt, ZeroLengthEntryIsMalformedNotALoop)
{
    Firmware fw;
    fw.rsdp(0xf5a00, 0x100000);
    fw.tables(0x100000, 0x100100, {1, 0, 0, 0});
    EXPECT_EQ(read_interrupt_topology(fw.window(), Firmware::Size).error(), AcpiError::BadMadt);
}

TEST(Madt, StandardTopologyIsOneIoapicAtFec00000)
{
    const InterruptTopology t = standard_interrupt_topology();
    ASSERT_EQ(t.ioapic_count, 1u);
    EXPECT_EQ(t.ioapics[0].address, PAddr{StandardIoapicAddress});
}

} // namespace
} // namespace tessera::core

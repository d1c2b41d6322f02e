// Finding ECAM from ACPI: tables laid out in a fake physical memory as QEMU's q35 firmware lays
// them out (RSDP revision 0 -> RSDT -> FACP, APIC, MCFG), then broken one way at a time.
#include <tessera/pci/mcfg.h>

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace tessera::pci {
namespace {

// Physical memory: a few byte ranges; anything else is unreadable.
class FakeMemory final : public PhysicalMemory {
public:
    bool read(uint64_t paddr, void* out, size_t bytes) override
    {
        ++reads;
        for (const auto& [base, data] : ranges)
            if (paddr >= base && paddr - base <= data.size() && bytes <= data.size() - (paddr - base)) {
                memcpy(out, data.data() + (paddr - base), bytes);
                return true;
            }
        return false;
    }
    std::map<uint64_t, std::vector<uint8_t>> ranges;
    unsigned reads = 0;
};

void put32(std::vector<uint8_t>& t, size_t at, uint32_t v) { memcpy(t.data() + at, &v, 4); }
void put64(std::vector<uint8_t>& t, size_t at, uint64_t v) { memcpy(t.data() + at, &v, 8); }

void fix_checksum(std::vector<uint8_t>& t, size_t checksum_at, size_t bytes)
{
    t[checksum_at] = 0;
    uint8_t s = 0;
    for (size_t i = 0; i < bytes; ++i)
        s = uint8_t(s + t[i]);
    t[checksum_at] = uint8_t(-s);
}

// An ACPI table: signature, length, checksum right; `body` after the 36-byte header.
std::vector<uint8_t> table(const char* signature, const std::vector<uint8_t>& body)
{
    std::vector<uint8_t> t(36 + body.size());
    memcpy(t.data(), signature, 4);
    put32(t, 4, uint32_t(t.size()));
    t[8] = 1;
    memcpy(t.data() + 10, "BOCHS ", 6);
    std::copy(body.begin(), body.end(), t.begin() + 36);
    fix_checksum(t, 9, t.size());
    return t;
}

std::vector<uint8_t> mcfg_body(std::vector<EcamRegion> regions)
{
    std::vector<uint8_t> body(8 + 16 * regions.size());
    for (size_t i = 0; i < regions.size(); ++i) {
        put64(body, 8 + 16 * i, regions[i].base);
        body[8 + 16 * i + 8] = uint8_t(regions[i].segment);
        body[8 + 16 * i + 9] = uint8_t(regions[i].segment >> 8);
        body[8 + 16 * i + 10] = regions[i].first_bus;
        body[8 + 16 * i + 11] = regions[i].last_bus;
    }
    return body;
}

std::vector<uint8_t> rsdt_body(const std::vector<uint32_t>& entries)
{
    std::vector<uint8_t> body(4 * entries.size());
    for (size_t i = 0; i < entries.size(); ++i)
        put32(body, 4 * i, entries[i]);
    return body;
}

constexpr uint64_t Rsdt = 0x1ffe1b0d, Facp = 0x1ffe19c1, Apic = 0x1ffe1a35, Mcfg = 0x1ffe1e00;
constexpr uint64_t Q35Ecam = 0xb0000000;

struct Firmware {
    FakeMemory memory;
    std::vector<uint8_t> rsdp = std::vector<uint8_t>(RsdpV2Bytes);

    Firmware()
    {
        memory.ranges[Facp] = table("FACP", std::vector<uint8_t>(80));
        memory.ranges[Apic] = table("APIC", std::vector<uint8_t>(40));
        memory.ranges[Mcfg] = table("MCFG", mcfg_body({{Q35Ecam, 0, 0, 255}}));
        memory.ranges[Rsdt] = table("RSDT", rsdt_body({uint32_t(Facp), uint32_t(Apic), uint32_t(Mcfg)}));
        memcpy(rsdp.data(), "RSD PTR ", 8);
        memcpy(rsdp.data() + 9, "BOCHS ", 6);
        put32(rsdp, 16, uint32_t(Rsdt));
        fix_checksum(rsdp, 8, RsdpV1Bytes);
    }
    libos::Result<EcamRegion> find() { return find_ecam(memory, rsdp.data(), rsdp.size()); }
};

TEST(PciMcfg, FindsQ35EcamThroughTheRsdt)
{
    Firmware firmware;
    auto region = firmware.find();
    ASSERT_TRUE(region) << region.error().what;
    EXPECT_EQ(region.value().base, Q35Ecam);
    EXPECT_EQ(region.value().segment, 0u);
    EXPECT_EQ(region.value().first_bus, 0u);
    EXPECT_EQ(region.value().last_bus, 255u);
}

TEST(PciMcfg, FollowsTheXsdtOfARevisionTwoRsdp)
{
    Firmware firmware;
    constexpr uint64_t Xsdt = 0x7ff00000;
    std::vector<uint8_t> body(16);
    put64(body, 0, Facp);
    put64(body, 8, Mcfg);
    firmware.memory.ranges[Xsdt] = table("XSDT", body);
    firmware.memory.ranges[Rsdt] = table("RSDT", rsdt_body({uint32_t(Facp)})); // no MCFG there
    firmware.rsdp[15] = 2;
    put32(firmware.rsdp, 20, RsdpV2Bytes);
    put64(firmware.rsdp, 24, Xsdt);
    fix_checksum(firmware.rsdp, 8, RsdpV1Bytes);
    fix_checksum(firmware.rsdp, 32, RsdpV2Bytes);
    auto region = firmware.find();
    ASSERT_TRUE(region) << region.error().what;
    EXPECT_EQ(region.value().base, Q35Ecam);
}

TEST(PciMcfg, APcWithoutMcfgIsFailedLookup)
{
    Firmware firmware;
    firmware.memory.ranges[Rsdt] = table("RSDT", rsdt_body({uint32_t(Facp), uint32_t(Apic)}));
    auto region = firmware.find();
    ASSERT_FALSE(region);
    EXPECT_EQ(region.code(), seL4_FailedLookup);
}

TEST(PciMcfg, NoRsdpIsFailedLookup)
{
    FakeMemory memory;
    EXPECT_EQ(find_ecam(memory, nullptr, 0).code(), seL4_FailedLookup);
    EXPECT_EQ(memory.reads, 0u);
}

TEST(PciMcfg, RsdpWithABadChecksumIsRefusedBeforeAnyRead)
{
    Firmware firmware;
    firmware.rsdp[8] ^= 1;
    EXPECT_EQ(firmware.find().code(), seL4_InvalidArgument);
    EXPECT_EQ(firmware.memory.reads, 0u);
}

TEST(PciMcfg, CorruptTablesAreErrorsNotReadsPastThem)
{
    {
        Firmware firmware; // one flipped byte in the MCFG
        firmware.memory.ranges[Mcfg][40] ^= 0x10;
        EXPECT_EQ(firmware.find().code(), seL4_InvalidArgument);
    }
    {
        Firmware firmware; // a root table claiming 4 GiB
        put32(firmware.memory.ranges[Rsdt], 4, 0xffffffff);
        EXPECT_EQ(firmware.find().code(), seL4_InvalidArgument);
    }
    {
        Firmware firmware; // a root table shorter than its header
        put32(firmware.memory.ranges[Rsdt], 4, 8);
        EXPECT_EQ(firmware.find().code(), seL4_InvalidArgument);
    }
    {
        Firmware firmware; // the RSDT pointer leads nowhere
        firmware.memory.ranges.erase(Rsdt);
        EXPECT_EQ(firmware.find().code(), seL4_RangeError);
    }
    {
        Firmware firmware; // the RSDP points at the MCFG instead of the RSDT
        put32(firmware.rsdp, 16, uint32_t(Mcfg));
        fix_checksum(firmware.rsdp, 8, RsdpV1Bytes);
        EXPECT_EQ(firmware.find().code(), seL4_InvalidArgument);
    }
}

TEST(PciMcfg, UnreadableOtherTablesAreSkipped)
{
    Firmware firmware;
    firmware.memory.ranges[Rsdt] = table("RSDT", rsdt_body({0, 0xdead0000u, uint32_t(Mcfg)}));
    auto region = firmware.find();
    ASSERT_TRUE(region) << region.error().what;
    EXPECT_EQ(region.value().base, Q35Ecam);
}

TEST(PciMcfg, MalformedAllocationsAreRefused)
{
    const std::vector<std::vector<EcamRegion>> bad = {
        {{Q35Ecam + 0x1000, 0, 0, 255}}, // not 1 MiB aligned
        {{Q35Ecam, 0, 0, 0}},            // fine: one bus (checked below, not bad)
        {{0, 0, 0, 255}},                // at address 0
    };
    for (size_t i = 0; i < bad.size(); ++i) {
        Firmware firmware;
        firmware.memory.ranges[Mcfg] = table("MCFG", mcfg_body(bad[i]));
        auto region = firmware.find();
        if (i == 1) {
            ASSERT_TRUE(region);
            EXPECT_EQ(region.value().last_bus, 0u);
        } else {
            EXPECT_EQ(region.code(), seL4_InvalidArgument) << "allocation set " << i;
        }
    }
    Firmware firmware; // a length that cuts an allocation in half
    auto mcfg = table("MCFG", mcfg_body({{Q35Ecam, 0, 0, 255}}));
    mcfg.resize(mcfg.size() - 4);
    put32(mcfg, 4, uint32_t(mcfg.size()));
    fix_checksum(mcfg, 9, mcfg.size());
    firmware.memory.ranges[Mcfg] = mcfg;
    EXPECT_EQ(firmware.find().code(), seL4_InvalidArgument);
}

TEST(PciMcfg, OnlySegmentZeroFromBusZeroIsTaken)
{
    Firmware firmware;
    firmware.memory.ranges[Mcfg] =
        table("MCFG", mcfg_body({{0xe0000000, 1, 0, 255}, {0xd0000000, 0, 0x40, 0x7f}, {Q35Ecam, 0, 0, 0x3f}}));
    auto region = firmware.find();
    ASSERT_TRUE(region);
    EXPECT_EQ(region.value().base, Q35Ecam);
    EXPECT_EQ(region.value().last_bus, 0x3fu);
    firmware.memory.ranges[Mcfg] = table("MCFG", mcfg_body({{0xe0000000, 1, 0, 255}}));
    EXPECT_EQ(firmware.find().code(), seL4_FailedLookup);
}

} // namespace
} // namespace tessera::pci

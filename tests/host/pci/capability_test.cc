// Capability lists, MSI and MSI-X on captured devices and on corrupted lists.
#include <tessera/pci/capability.h>
#include <tessera/pci/msi.h>

#include "machines.h"

#include <vector>

namespace tessera::pci {
namespace {

using test::captured;
using test::FakeMachine;

std::vector<uint8_t> ids(const ConfigSpace& space)
{
    std::vector<uint8_t> found;
    auto walked = for_each_capability(space, [&](Capability c) { found.push_back(c.id); });
    EXPECT_TRUE(walked);
    return found;
}

TEST(PciCapabilities, ModernVirtioListsMsixThenFiveVendorCapabilities)
{
    FakeMachine machine = captured("pc");
    PortConfigAccess ports(machine);
    FunctionConfig disk(ports, Address{0, 4, 0});
    EXPECT_EQ(ids(disk), (std::vector<uint8_t>{0x11, 0x09, 0x09, 0x09, 0x09, 0x09}));
    auto vendor = find_capability(disk, reg::CapabilityVendor);
    ASSERT_TRUE(vendor);
    EXPECT_EQ(vendor.value().offset, 0x84);
}

TEST(PciCapabilities, DeviceWithoutAListHasNone)
{
    FakeMachine machine = captured("pc");
    PortConfigAccess ports(machine);
    FunctionConfig host_bridge(ports, Address{0, 0, 0});
    EXPECT_TRUE(ids(host_bridge).empty());
    EXPECT_EQ(find_capability(host_bridge, reg::CapabilityMsi).code(), seL4_FailedLookup);
}

// A hand-made function with status bit 4 and a list we control.
class CorruptListFixture : public ::testing::Test {
protected:
    CorruptListFixture() : bytes_(256, 0)
    {
        bytes_[reg::Status] = reg::StatusCapabilitiesList;
    }
    void link(uint8_t at, uint8_t id, uint8_t next)
    {
        bytes_[at] = id;
        bytes_[at + 1] = next;
    }
    SnapshotConfig space() { return SnapshotConfig(bytes_.data(), 256); }
    std::vector<uint8_t> bytes_;
};

TEST_F(CorruptListFixture, LoopIsAnErrorAfterVisitingEachEntryOnce)
{
    bytes_[reg::CapabilitiesPointer] = 0x40;
    link(0x40, 0x05, 0x50);
    link(0x50, 0x09, 0x40);
    unsigned visited = 0;
    auto walked = for_each_capability(space(), [&](Capability) { ++visited; });
    EXPECT_EQ(walked.code(), seL4_InvalidArgument);
    EXPECT_EQ(visited, 2u);
}

TEST_F(CorruptListFixture, PointerIntoTheHeaderIsAnError)
{
    bytes_[reg::CapabilitiesPointer] = 0x40;
    link(0x40, 0x05, 0x10);
    EXPECT_EQ(for_each_capability(space(), [](Capability) {}).code(), seL4_InvalidArgument);
}

TEST_F(CorruptListFixture, ReservedLowBitsOfPointersAreIgnored)
{
    bytes_[reg::CapabilitiesPointer] = 0x43;
    link(0x40, 0x11, 0x52);
    link(0x50, 0x09, 0x00);
    EXPECT_EQ(ids(space()), (std::vector<uint8_t>{0x11, 0x09}));
}

TEST_F(CorruptListFixture, MsiThatRunsPastTheHeaderIsRefused)
{
    bytes_[reg::CapabilitiesPointer] = 0xf0;
    link(0xf0, reg::CapabilityMsi, 0);
    bytes_[0xf2] = 0x80 | 0x00; // 64-bit: 14 bytes from 0xf0 runs past 0x100
    bytes_[0xf3] = 0x01;        // per-vector masking: 24 bytes
    EXPECT_EQ(parse_msi(space()).code(), seL4_InvalidArgument);
}

TEST(PciMsix, ParsesTheVirtioTableAndPendingBits)
{
    FakeMachine machine = captured("q35");
    PortConfigAccess ports(machine);
    FunctionConfig disk(ports, Address{0, 4, 0});
    auto msix = parse_msix(disk);
    ASSERT_TRUE(msix);
    EXPECT_EQ(msix.value().offset, 0x98);
    EXPECT_EQ(msix.value().table_size, 2);
    EXPECT_EQ(msix.value().table_bar, 1);
    EXPECT_EQ(msix.value().table_offset, 0u);
    EXPECT_EQ(msix.value().pba_bar, 1);
    EXPECT_EQ(msix.value().pba_offset, 0x800u);
}

TEST(PciMsix, EnablingSetsEnableClearsFunctionMaskAndDisablesIntx)
{
    FakeMachine machine = captured("q35");
    PortConfigAccess ports(machine);
    FunctionConfig disk(ports, Address{0, 4, 0});
    auto msix = parse_msix(disk);
    ASSERT_TRUE(msix);
    disk.write16(0x98 + 2, disk.read16(0x98 + 2) | 0x4000); // function masked
    enable_msix(disk, msix.value());
    EXPECT_EQ(disk.read16(0x98 + 2) & 0xc000, 0x8000);
    EXPECT_NE(disk.read16(reg::Command) & reg::CommandInterruptDisable, 0);
    uint32_t table[8] = {};
    write_msix_entry(table, 1, x86_msi_message(0, 0x35));
    EXPECT_EQ(table[4], 0xfee00000u);
    EXPECT_EQ(table[5], 0u);
    EXPECT_EQ(table[6], 0x35u);
    EXPECT_EQ(table[7], 0u); // unmasked
}

TEST(PciMsi, ProgramsA64BitMaskableMessageAndDisablesIntx)
{
    // A function whose only capability is MSI: 64-bit, per-vector masking, 4 vectors capable,
    // left enabled with 2 vectors by earlier software.
    FakeMachine machine;
    std::vector<uint8_t> bytes(256, 0);
    bytes[0] = 0x86, bytes[1] = 0x80;
    bytes[reg::Status] = reg::StatusCapabilitiesList;
    bytes[reg::CapabilitiesPointer] = 0x50;
    bytes[0x50] = reg::CapabilityMsi;
    bytes[0x52] = 0x80 | 0x04 | 0x10 | 0x01; // 64-bit, 4 capable, 2 enabled, enabled
    bytes[0x53] = 0x01;                      // per-vector masking
    bytes[0x60] = 0xff;                      // vector 0 masked
    machine.add(Address{0, 3, 0}, bytes);
    PortConfigAccess ports(machine);
    FunctionConfig device(ports, Address{0, 3, 0});
    auto msi = parse_msi(device);
    ASSERT_TRUE(msi);
    EXPECT_TRUE(msi.value().is_64bit);
    EXPECT_TRUE(msi.value().per_vector_masking);
    EXPECT_EQ(msi.value().vectors_capable, 4);
    enable_msi(device, msi.value(), MsiMessage{0x1fee01000ull, 0x41});
    EXPECT_EQ(device.read16(0x52) & 0x71, 0x01);  // enabled, one vector
    EXPECT_EQ(device.read32(0x54), 0xfee01000u);
    EXPECT_EQ(device.read32(0x58), 0x1u);          // upper address
    EXPECT_EQ(device.read16(0x5c), 0x41);
    EXPECT_EQ(device.read32(0x60) & 1, 0u);        // vector 0 unmasked
    EXPECT_NE(device.read16(reg::Command) & reg::CommandInterruptDisable, 0);
}

} // namespace
} // namespace tessera::pci

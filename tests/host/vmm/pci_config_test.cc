// PCI configuration space: the host bridge Linux's sanity check needs, absent functions reading
// all ones, BAR sizing for I/O, 32- and 64-bit memory BARs, the command register's writable bits,
// the capability chain, byte and word data accesses, and 0xcf9 left to the reset register.
#include "pci_config.h"

#include <gtest/gtest.h>

namespace tessera::services::vmm {
namespace {

constexpr uint16_t Address = 0xcf8, Data = 0xcfc;

uint32_t address(unsigned slot, unsigned offset)
{
    return 0x80000000u | (slot << 11) | offset;
}

struct PciFixture : ::testing::Test {
    PciBar bars[PciBarCount] = {{PciBarKind::Io, 0x40},         {PciBarKind::Memory32, 0x1000},
                                {PciBarKind::Unused, 0},        {PciBarKind::Unused, 0},
                                {PciBarKind::Memory64, 0x4000}, {PciBarKind::Unused, 0}};
    PciFunction blk{PciFunctionIdentity{0x1af4, 0x1042, 1, 0x010000, 0x1af4, 0x0002, 1}, bars};
    PciBus bus;

    uint32_t config(unsigned slot, unsigned offset, unsigned size = 4)
    {
        bus.write(Address, 4, address(slot, offset & ~3u));
        return bus.read(static_cast<uint16_t>(Data + (offset & 3)), size);
    }
    void set_config(unsigned slot, unsigned offset, uint32_t value, unsigned size = 4)
    {
        bus.write(Address, 4, address(slot, offset & ~3u));
        bus.write(static_cast<uint16_t>(Data + (offset & 3)), size, value);
    }
};

TEST_F(PciFixture, HasAHostBridgeAtSlotZeroAndNothingElseUntilAttached)
{
    EXPECT_EQ(config(0, 0x00), 0x00081b36u);
    EXPECT_EQ(config(0, 0x08) >> 8, 0x060000u); // class: host bridge
    EXPECT_EQ(config(3, 0x00), 0xffffffffu);
    EXPECT_EQ(config(3, 0x00, 2), 0xffffu);
    ASSERT_TRUE(bus.attach(3, blk));
    EXPECT_FALSE(bus.attach(3, blk));
    EXPECT_FALSE(bus.attach(0, blk));
    EXPECT_FALSE(bus.attach(32, blk));
    EXPECT_EQ(config(3, 0x00), 0x10421af4u);
    EXPECT_EQ(config(3, 0x2c), 0x00021af4u);
    EXPECT_EQ(config(3, 0x3d, 1), 1u); // INTA
}

TEST_F(PciFixture, AbsentBusesFunctionsAndDisabledAddressesReadAllOnes)
{
    bus.attach(3, blk);
    bus.write(Address, 4, address(3, 0) | (1u << 16)); // bus 1
    EXPECT_EQ(bus.read(Data, 4), 0xffffffffu);
    bus.write(Address, 4, address(3, 0) | (1u << 8)); // function 1
    EXPECT_EQ(bus.read(Data, 4), 0xffffffffu);
    bus.write(Address, 4, address(3, 0) & ~0x80000000u);
    EXPECT_EQ(bus.read(Data, 4), 0xffffffffu);
    EXPECT_EQ(bus.read(Address, 4), address(3, 0) & ~0x80000000u);
}

TEST_F(PciFixture, SizesBarsAsFirmwareProbesThem)
{
    bus.attach(3, blk);
    set_config(3, 0x10, 0xffffffff);
    EXPECT_EQ(config(3, 0x10), 0xffffffc1u); // 64 bytes of I/O
    set_config(3, 0x14, 0xffffffff);
    EXPECT_EQ(config(3, 0x14), 0xfffff000u); // 4 KiB, 32-bit memory
    set_config(3, 0x18, 0xffffffff);
    EXPECT_EQ(config(3, 0x18), 0u); // unused
    set_config(3, 0x20, 0xffffffff);
    set_config(3, 0x24, 0xffffffff);
    EXPECT_EQ(config(3, 0x20), 0xffffc004u); // 16 KiB, 64-bit
    EXPECT_EQ(config(3, 0x24), 0xffffffffu);
    set_config(3, 0x20, 0xfe004000);
    set_config(3, 0x24, 0x1);
    EXPECT_EQ(blk.bar_address(4), 0x1fe004000ull);
    set_config(3, 0x10, 0xc000);
    EXPECT_EQ(blk.bar_address(0), 0xc000u);
    set_config(3, 0x14, 0xfebff123); // low bits are not address bits
    EXPECT_EQ(blk.bar_address(1), 0xfebff000u);
}

TEST_F(PciFixture, CommandRegisterKeepsOnlyImplementedBits)
{
    bus.attach(3, blk);
    EXPECT_FALSE(blk.memory_enabled());
    set_config(3, 0x04, 0xffff, 2);
    EXPECT_EQ(config(3, 0x04, 2), 0x0407u);
    EXPECT_TRUE(blk.memory_enabled());
    EXPECT_TRUE(blk.io_enabled());
    EXPECT_TRUE(blk.bus_master());
    set_config(3, 0x00, 0x12345678); // IDs are read-only
    EXPECT_EQ(config(3, 0x00), 0x10421af4u);
    set_config(3, 0x3c, 11, 1);
    EXPECT_EQ(config(3, 0x3c, 1), 11u);
}

TEST_F(PciFixture, ChainsCapabilitiesFromTheHeaderPointer)
{
    const uint8_t first[14] = {16, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    const uint8_t second[2] = {7, 8};
    EXPECT_EQ(blk.add_capability(0x09, first, sizeof first), 0x40);
    EXPECT_EQ(blk.add_capability(0x09, second, sizeof second), 0x50);
    bus.attach(3, blk);
    EXPECT_NE(config(3, 0x06, 2) & 0x10, 0u); // status: capability list
    EXPECT_EQ(config(3, 0x34, 1), 0x40u);
    EXPECT_EQ(config(3, 0x40, 2), 0x5009u); // id 9, next 0x50
    EXPECT_EQ(config(3, 0x42, 1), 16u);
    EXPECT_EQ(config(3, 0x50, 4), 0x08070009u); // last: next 0
    uint8_t big[250] = {};
    EXPECT_EQ(blk.add_capability(0x09, big, sizeof big), 0);
}

TEST(PciBusPorts, LeavesTheResetRegisterAlone)
{
    EXPECT_TRUE(PciBus::handles(0xcf8));
    EXPECT_FALSE(PciBus::handles(0xcf9));
    EXPECT_TRUE(PciBus::handles(0xcff));
    EXPECT_FALSE(PciBus::handles(0xd00));
}

} // namespace
} // namespace tessera::services::vmm

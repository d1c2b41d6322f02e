// The two configuration mechanisms and the views of one function.
#include <tessera/pci/config.h>
#include <tessera/pci/registers.h>

#include "machines.h"

#include <vector>

namespace tessera::pci {
namespace {

using test::captured;
using test::FakeMachine;

TEST(PciPortMechanism, EncodesBusDeviceFunctionAndRegisterIntoCf8)
{
    EXPECT_EQ(PortConfigAccess::config_address(Address{0, 4, 0}, 0x10), 0x80002010u);
    EXPECT_EQ(PortConfigAccess::config_address(Address{1, 3, 2}, 0x3d), 0x80011a3cu);
    EXPECT_EQ(PortConfigAccess::config_address(Address{255, 31, 7}, 0xff), 0x80fffffcu);
}

TEST(PciPortMechanism, ReadsEveryWidthThroughTheDataWindow)
{
    FakeMachine machine = captured("pc");
    PortConfigAccess ports(machine);
    const Address disk{0, 4, 0};
    EXPECT_EQ(ports.read(disk, reg::VendorId, Width::Word), 0x1af4u);
    EXPECT_EQ(ports.read(disk, reg::DeviceId, Width::Word), 0x1042u);
    EXPECT_EQ(ports.read(disk, reg::VendorId, Width::Dword), 0x10421af4u);
    EXPECT_EQ(ports.read(disk, reg::InterruptPin, Width::Byte), 1u); // INTA#
    EXPECT_EQ(ports.read(disk, reg::ClassCode, Width::Byte), 0x01u); // mass storage
    // An absent function reads as all ones, at every width.
    EXPECT_EQ(ports.read(Address{0, 9, 0}, reg::VendorId, Width::Word), 0xffffu);
    EXPECT_EQ(ports.read(Address{7, 0, 0}, reg::VendorId, Width::Dword), 0xffffffffu);
}

TEST(PciPortMechanism, WritesOnlyTheAddressedBytes)
{
    FakeMachine machine = captured("pc");
    PortConfigAccess ports(machine);
    const Address disk{0, 4, 0};
    const uint32_t before = ports.read(disk, reg::Command, Width::Dword);
    ports.write(disk, reg::Command, Width::Word, 0x0406);
    EXPECT_EQ(ports.read(disk, reg::Command, Width::Dword), (before & 0xffff0000u) | 0x0406u);
}

TEST(PciEcam, PlacesEachFunctionAtItsOwnPage)
{
    EXPECT_EQ(EcamConfigAccess::function_offset(Address{0, 4, 0}, 0), 0x20000u);
    EXPECT_EQ(EcamConfigAccess::function_offset(Address{1, 0, 0}, 0), 0x100000u);
    EXPECT_EQ(EcamConfigAccess::function_offset(Address{2, 31, 7}, 1), 0x1ff000u);
    // Two buses of memory: function 01:02.3 is the page at 1 MiB + 2 << 15 + 3 << 12.
    std::vector<uint8_t> window(2 << 20, 0xff);
    const uint64_t at = (1 << 20) + (2 << 15) + (3 << 12);
    window[at + 0] = 0xf4;
    window[at + 1] = 0x1a;
    window[at + 0x104] = 0x5a; // extended configuration space
    EcamConfigAccess ecam(window.data(), 0, 1);
    EXPECT_EQ(ecam.read(Address{1, 2, 3}, reg::VendorId, Width::Word), 0x1af4u);
    EXPECT_EQ(ecam.read(Address{1, 2, 3}, 0x104, Width::Byte), 0x5au);
    ecam.write(Address{1, 2, 3}, 0x40, Width::Dword, 0x12345678);
    EXPECT_EQ(window[at + 0x40], 0x78);
    EXPECT_EQ(window[at + 0x43], 0x12);
    // A bus outside the window reads as absent and takes no writes.
    EXPECT_EQ(ecam.read(Address{2, 0, 0}, reg::VendorId, Width::Word), 0xffffu);
}

TEST(PciFunctionView, ConfinesAccessToOneFunctionAndItsSize)
{
    FakeMachine machine = captured("pc");
    PortConfigAccess ports(machine);
    FunctionConfig disk(ports, Address{0, 4, 0});
    EXPECT_EQ(disk.size(), 256);
    EXPECT_EQ(disk.read16(reg::DeviceId), 0x1042);
    // Past the end or misaligned: all ones, and no write reaches any function.
    EXPECT_EQ(disk.read32(0x100), 0xffffffffu);
    EXPECT_EQ(disk.read(0x41, Width::Word), 0xffffu);
    const unsigned writes = machine.config_writes;
    disk.write32(0x100, 0);
    disk.write(0x43, Width::Dword, 0);
    EXPECT_EQ(machine.config_writes, writes);
}

TEST(PciSnapshot, ReadsACopyAndIgnoresWrites)
{
    FakeMachine machine = captured("q35");
    PortConfigAccess ports(machine);
    FunctionConfig disk(ports, Address{0, 4, 0});
    uint8_t copy[256];
    copy_config(disk, copy, sizeof copy);
    SnapshotConfig snapshot(copy, sizeof copy);
    for (uint16_t offset = 0; offset < 256; offset += 4)
        ASSERT_EQ(snapshot.read32(offset), disk.read32(offset)) << offset;
    snapshot.write16(reg::Command, 0);
    EXPECT_EQ(snapshot.read16(reg::Command), disk.read16(reg::Command));
    EXPECT_EQ(snapshot.read8(0x100), 0xff);
}

} // namespace
} // namespace tessera::pci

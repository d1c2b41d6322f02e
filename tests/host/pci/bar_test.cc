// BARs read and sized through the port mechanism must agree with what Linux found on the same
// machine (the captures' resource lines), and sizing must leave the function as it was.
#include <tessera/pci/bar.h>
#include <tessera/pci/enumerate.h>
#include <tessera/pci/registers.h>

#include "machines.h"

namespace tessera::pci {
namespace {

using test::captured;
using test::FakeMachine;

void expect_bars_match_linux(const char* name)
{
    FakeMachine machine = captured(name);
    PortConfigAccess ports(machine);
    unsigned checked = 0;
    for (const auto& [id, function] : machine.functions()) {
        const Address address = Address::from_routing_id(id);
        FunctionConfig space(ports, address);
        if ((space.read8(reg::HeaderType) & reg::HeaderTypeMask) != reg::HeaderTypeDevice)
            continue;
        // An IDE controller in compatibility mode decodes the legacy ports, which Linux lists
        // as its resources although its BARs read 0: nothing to compare.
        if (space.read16(reg::Subclass) == 0x0101)
            continue;
        const std::vector<uint8_t> before = function.bytes;
        Bar bars[6];
        auto read = read_bars(space, bars);
        ASSERT_TRUE(read);
        for (unsigned i = 0; i < 6; ++i) {
            SCOPED_TRACE(std::string(name) + " function " + std::to_string(id) + " BAR " + std::to_string(i));
            if (bars[i].kind == BarKind::Absent) {
                // Either nothing there, or the upper half of the BAR below.
                EXPECT_TRUE(function.bar_size[i] == 0 || bars[i - 1].kind == BarKind::Memory64);
                continue;
            }
            EXPECT_EQ(bars[i].size, function.bar_size[i]);
            ++checked;
        }
        EXPECT_EQ(machine.find(address)->bytes, before) << "sizing changed the function";
    }
    EXPECT_GE(checked, 5u);
}

TEST(PciBar, SizesOfEveryBarMatchLinuxOnPc) { expect_bars_match_linux("pc"); }
TEST(PciBar, SizesOfEveryBarMatchLinuxOnQ35) { expect_bars_match_linux("q35"); }

TEST(PciBar, ModernVirtioHasA64BitPrefetchableBarAndAnMsixBar)
{
    FakeMachine machine = captured("pc");
    PortConfigAccess ports(machine);
    FunctionConfig disk(ports, Address{0, 4, 0});
    auto bar4 = read_bar(disk, 4);
    ASSERT_TRUE(bar4);
    EXPECT_EQ(bar4.value().kind, BarKind::Memory64);
    EXPECT_TRUE(bar4.value().prefetchable);
    EXPECT_EQ(bar4.value().base, 0xfe200000u);
    EXPECT_EQ(bar4.value().size, 0x4000u);
    auto bar1 = read_bar(disk, 1);
    ASSERT_TRUE(bar1);
    EXPECT_EQ(bar1.value().kind, BarKind::Memory32);
    EXPECT_EQ(bar1.value().base, 0xfea11000u);
    EXPECT_EQ(bar1.value().size, 0x1000u);
    auto bar0 = read_bar(disk, 0);
    ASSERT_TRUE(bar0);
    EXPECT_EQ(bar0.value().kind, BarKind::Absent);
}

TEST(PciBar, TransitionalVirtioHasAnIoBar)
{
    FakeMachine machine = captured("pc");
    PortConfigAccess ports(machine);
    FunctionConfig disk(ports, Address{0, 5, 0});
    auto bar0 = read_bar(disk, 0);
    ASSERT_TRUE(bar0);
    EXPECT_EQ(bar0.value().kind, BarKind::Io);
    EXPECT_EQ(bar0.value().base, 0xd000u);
    EXPECT_EQ(bar0.value().size, 0x80u);
}

TEST(PciBar, DecodesRawRegisterValues)
{
    // 32-bit non-prefetchable 4 KiB at 0xfebf1000.
    Bar bar = decode_bar(1, 0xfebf1000u, 0xfffff000u, 0, 0);
    EXPECT_EQ(bar.kind, BarKind::Memory32);
    EXPECT_EQ(bar.size, 0x1000u);
    // 64-bit prefetchable 16 KiB above 4 GiB.
    bar = decode_bar(4, 0x0000000cu, 0xffffc00cu, 0x8, 0xffffffffu);
    EXPECT_EQ(bar.kind, BarKind::Memory64);
    EXPECT_EQ(bar.base, 0x800000000u);
    EXPECT_EQ(bar.size, 0x4000u);
    // 64-bit, 8 GiB: the size lives in the upper half.
    bar = decode_bar(2, 0x0000000cu, 0x0000000cu, 0x4, 0xfffffffeu);
    EXPECT_EQ(bar.size, uint64_t(8) << 30);
    // I/O BAR with the upper 16 bits hard-wired to zero.
    bar = decode_bar(0, 0xc001u, 0x0000ffc1u, 0, 0);
    EXPECT_EQ(bar.kind, BarKind::Io);
    EXPECT_EQ(bar.size, 0x40u);
    // Unimplemented.
    EXPECT_EQ(decode_bar(3, 0, 0, 0, 0).kind, BarKind::Absent);
}

TEST(PciBar, RejectsBadIndicesAndBridges)
{
    FakeMachine machine = captured("pc");
    PortConfigAccess ports(machine);
    FunctionConfig disk(ports, Address{0, 4, 0});
    EXPECT_EQ(read_bar(disk, 6).code(), seL4_InvalidArgument);
    FunctionConfig bridge(ports, Address{0, 6, 0});
    EXPECT_EQ(read_bar(bridge, 0).code(), seL4_InvalidArgument);
    // A 64-bit BAR claimed in slot 5 has no upper half.
    machine.find(Address{0, 4, 0})->bytes[reg::Bar0 + 20] = 0x04;
    EXPECT_EQ(read_bar(disk, 5).code(), seL4_InvalidArgument);
}

} // namespace
} // namespace tessera::pci

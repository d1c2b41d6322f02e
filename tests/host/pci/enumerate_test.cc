// Enumeration and device matching on the captured machines and on hostile bridge set-ups.
#include <tessera/pci/enumerate.h>
#include <tessera/pci/registers.h>

#include "machines.h"

#include <set>
#include <vector>

namespace tessera::pci {
namespace {

using test::captured;
using test::FakeMachine;

std::vector<Address> walk(ConfigAccess& access)
{
    std::vector<Address> found;
    Enumerator(access).for_each([&](const FunctionInfo& info) { found.push_back(info.address); });
    return found;
}

std::set<Address> captured_addresses(const FakeMachine& machine)
{
    std::set<Address> all;
    for (const auto& [id, function] : machine.functions())
        all.insert(Address::from_routing_id(id));
    return all;
}

TEST(PciEnumerate, FindsEveryFunctionLinuxSawOnPcIncludingBehindTheBridge)
{
    FakeMachine machine = captured("pc");
    PortConfigAccess ports(machine);
    const std::vector<Address> found = walk(ports);
    EXPECT_EQ(std::set<Address>(found.begin(), found.end()), captured_addresses(machine));
    EXPECT_EQ(found.size(), machine.count()); // each once
    // The PIIX3 functions 01.0, 01.1 and 01.3: a multi-function device.
    EXPECT_EQ(std::count(found.begin(), found.end(), Address{0, 1, 3}), 1);
    // The disk behind the bridge at 00:06.0 comes right after it.
    auto bridge = std::find(found.begin(), found.end(), Address{0, 6, 0});
    ASSERT_NE(bridge, found.end());
    EXPECT_EQ(*(bridge + 1), (Address{1, 3, 0}));
}

TEST(PciEnumerate, FindsEveryFunctionLinuxSawOnQ35)
{
    FakeMachine machine = captured("q35");
    PortConfigAccess ports(machine);
    const std::vector<Address> found = walk(ports);
    EXPECT_EQ(std::set<Address>(found.begin(), found.end()), captured_addresses(machine));
    EXPECT_EQ(found.size(), machine.count());
}

TEST(PciEnumerate, ReportsIdsClassAndHeaderType)
{
    FakeMachine machine = captured("q35");
    PortConfigAccess ports(machine);
    std::vector<FunctionInfo> infos;
    Enumerator(ports).for_each([&](const FunctionInfo& info) { infos.push_back(info); });
    auto host_bridge = std::find_if(infos.begin(), infos.end(),
                                    [](const FunctionInfo& i) { return i.address == Address{0, 0, 0}; });
    ASSERT_NE(host_bridge, infos.end());
    EXPECT_EQ(host_bridge->vendor, 0x8086);
    EXPECT_EQ(host_bridge->device, 0x29c0); // Q35 DRAM controller
    EXPECT_EQ(host_bridge->class_code >> 16, 0x06u);
    auto port = std::find_if(infos.begin(), infos.end(),
                             [](const FunctionInfo& i) { return i.address == Address{0, 6, 0}; });
    ASSERT_NE(port, infos.end());
    EXPECT_EQ(port->header_type, reg::HeaderTypeBridge);
}

// A bridge whose secondary bus is its own, and two bridges claiming the same bus: the walk
// visits each bus once and ends.
TEST(PciEnumerate, SurvivesBridgesThatLoopOrOverlap)
{
    FakeMachine machine;
    auto bridge = [](uint8_t secondary) {
        std::vector<uint8_t> bytes(256, 0);
        bytes[0] = 0x86, bytes[1] = 0x80, bytes[2] = 0x01, bytes[3] = 0x01;
        bytes[reg::ClassCode] = 0x06;
        bytes[reg::HeaderType] = reg::HeaderTypeBridge;
        bytes[reg::SecondaryBus] = secondary;
        return bytes;
    };
    machine.add(Address{0, 0, 0}, bridge(0));  // points at bus 0 itself
    machine.add(Address{0, 1, 0}, bridge(1));
    machine.add(Address{0, 2, 0}, bridge(1));  // the same bus again
    machine.add(Address{1, 0, 0}, bridge(0));  // back to bus 0
    machine.add(Address{1, 1, 0}, bridge(1));  // itself
    PortConfigAccess ports(machine);
    EXPECT_EQ(walk(ports).size(), 5u);
}

TEST(PciFind, ByAddressFindsOnlyPresentFunctions)
{
    FakeMachine machine = captured("pc");
    PortConfigAccess ports(machine);
    auto found = find_function(ports, DeviceMatch{DeviceMatch::Kind::ByAddress, Address{1, 3, 0}, 0, 0, 0});
    ASSERT_TRUE(found);
    EXPECT_EQ(found.value().device, 0x1042);
    auto absent = find_function(ports, DeviceMatch{DeviceMatch::Kind::ByAddress, Address{0, 9, 0}, 0, 0, 0});
    ASSERT_FALSE(absent);
    EXPECT_EQ(absent.code(), seL4_FailedLookup);
}

TEST(PciFind, ByIdCountsInstancesInAddressOrder)
{
    FakeMachine machine = captured("pc");
    PortConfigAccess ports(machine);
    auto nth = [&](uint16_t device, uint16_t instance) {
        return find_function(ports, DeviceMatch{DeviceMatch::Kind::ById, {}, 0x1af4, device, instance});
    };
    ASSERT_TRUE(nth(0x1042, 0));
    EXPECT_EQ(nth(0x1042, 0).value().address, (Address{0, 4, 0}));
    ASSERT_TRUE(nth(0x1042, 1));
    EXPECT_EQ(nth(0x1042, 1).value().address, (Address{1, 3, 0}));
    EXPECT_FALSE(nth(0x1042, 2));
    ASSERT_TRUE(nth(0x1001, 0)); // the transitional disk
    EXPECT_EQ(nth(0x1001, 0).value().address, (Address{0, 5, 0}));
}

} // namespace
} // namespace tessera::pci

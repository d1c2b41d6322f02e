// The virtio PCI capabilities as QEMU presents them, and malformed ones.
#include <tessera/pci/registers.h>
#include <tessera/virtio/pci_transport.h>

#include "fake_machine.h"

#include <gtest/gtest.h>

namespace tessera::virtio {
namespace {

using pci::test::FakeMachine;

FakeMachine load(const char* name)
{
    FakeMachine machine;
    std::string why;
    EXPECT_TRUE(machine.load(std::string(TESSERA_PCI_TEST_DATA) + "/" + name, why)) << why;
    return machine;
}

TEST(VirtioPciLayout, QemuModernDiskPutsEveryStructureInBar4)
{
    for (const char* name : {"pc.txt", "q35.txt"}) {
        FakeMachine machine = load(name);
        pci::PortConfigAccess ports(machine);
        pci::FunctionConfig disk(ports, pci::Address{0, 4, 0});
        auto layout = read_pci_layout(disk);
        ASSERT_TRUE(layout) << name;
        const PciLayout& l = layout.value();
        EXPECT_EQ(l.common.bar, 4);
        EXPECT_EQ(l.common.offset, 0u);
        EXPECT_GE(l.common.length, common::Length);
        EXPECT_EQ(l.isr.offset, 0x1000u);
        EXPECT_EQ(l.device.offset, 0x2000u);
        EXPECT_EQ(l.notify.offset, 0x3000u);
        EXPECT_EQ(l.notify_multiplier, 4u);
        EXPECT_TRUE(l.device.present);
    }
}

TEST(VirtioPciLayout, TransitionalDiskHasTheModernCapabilitiesToo)
{
    FakeMachine machine = load("pc.txt");
    pci::PortConfigAccess ports(machine);
    pci::FunctionConfig disk(ports, pci::Address{0, 5, 0});
    EXPECT_TRUE(read_pci_layout(disk));
}

TEST(VirtioPciLayout, NonVirtioFunctionHasNoLayout)
{
    FakeMachine machine = load("pc.txt");
    pci::PortConfigAccess ports(machine);
    pci::FunctionConfig host_bridge(ports, pci::Address{0, 0, 0});
    EXPECT_EQ(read_pci_layout(host_bridge).code(), seL4_InvalidArgument);
}

TEST(VirtioPciLayout, ShortCapabilitiesAndReservedBarsAreRefused)
{
    FakeMachine machine = load("pc.txt");
    pci::PortConfigAccess ports(machine);
    pci::FunctionConfig disk(ports, pci::Address{0, 4, 0});
    // The notify capability at 0x70 claims to be 16 bytes: too short for its multiplier.
    auto& bytes = machine.find(pci::Address{0, 4, 0})->bytes;
    const uint8_t saved = bytes[0x72];
    bytes[0x72] = 16;
    EXPECT_EQ(read_pci_layout(disk).code(), seL4_InvalidArgument);
    bytes[0x72] = saved;
    bytes[0x44] = 6; // the common structure in BAR 6
    EXPECT_EQ(read_pci_layout(disk).code(), seL4_InvalidArgument);
}

} // namespace
} // namespace tessera::virtio

// The platform: port and MMIO dispatch to the right device, poweroff and reset from the guest's
// writes, interrupts travelling PIT/UART -> I/O APIC -> local APIC as Linux programs them, and
// undecoded accesses reading all ones and being counted.
#include "platform.h"

#include "acpi_tables.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::services::vmm {
namespace {

struct StringSink final : ByteSink {
    std::string text;
    void transmit(uint8_t byte) override { text.push_back(static_cast<char>(byte)); }
};

struct PlatformFixture : ::testing::Test {
    StringSink console;
    Platform platform{console};

    void out(uint16_t port, uint32_t value, unsigned size = 1, uint64_t now = 0)
    {
        platform.port_io(AccessKind::Write, port, size, value, now);
    }
    uint32_t in(uint16_t port, unsigned size = 1, uint64_t now = 0)
    {
        return platform.port_io(AccessKind::Read, port, size, 0, now).value;
    }
    void mmio_write(uint64_t address, uint32_t value)
    {
        platform.mmio(AccessKind::Write, address, 4, value, 0);
    }
    void route(unsigned gsi, uint32_t low)
    {
        mmio_write(IoApicAddress, 0x10 + 2 * gsi + 1);
        mmio_write(IoApicAddress + 0x10, 0);
        mmio_write(IoApicAddress, 0x10 + 2 * gsi);
        mmio_write(IoApicAddress + 0x10, low);
    }
    void enable_local_apic() { mmio_write(LocalApicAddress + 0xf0, 0x1ff); }
    // Drives the virtio disk at `bar` to DRIVER_OK with VERSION_1 and no queue.
    void driver_ok(uint64_t bar)
    {
        platform.mmio(AccessKind::Write, bar + 0x0c, 4, 0, 0);
        platform.mmio(AccessKind::Write, bar + 0x08, 4, 1, 0);
        platform.mmio(AccessKind::Write, bar + 0x0c, 4, 1, 0); // VERSION_1
        platform.mmio(AccessKind::Write, bar + 0x14, 1, 1 | 2 | 8, 0);
        platform.mmio(AccessKind::Write, bar + 0x14, 1, 1 | 2 | 8 | 4, 0);
    }
};

TEST_F(PlatformFixture, SendsSerialOutputToTheConsole)
{
    for (char c : std::string("login: "))
        out(0x3f8, static_cast<uint8_t>(c));
    EXPECT_EQ(console.text, "login: ");
    EXPECT_EQ(in(0x3fd) & 0x60, 0x60);
}

TEST_F(PlatformFixture, PowersOffAndResetsFromTheGuestsWrites)
{
    uint32_t control = (S5SleepType << Pm1SleepTypeShift) | Pm1SleepEnable | Pm1SciEnable;
    EXPECT_EQ(platform.port_io(AccessKind::Write, acpi_port::Pm1aControl, 2, control, 0).power,
              PowerEvent::PowerOff);
    EXPECT_EQ(platform.port_io(AccessKind::Write, 0xcf9, 1, 0x06, 0).power, PowerEvent::Reset);
    // The dword PCI address port beside it is still PCI's.
    out(0xcf8, 0x80000000, 4);
    EXPECT_EQ(in(0xcf8, 4), 0x80000000u);
    EXPECT_EQ(in(0xcfc, 4), 0x00081b36u);
}

TEST_F(PlatformFixture, DeliversThePitTickThroughBothApics)
{
    enable_local_apic();
    route(2, 0x30); // GSI 2, edge, vector 0x30, physical destination 0
    out(0x43, 0x34);
    out(0x40, 1193 & 0xff);
    out(0x40, 1193 >> 8);
    uint64_t deadline = platform.next_deadline_ns(0);
    EXPECT_GT(deadline, 999000u);
    EXPECT_LT(deadline, 1001000u);
    platform.update_interrupts(deadline - 1);
    EXPECT_EQ(platform.local_apic().deliverable_vector(), -1);
    platform.update_interrupts(deadline);
    EXPECT_EQ(platform.local_apic().acknowledge(), 0x30);
    mmio_write(LocalApicAddress + 0xb0, 0); // EOI
    platform.update_interrupts(2 * deadline + 10);
    EXPECT_EQ(platform.local_apic().acknowledge(), 0x30); // the next period, a new edge
}

TEST_F(PlatformFixture, RaisesTheUartInterruptOnGsiFour)
{
    enable_local_apic();
    route(4, 0x24);
    out(0x3f9, 0x02); // IER: THR empty
    EXPECT_EQ(platform.local_apic().acknowledge(), 0x24);
    EXPECT_EQ(in(0x3fa) & 0x0f, 0x02); // IIR: THRE, acknowledged by this read
    mmio_write(LocalApicAddress + 0xb0, 0);
    out(0x3f8, 'x'); // THR empty again: a new edge
    EXPECT_EQ(platform.local_apic().acknowledge(), 0x24);
}

// A device model that has used buffers at every notification: enough to see the platform route
// MMIO to a virtio disk and its INTA to the I/O APIC.
struct EchoModel final : VirtioDeviceModel {
    uint64_t features() const override { return 0; }
    unsigned config_bytes() const override { return 8; }
    uint32_t read_config(unsigned, unsigned) const override { return 0x5a; }
    VirtioEvent start(const VirtqueueDevice&, uint64_t) override { return VirtioEvent::None; }
    VirtioEvent notify() override { return VirtioEvent::UsedBuffers; }
    void reset() override {}
};

TEST_F(PlatformFixture, AttachedDiskDecodesItsBarAndRaisesItsLevelInterrupt)
{
    std::vector<uint8_t> ram(1 << 20);
    EchoModel model;
    VirtioPciTransport disk({2, 0x018000}, model, GuestRam{ram.data(), ram.size()});
    constexpr uint64_t Bar = 0xfe000000;
    ASSERT_TRUE(platform.attach_disk(disk, Bar));
    EXPECT_EQ(platform.disks(), 1u);
    out(0xcf8, 0x80000800, 4); // 00:01.0
    EXPECT_EQ(in(0xcfc, 4), 0x10421af4u);
    // Slot 1's INTA is GSI 17 (the DSDT's _PRT), in the interrupt line as firmware leaves it.
    constexpr unsigned Gsi = 17;
    static_assert(pci_intx_gsi(Platform::DiskSlot, 0) == Gsi);
    out(0xcf8, 0x8000083c, 4);
    EXPECT_EQ(in(0xcfc, 1), Gsi);
    EXPECT_EQ(platform.mmio(AccessKind::Read, Bar + 0x2000, 4, 0, 0).value, 0x5au);

    enable_local_apic();
    route(Gsi, 0x31 | (1u << 15) | (1u << 13)); // level, active low, as Linux registers it
    // Drive the device to DRIVER_OK with no queue, then notify.
    driver_ok(Bar);
    EXPECT_EQ(platform.mmio(AccessKind::Read, Bar + 0x14, 1, 0, 0).value, 15u);
    EXPECT_EQ(platform.local_apic().deliverable_vector(), -1);
    platform.mmio(AccessKind::Write, Bar + 0x3000, 2, 0, 0);
    EXPECT_EQ(platform.local_apic().acknowledge(), 0x31);
    EXPECT_EQ(platform.mmio(AccessKind::Read, Bar + 0x1000, 1, 0, 0).value, 1u); // ISR
    EXPECT_FALSE(disk.interrupt_asserted());
}

// Several disks (tessera vm --disk repeated): each at the next slot with its slot's GSI and its
// own BAR, so that an access or an interrupt of one never reaches the other; MaxDisks at most.
TEST_F(PlatformFixture, EachDiskHasItsOwnSlotBarAndInterrupt)
{
    std::vector<uint8_t> ram(1 << 20);
    EchoModel first_model, second_model;
    VirtioPciTransport first({2, 0x018000}, first_model, GuestRam{ram.data(), ram.size()});
    VirtioPciTransport second({2, 0x018000}, second_model, GuestRam{ram.data(), ram.size()});
    constexpr uint64_t FirstBar = 0xfe000000, SecondBar = FirstBar + VirtioPciTransport::BarBytes;
    ASSERT_TRUE(platform.attach_disk(first, FirstBar));
    ASSERT_TRUE(platform.attach_disk(second, SecondBar));
    EXPECT_EQ(platform.disks(), 2u);
    out(0xcf8, 0x80001000, 4); // 00:02.0
    EXPECT_EQ(in(0xcfc, 4), 0x10421af4u);
    out(0xcf8, 0x80001010, 4); // its BAR 0
    EXPECT_EQ(in(0xcfc, 4) & ~0xfu, SecondBar);
    out(0xcf8, 0x8000103c, 4); // its interrupt line: slot 2's INTA
    EXPECT_EQ(in(0xcfc, 1), pci_intx_gsi(2, 0));
    EXPECT_NE(pci_intx_gsi(2, 0), pci_intx_gsi(1, 0));

    enable_local_apic();
    route(pci_intx_gsi(1, 0), 0x31 | (1u << 15) | (1u << 13));
    route(pci_intx_gsi(2, 0), 0x32 | (1u << 15) | (1u << 13));
    // The second disk to DRIVER_OK, then notified: its vector, its ISR; the first stays quiet.
    driver_ok(SecondBar);
    EXPECT_EQ(platform.mmio(AccessKind::Read, FirstBar + 0x14, 1, 0, 0).value, 0u);
    platform.mmio(AccessKind::Write, SecondBar + 0x3000, 2, 0, 0);
    EXPECT_EQ(platform.local_apic().acknowledge(), 0x32);
    EXPECT_TRUE(second.interrupt_asserted());
    EXPECT_FALSE(first.interrupt_asserted());

    VirtioPciTransport third({2, 0x018000}, first_model, GuestRam{ram.data(), ram.size()});
    VirtioPciTransport fourth({2, 0x018000}, first_model, GuestRam{ram.data(), ram.size()});
    VirtioPciTransport fifth({2, 0x018000}, first_model, GuestRam{ram.data(), ram.size()});
    EXPECT_TRUE(platform.attach_disk(third, SecondBar + VirtioPciTransport::BarBytes));
    EXPECT_TRUE(platform.attach_disk(fourth, SecondBar + 2 * VirtioPciTransport::BarBytes));
    EXPECT_FALSE(platform.attach_disk(fifth, SecondBar + 3 * VirtioPciTransport::BarBytes));
    EXPECT_EQ(platform.disks(), Platform::MaxDisks);
}

TEST_F(PlatformFixture, UndecodedPortsAndAddressesReadAllOnesAndAreCounted)
{
    EXPECT_EQ(in(0x80), 0xffu);
    EXPECT_EQ(in(0x2f8, 2), 0xffffu);
    EXPECT_FALSE(platform.port_io(AccessKind::Write, 0x60, 1, 0xfe, 0).decoded);
    auto wild = platform.mmio(AccessKind::Read, 0xfed00000, 4, 0, 0); // no HPET
    EXPECT_FALSE(wild.decoded);
    EXPECT_EQ(wild.value, 0xffffffffu);
    EXPECT_FALSE(platform.mmio(AccessKind::Read, LocalApicAddress + 0x21, 1, 0, 0).decoded);
    EXPECT_EQ(platform.undecoded_accesses(), 5u);
    EXPECT_EQ(platform.mmio(AccessKind::Read, LocalApicAddress + 0x30, 4, 0, 0).value & 0xff,
              0x14u);
}

} // namespace
} // namespace tessera::services::vmm

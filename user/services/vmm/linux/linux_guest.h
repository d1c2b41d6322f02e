// The Linux VMM as a protection domain of a system (`tessera vm`'s, tools/tessera/src/
// vm_system.cc): its host events arrive as notifications on the PD's channels, and the guest's
// devices are served by native components: COM1 by the serial virtualiser, the virtio-blk disk by
// the block virtualiser over the virtio-blk driver, the wake-up by the HPET the system gives it.
#pragma once

#include <microkit.h>
#include <tessera/blk_client.h>

#include "guest_run.h"
#include "host_timer.h"
#include "platform.h"
#include "serial_console.h"
#include "virtio_blk_device.h"

namespace tessera::services::vmm {

// The VMM PD's channels and I/O port, as vm_system.cc writes them.
namespace linux_vmm_channel {
constexpr microkit_channel Timer = 0;       // the HPET's interrupt (I/O APIC pin 2)
constexpr microkit_channel GuestSerial = 1; // the serial virtualiser: the guest's COM1
constexpr microkit_channel VmmSerial = 2;   // the serial virtualiser: the VMM's own lines
constexpr microkit_channel Disk = 3; // disk N's block virtualiser on Disk + N (only with disk N)
} // namespace linux_vmm_channel
constexpr microkit_ioport ExitPortId = 0; // QEMU's isa-debug-exit at 0xf4: the run's status
constexpr uint16_t ExitPort = 0xf4;

// Where the guest sees disk N's BAR 0 (as firmware would leave it): DiskBar + N BARs, in the root
// bridge's memory window (pci_config.h), outside any guest RAM; disk N is at PCI 00:0(N+1).0.
constexpr unsigned MaxDisks = Platform::MaxDisks;
constexpr uint64_t DiskBar = 0xfe000000;
static_assert(DiskBar >= PciMmioWindowFirst &&
              DiskBar + MaxDisks * VirtioPciTransport::BarBytes - 1 <= PciMmioWindowLast);
constexpr uint64_t disk_bar(unsigned index) { return DiskBar + index * VirtioPciTransport::BarBytes; }

// The guest's disk: the block-virtualiser client's virtio-blk device on its PCI transport.
class GuestDisk {
public:
    GuestDisk(tessera_blk_client& client, GuestRam ram, VirtioBlkGeometry geometry)
        : device_(client, ram, geometry),
          transport_({virtio::DeviceIdBlock, 0x018000}, device_, ram)
    {
    }
    VirtioPciTransport& transport() { return transport_; }
    const VirtioBlkDevice& device() const { return device_; }
    // The server notified: its answers reach the guest (used ring, interrupt line).
    void serve() { transport_.report(device_.service()); }

private:
    VirtioBlkDevice device_;
    VirtioPciTransport transport_;
};

// At most this long between wake-ups, even for a guest halted with no timer armed: the launcher
// ends a run whose system stays idle (the kernel's idle line the last thing printed) for 0.3 s
// once its input ended, and a halted guest has not ended.
constexpr uint64_t KeepAliveNs = 100'000'000;

class PdHost final : public GuestHost {
public:
    // `disks[N]` (channel Disk + N) may be null: no disk N.
    PdHost(HostTimer& timer, Platform& platform, SerialConsole& console,
           GuestDisk* const (&disks)[MaxDisks])
        : timer_(timer), platform_(platform), console_(console)
    {
        for (unsigned i = 0; i < MaxDisks; i++)
            disks_[i] = disks[i];
    }

    bool poll(uint64_t now_ns) override;
    bool arm(uint64_t deadline_ns) override;
    void notified(seL4_Word badge, uint64_t now_ns) override;
    seL4_Word wait() override;

private:
    HostTimer& timer_;
    Platform& platform_;
    SerialConsole& console_;
    GuestDisk* disks_[MaxDisks];
};

// Waits (on the PD's notification) until the block virtualiser answered the handshake; true when
// it serves a disk. Notifications for other channels that come meanwhile are dropped: nothing
// runs yet that needs them (the timer is not armed, the guest has not started).
bool connect_disk(tessera_blk_client& client);

// Ends the run with `status` through QEMU's exit device, once the PD's own output rings are
// drained (the serial virtualiser and the UART driver run above the VMM, so the bytes are out).
[[noreturn]] void end_run(uint32_t status, const tessera_serial_client* const* clients,
                          unsigned count);

} // namespace tessera::services::vmm

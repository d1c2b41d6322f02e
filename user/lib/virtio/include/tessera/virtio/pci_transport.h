// The virtio 1.x PCI transport, driver side (Virtio 1.1, 4.1): the vendor capabilities that
// place the common, notification, ISR and device-specific structures in the BARs, and the
// common configuration's protocol: reset, status, feature negotiation, queue set-up, notify.
#pragma once

#include <tessera/libos/result.h>
#include <tessera/pci/config.h>
#include <tessera/virtio/layout.h>
#include <tessera/virtio/registers.h>
#include <tessera/virtio/split_queue.h>

namespace tessera::virtio {

// Where one structure lives: a BAR, an offset into it and a length.
struct Window {
    uint8_t bar = 0;
    uint32_t offset = 0;
    uint32_t length = 0;
    bool present = false;
};

struct PciLayout {
    Window common, notify, isr, device;
    uint32_t notify_multiplier = 0;
};

// Reads the virtio vendor capabilities (4.1.4). Each structure type is taken from its first
// capability (the spec's "preferred" one). InvalidArgument when the list is malformed, a
// capability is too short, a length is below what the structure needs, or common, notify or
// ISR is missing; the caller still checks each window against its BAR.
libos::Result<PciLayout> read_pci_layout(const pci::ConfigSpace& space);

class PciTransport {
public:
    PciTransport(Registers& common, Registers& notify, Registers& isr, Registers& device,
                 uint32_t notify_multiplier)
        : common_(common), notify_(notify), isr_(isr), device_(device),
          notify_multiplier_(notify_multiplier)
    {
    }

    // Writes 0 to the status and waits (bounded) until the device reads back 0: every queue
    // stops and the device forgets all buffers (4.1.4.3.2). TimedOut if it never does.
    libos::Result<void> reset();
    uint8_t status() { return common_.read8(common::DeviceStatus); }
    void add_status(uint8_t bits) { common_.write8(common::DeviceStatus, status() | bits); }

    uint64_t device_features();
    // Accepts `wanted` & offered; `required` must all be offered, else NotSupported-style
    // InvalidArgument. Sets FEATURES_OK and checks the device kept it (3.1.1 step 6).
    libos::Result<uint64_t> negotiate(uint64_t wanted, uint64_t required);

    uint16_t queue_count() { return common_.read16(common::NumQueues); }
    // The largest size the device allows for queue `index` (0 = the queue is unavailable).
    uint16_t queue_max_size(uint16_t index);
    // Programs queue `index` with `size` entries at `memory` and enables it. The MSI-X vector
    // (or NoVector) must read back as written, else the device refused it (InvalidArgument).
    libos::Result<void> setup_queue(uint16_t index, uint16_t size, const QueueMemory& memory,
                                    uint16_t msix_vector);
    // Where notifications for queue `index` go (within the notification window); computed
    // once at set-up. RangeError if it lies outside the window.
    libos::Result<void> set_config_vector(uint16_t msix_vector);
    void driver_ok() { add_status(StatusDriverOk); }
    void fail() { add_status(StatusFailed); }

    void notify(uint16_t index);
    // Reading the ISR status acknowledges an INTx interrupt (bit 0: a queue, bit 1: config).
    uint8_t read_isr() { return isr_.read8(0); }

    // Copies `bytes` of device-specific configuration from `offset`, retrying until the
    // configuration generation is stable so the copy is consistent (4.1.4.3.1).
    libos::Result<void> read_device_config(uint32_t offset, void* out, uint32_t bytes);

private:
    Registers& common_;
    Registers& notify_;
    Registers& isr_;
    Registers& device_;
    uint32_t notify_multiplier_;
    uint32_t notify_offset_[4] = {}; // per queue index (the block driver uses queue 0)
};

} // namespace tessera::virtio

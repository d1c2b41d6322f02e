// A virtio device behind the modern (virtio 1.x) PCI transport (virtio 1.1, 4.1): the PCI function
// (vendor 0x1af4, device 0x1040 + the virtio device id), its vendor capabilities pointing into one
// memory BAR, and the registers there: the common configuration (feature negotiation, device
// status, one virtqueue's address and size), the ISR status, the device-specific configuration and
// the notification area. Interrupts are INTx, level: asserted while the ISR has a bit set, which
// the driver's read of the ISR clears; there is no MSI-X (Linux falls back to INTx without it).
//
// The transport owns the negotiation and the queue registers; what a device type adds (its
// features, its configuration bytes, serving the queue) comes through VirtioDeviceModel, and the
// model's answers come back as VirtioEvents, so the two never hold pointers to each other.
#pragma once

#include "pci_config.h"
#include "virtqueue_device.h"

#include <tessera/virtio/layout.h>

#include <stdint.h>

namespace tessera::services::vmm {

// What serving a queue produced: nothing to tell the driver, used buffers (interrupt if the
// driver wants one), or a broken queue (the device needs a reset).
enum class VirtioEvent : uint8_t { None, UsedBuffers, NeedsReset };

class VirtioDeviceModel {
public:
    virtual ~VirtioDeviceModel() = default;
    // Device-specific and ring features (the transport adds VIRTIO_F_VERSION_1).
    virtual uint64_t features() const = 0;
    virtual unsigned config_bytes() const = 0;
    // `offset` + `size` lie within config_bytes().
    virtual uint32_t read_config(unsigned offset, unsigned size) const = 0;
    // The driver set DRIVER_OK with the queue enabled: serve `queue` from now on.
    virtual VirtioEvent start(const VirtqueueDevice& queue, uint64_t negotiated) = 0;
    // The driver notified the queue.
    virtual VirtioEvent notify() = 0;
    // The driver reset the device: forget the queue; never touch guest RAM again until start().
    virtual void reset() = 0;
};

struct VirtioPciIdentity {
    uint16_t device_id;  // virtio device id (2: block)
    uint32_t class_code; // PCI class (0x018000: other mass storage)
};

class VirtioPciTransport {
public:
    static constexpr uint64_t BarBytes = 0x4000;
    static constexpr uint16_t MaxQueueSize = 256;

    VirtioPciTransport(const VirtioPciIdentity& identity, VirtioDeviceModel& model, GuestRam ram);

    PciFunction& pci() { return pci_; }

    // Whether `address` is in the BAR while the function decodes memory.
    bool handles(uint64_t address) const;
    uint64_t read(uint64_t address, unsigned size);
    void write(uint64_t address, unsigned size, uint64_t value);

    // An event the model produced outside an access (a block response arriving).
    void report(VirtioEvent event);
    // The INTx line: high while the ISR has a bit set and INTx is not disabled.
    bool interrupt_asserted() const;

    uint8_t status() const { return status_; }
    uint64_t negotiated_features() const { return driver_features_; }

private:
    uint64_t offered_features() const;
    uint32_t read_common(unsigned offset, unsigned size) const;
    void write_common(unsigned offset, unsigned size, uint32_t value);
    void write_status(uint8_t value);
    void enable_queue();
    void reset();

    PciFunction pci_;
    VirtioDeviceModel& model_;
    GuestRam ram_;
    uint32_t device_feature_select_ = 0;
    uint32_t driver_feature_select_ = 0;
    uint64_t driver_features_ = 0;
    uint8_t status_ = 0;
    uint8_t config_generation_ = 0;
    uint8_t isr_ = 0;
    uint16_t queue_select_ = 0;
    uint16_t queue_size_ = MaxQueueSize;
    bool queue_enabled_ = false;
    VirtqueueLayout layout_{};

};

} // namespace tessera::services::vmm

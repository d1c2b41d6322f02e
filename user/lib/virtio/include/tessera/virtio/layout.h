// The virtio 1.x facts both sides of the transport agree on (Virtio 1.1, 2 and 4.1): device
// status bits, the feature bits every device type shares, split-ring layouts, the PCI vendor
// capability and the common configuration's register offsets. Written once: the drivers
// (user/drivers/virtio_*) read them as a driver, the VMM's emulated devices (user/services/vmm)
// as a device, and a disagreement between the two would be a protocol bug nobody's tests catch.
// Header only: nothing here needs the driver library.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::virtio {

// Device status bits (2.1).
constexpr uint8_t StatusAcknowledge = 1, StatusDriver = 2, StatusDriverOk = 4,
                  StatusFeaturesOk = 8, StatusNeedsReset = 64, StatusFailed = 128;

// Feature bits every device type shares (6).
constexpr uint64_t FeatureIndirectDescriptors = uint64_t(1) << 28;
constexpr uint64_t FeatureEventIndex = uint64_t(1) << 29;
constexpr uint64_t FeatureVersion1 = uint64_t(1) << 32;
constexpr uint64_t FeatureAccessPlatform = uint64_t(1) << 33;

// Split virtqueues (2.6). Little-endian on x86, so the layouts are plain structs.
struct Descriptor {
    uint64_t address;
    uint32_t length;
    uint16_t flags;
    uint16_t next;
};
static_assert(sizeof(Descriptor) == 16);

struct UsedElement {
    uint32_t id;
    uint32_t length;
};
static_assert(sizeof(UsedElement) == 8);

constexpr uint16_t DescriptorNext = 1, DescriptorWrite = 2, DescriptorIndirect = 4;
constexpr uint16_t AvailNoInterrupt = 1, UsedNoNotify = 1;
constexpr uint32_t MaxQueueSize = 32768; // the largest power of two a queue may have

// Bytes of each part for `size` entries; the rings carry the event-index word at their end.
constexpr size_t descriptor_table_bytes(uint32_t size) { return sizeof(Descriptor) * size; }
constexpr size_t available_ring_bytes(uint32_t size) { return 6u + 2u * size; }
constexpr size_t used_ring_bytes(uint32_t size) { return 6u + sizeof(UsedElement) * size; }
// Alignment each part needs (2.6, table "Virtqueue Part Alignment").
constexpr uint64_t DescriptorTableAlign = 16, AvailableRingAlign = 2, UsedRingAlign = 4;

// The PCI function (4.1.2): vendor, and the modern device id base (+ the virtio device id).
constexpr uint16_t PciVendor = 0x1af4, PciModernDeviceBase = 0x1040;
// Virtio device ids (5).
constexpr uint16_t DeviceIdBlock = 2;

// struct virtio_pci_cap (4.1.4), offsets from the capability's start (its id byte): length,
// configuration type, BAR, offset, window length; the notification capability adds the
// multiplier.
namespace pci_cap {
constexpr uint8_t Length = 2, Type = 3, Bar = 4, Offset = 8, WindowLength = 12;
constexpr uint8_t NotifyMultiplier = 16;
constexpr uint8_t Bytes = 16, NotifyBytes = 20;
constexpr uint8_t TypeCommon = 1, TypeNotify = 2, TypeIsr = 3, TypeDevice = 4;
} // namespace pci_cap

// The ISR status byte (4.1.4.5).
constexpr uint8_t IsrQueue = 1, IsrConfig = 2;

constexpr uint16_t NoVector = 0xffff; // no MSI-X vector

// Common configuration offsets (4.1.4.3). The 64-bit queue addresses may be accessed as two
// 32-bit halves, low half first.
namespace common {
constexpr uint32_t DeviceFeatureSelect = 0x00, DeviceFeature = 0x04;
constexpr uint32_t DriverFeatureSelect = 0x08, DriverFeature = 0x0c;
constexpr uint32_t MsixConfig = 0x10, NumQueues = 0x12, DeviceStatus = 0x14;
constexpr uint32_t ConfigGeneration = 0x15, QueueSelect = 0x16, QueueSize = 0x18;
constexpr uint32_t QueueMsixVector = 0x1a, QueueEnable = 0x1c, QueueNotifyOff = 0x1e;
constexpr uint32_t QueueDescriptors = 0x20, QueueDriver = 0x28, QueueDevice = 0x30;
constexpr uint32_t QueueNotifyData = 0x38, QueueReset = 0x3a;
constexpr uint32_t Length = 0x38; // the structure without the 1.2 additions
} // namespace common

} // namespace tessera::virtio

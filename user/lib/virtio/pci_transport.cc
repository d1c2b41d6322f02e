// The modern virtio PCI transport.
#include <tessera/pci/capability.h>
#include <tessera/virtio/pci_transport.h>

namespace tessera::virtio {
namespace {

// Device reset and FEATURES_OK are synchronous on QEMU; a real device gets this many polls.
constexpr unsigned ResetPolls = 1000000;

} // namespace

libos::Result<PciLayout> read_pci_layout(const pci::ConfigSpace& space)
{
    PciLayout layout;
    const char* problem = nullptr;
    auto walked = pci::for_each_capability(space, [&](pci::Capability capability) {
        if (capability.id != pci::reg::CapabilityVendor || problem != nullptr)
            return;
        const uint8_t at = capability.offset;
        const uint8_t length = space.read8(static_cast<uint16_t>(at + pci_cap::Length));
        const uint8_t type = space.read8(static_cast<uint16_t>(at + pci_cap::Type));
        if (type < pci_cap::TypeCommon || type > pci_cap::TypeDevice)
            return; // PCI configuration access (5) and future types are not used
        const uint8_t needed = type == pci_cap::TypeNotify ? pci_cap::NotifyBytes : pci_cap::Bytes;
        if (length < needed || at + length > 0x100) {
            problem = "virtio: a capability is shorter than its structure";
            return;
        }
        Window window{space.read8(static_cast<uint16_t>(at + pci_cap::Bar)),
                      space.read32(static_cast<uint16_t>(at + pci_cap::Offset)),
                      space.read32(static_cast<uint16_t>(at + pci_cap::WindowLength)), true};
        if (window.bar > 5 || uint64_t(window.offset) + window.length > 0xffffffffull) {
            problem = "virtio: a capability names a reserved BAR or wraps around";
            return;
        }
        Window* slot = type == pci_cap::TypeCommon   ? &layout.common
                       : type == pci_cap::TypeNotify ? &layout.notify
                       : type == pci_cap::TypeIsr    ? &layout.isr
                                            : &layout.device;
        if (slot->present)
            return; // the first of each type is the one to use
        *slot = window;
        if (type == pci_cap::TypeNotify)
            layout.notify_multiplier = space.read32(static_cast<uint16_t>(at + pci_cap::NotifyMultiplier));
    });
    if (!walked)
        return walked.error();
    if (problem != nullptr)
        return libos::make_error(seL4_InvalidArgument, problem);
    if (!layout.common.present || !layout.notify.present || !layout.isr.present)
        return libos::make_error(seL4_InvalidArgument, "virtio: common, notify or ISR structure missing");
    if (layout.common.length < common::Length || layout.notify.length < 2 || layout.isr.length < 1)
        return libos::make_error(seL4_InvalidArgument, "virtio: a structure is shorter than the spec's");
    return layout;
}

libos::Result<void> PciTransport::reset()
{
    common_.write8(common::DeviceStatus, 0);
    for (unsigned poll = 0; poll < ResetPolls; ++poll)
        if (common_.read8(common::DeviceStatus) == 0)
            return {};
    return libos::make_error(seL4_IllegalOperation, "virtio: the device does not finish its reset");
}

uint64_t PciTransport::device_features()
{
    common_.write32(common::DeviceFeatureSelect, 0);
    const uint64_t low = common_.read32(common::DeviceFeature);
    common_.write32(common::DeviceFeatureSelect, 1);
    return low | uint64_t(common_.read32(common::DeviceFeature)) << 32;
}

libos::Result<uint64_t> PciTransport::negotiate(uint64_t wanted, uint64_t required)
{
    const uint64_t offered = device_features();
    if ((offered & required) != required)
        return libos::make_error(seL4_InvalidArgument, "virtio: the device lacks a required feature",
                                 required & ~offered);
    const uint64_t accepted = offered & (wanted | required);
    common_.write32(common::DriverFeatureSelect, 0);
    common_.write32(common::DriverFeature, static_cast<uint32_t>(accepted));
    common_.write32(common::DriverFeatureSelect, 1);
    common_.write32(common::DriverFeature, static_cast<uint32_t>(accepted >> 32));
    add_status(StatusFeaturesOk);
    if ((status() & StatusFeaturesOk) == 0)
        return libos::make_error(seL4_InvalidArgument, "virtio: the device refused the features");
    return accepted;
}

uint16_t PciTransport::queue_max_size(uint16_t index)
{
    common_.write16(common::QueueSelect, index);
    return common_.read16(common::QueueSize);
}

libos::Result<void> PciTransport::setup_queue(uint16_t index, uint16_t size, const QueueMemory& memory,
                                              uint16_t msix_vector)
{
    if (index >= sizeof notify_offset_ / sizeof notify_offset_[0])
        return libos::make_error(seL4_RangeError, "virtio: only queues 0 to 3 are supported");
    common_.write16(common::QueueSelect, index);
    const uint16_t max = common_.read16(common::QueueSize);
    if (max == 0 || size > max)
        return libos::make_error(seL4_RangeError, "virtio: queue size above the device's maximum", max);
    if (common_.read16(common::QueueEnable) != 0)
        return libos::make_error(seL4_IllegalOperation, "virtio: queue already enabled (no reset?)");
    const uint64_t notify_at = uint64_t(common_.read16(common::QueueNotifyOff)) * notify_multiplier_;
    if (notify_at + 2 > notify_.length())
        return libos::make_error(seL4_RangeError, "virtio: queue notification outside its window");
    notify_offset_[index] = static_cast<uint32_t>(notify_at);
    common_.write16(common::QueueSize, size);
    common_.write64(common::QueueDescriptors, memory.descriptors_bus);
    common_.write64(common::QueueDriver, memory.available_bus);
    common_.write64(common::QueueDevice, memory.used_bus);
    common_.write16(common::QueueMsixVector, msix_vector);
    if (common_.read16(common::QueueMsixVector) != msix_vector)
        return libos::make_error(seL4_InvalidArgument, "virtio: the device refused the queue's MSI-X vector");
    common_.write16(common::QueueEnable, 1);
    return {};
}

libos::Result<void> PciTransport::set_config_vector(uint16_t msix_vector)
{
    common_.write16(common::MsixConfig, msix_vector);
    if (common_.read16(common::MsixConfig) != msix_vector)
        return libos::make_error(seL4_InvalidArgument, "virtio: the device refused the config MSI-X vector");
    return {};
}

void PciTransport::notify(uint16_t index)
{
    notify_.write16(notify_offset_[index & 3], index);
}

libos::Result<void> PciTransport::read_device_config(uint32_t offset, void* out, uint32_t bytes)
{
    if (uint64_t(offset) + bytes > device_.length())
        return libos::make_error(seL4_RangeError, "virtio: device configuration shorter than expected",
                                 device_.length());
    uint8_t* target = static_cast<uint8_t*>(out);
    for (unsigned attempt = 0; attempt < 100; ++attempt) {
        const uint8_t before = common_.read8(common::ConfigGeneration);
        // 32-bit fields (and halves of 64-bit ones) are read 32 bits wide (4.1.3.1).
        for (uint32_t i = 0; i < bytes;) {
            if ((offset + i) % 4 == 0 && bytes - i >= 4) {
                const uint32_t word = device_.read32(offset + i);
                for (unsigned b = 0; b < 4; ++b)
                    target[i + b] = static_cast<uint8_t>(word >> (8 * b));
                i += 4;
            } else {
                target[i] = device_.read8(offset + i);
                ++i;
            }
        }
        if (common_.read8(common::ConfigGeneration) == before)
            return {};
    }
    return libos::make_error(seL4_IllegalOperation, "virtio: device configuration never settles");
}

} // namespace tessera::virtio

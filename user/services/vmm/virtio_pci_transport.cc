// The modern virtio PCI transport (virtio_pci_transport.h).
#include "virtio_pci_transport.h"

namespace tessera::services::vmm {
namespace {

constexpr uint8_t VendorCapability = 0x09;

// Where each structure lives in BAR 0, a page apart so that a driver may map them separately.
constexpr uint64_t CommonOffset = 0x0000, CommonBytes = 0x40;
constexpr uint64_t IsrOffset = 0x1000, IsrBytes = 4;
constexpr uint64_t DeviceOffset = 0x2000, DeviceBytes = 0x1000;
constexpr uint64_t NotifyOffset = 0x3000, NotifyBytes = 4;
constexpr uint32_t NotifyMultiplier = 4;

// The common configuration (tessera/virtio/layout.h) as the device decodes it: the 64-bit queue
// addresses arrive as two 32-bit halves.
namespace reg = virtio::common;
enum CommonRegister : unsigned {
    DeviceFeatureSelect = reg::DeviceFeatureSelect,
    DeviceFeature = reg::DeviceFeature,
    DriverFeatureSelect = reg::DriverFeatureSelect,
    DriverFeature = reg::DriverFeature,
    ConfigMsixVector = reg::MsixConfig,
    NumQueues = reg::NumQueues,
    DeviceStatus = reg::DeviceStatus,
    ConfigGeneration = reg::ConfigGeneration,
    QueueSelect = reg::QueueSelect,
    QueueSize = reg::QueueSize,
    QueueMsixVector = reg::QueueMsixVector,
    QueueEnable = reg::QueueEnable,
    QueueNotifyOff = reg::QueueNotifyOff,
    QueueDescLow = reg::QueueDescriptors,
    QueueDescHigh = reg::QueueDescriptors + 4,
    QueueDriverLow = reg::QueueDriver,
    QueueDriverHigh = reg::QueueDriver + 4,
    QueueDeviceLow = reg::QueueDevice,
    QueueDeviceHigh = reg::QueueDevice + 4,
    QueueNotifyData = reg::QueueNotifyData,
    QueueReset = reg::QueueReset,
};

uint8_t add_structure(PciFunction& pci, uint8_t type, uint64_t offset, uint64_t bytes,
                      bool notify = false)
{
    // struct virtio_pci_cap (tessera/virtio/layout.h) without its first two bytes (capability id
    // and next pointer), which the PCI function writes itself.
    namespace cap = virtio::pci_cap;
    constexpr unsigned Skipped = 2;
    uint8_t body[cap::NotifyBytes - Skipped] = {};
    unsigned length = notify ? cap::NotifyBytes : cap::Bytes;
    body[cap::Length - Skipped] = static_cast<uint8_t>(length);
    body[cap::Type - Skipped] = type;
    body[cap::Bar - Skipped] = 0;
    for (unsigned i = 0; i < 4; ++i) {
        body[cap::Offset - Skipped + i] = static_cast<uint8_t>(offset >> (8 * i));
        body[cap::WindowLength - Skipped + i] = static_cast<uint8_t>(bytes >> (8 * i));
        body[cap::NotifyMultiplier - Skipped + i] = static_cast<uint8_t>(NotifyMultiplier >> (8 * i));
    }
    return pci.add_capability(VendorCapability, body, length - Skipped);
}

PciFunctionIdentity pci_identity(const VirtioPciIdentity& identity)
{
    uint16_t device = static_cast<uint16_t>(virtio::PciModernDeviceBase + identity.device_id);
    // Revision 1 marks a modern-only device; the subsystem ids are free for non-transitional
    // devices (virtio 1.2, 4.1.2.1), and carry the device id as QEMU's do.
    return PciFunctionIdentity{virtio::PciVendor, device,       1, identity.class_code,
                               virtio::PciVendor, identity.device_id, 1};
}

constexpr PciBar TransportBars[PciBarCount] = {{PciBarKind::Memory32, VirtioPciTransport::BarBytes}};

uint64_t all_ones(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

uint32_t field(uint64_t value, unsigned at, unsigned size)
{
    uint64_t shifted = value >> (8 * at);
    return static_cast<uint32_t>(size >= 4 ? shifted : shifted & ((1ull << (8 * size)) - 1));
}

uint64_t with_half(uint64_t value, bool high, uint32_t half)
{
    return high ? (value & 0xffffffffull) | (uint64_t{half} << 32)
                : (value & ~0xffffffffull) | half;
}

} // namespace

VirtioPciTransport::VirtioPciTransport(const VirtioPciIdentity& identity,
                                       VirtioDeviceModel& model, GuestRam ram)
    : pci_(pci_identity(identity), TransportBars), model_(model), ram_(ram)
{
    add_structure(pci_, virtio::pci_cap::TypeCommon, CommonOffset, CommonBytes);
    add_structure(pci_, virtio::pci_cap::TypeNotify, NotifyOffset, NotifyBytes, true);
    add_structure(pci_, virtio::pci_cap::TypeIsr, IsrOffset, IsrBytes);
    add_structure(pci_, virtio::pci_cap::TypeDevice, DeviceOffset, model.config_bytes());
}

uint64_t VirtioPciTransport::offered_features() const
{
    return model_.features() | virtio::FeatureVersion1;
}

bool VirtioPciTransport::handles(uint64_t address) const
{
    uint64_t base = pci_.bar_address(0);
    return pci_.memory_enabled() && base != 0 && address >= base && address - base < BarBytes;
}

uint64_t VirtioPciTransport::read(uint64_t address, unsigned size)
{
    uint64_t offset = address - pci_.bar_address(0);
    if (size == 0 || size > 4 || (offset & (size - 1)) != 0)
        return all_ones(size); // no register answers a misaligned or 64-bit access
    if (offset >= CommonOffset && offset < CommonOffset + CommonBytes)
        return read_common(static_cast<unsigned>(offset - CommonOffset), size);
    if (offset >= IsrOffset && offset < IsrOffset + IsrBytes) {
        uint8_t isr = isr_; // reading the ISR acknowledges the interrupt (4.1.4.5)
        isr_ = 0;
        return offset == IsrOffset ? isr : 0;
    }
    if (offset >= DeviceOffset && offset + size <= DeviceOffset + model_.config_bytes())
        return model_.read_config(static_cast<unsigned>(offset - DeviceOffset), size);
    return 0;
}

void VirtioPciTransport::write(uint64_t address, unsigned size, uint64_t value)
{
    uint64_t offset = address - pci_.bar_address(0);
    if (size == 0 || size > 4 || (offset & (size - 1)) != 0)
        return;
    if (offset >= CommonOffset && offset < CommonOffset + CommonBytes) {
        write_common(static_cast<unsigned>(offset - CommonOffset), size,
                     static_cast<uint32_t>(value));
        return;
    }
    if (offset >= NotifyOffset && offset < NotifyOffset + NotifyBytes) {
        // One queue, notify_off 0: any write here names queue 0. Before DRIVER_OK the device
        // must not consume buffers (3.1.1), and a device needing reset serves nothing.
        if ((status_ & virtio::StatusDriverOk) && !(status_ & virtio::StatusNeedsReset))
            report(model_.notify());
        return;
    }
    // The ISR is read-only and the block device's configuration has no writable field the
    // transport offers (no WCE, no CONFIG_WCE): writes there are ignored.
}

uint32_t VirtioPciTransport::read_common(unsigned offset, unsigned size) const
{
    bool queue0 = queue_select_ == 0;
    uint64_t value = 0;
    unsigned base = offset;
    switch (offset & ~3u) {
    case DeviceFeatureSelect: value = device_feature_select_; base = DeviceFeatureSelect; break;
    case DeviceFeature:
        value = device_feature_select_ < 2 ? field(offered_features(), 4 * device_feature_select_, 4)
                                           : 0;
        base = DeviceFeature;
        break;
    case DriverFeatureSelect: value = driver_feature_select_; base = DriverFeatureSelect; break;
    case DriverFeature:
        value = driver_feature_select_ < 2 ? field(driver_features_, 4 * driver_feature_select_, 4)
                                           : 0;
        base = DriverFeature;
        break;
    case ConfigMsixVector: // and NumQueues
        value = virtio::NoVector | (1u << 16);
        base = ConfigMsixVector;
        break;
    case DeviceStatus: // status, generation, queue_select
        value = status_ | (uint32_t{config_generation_} << 8) | (uint32_t{queue_select_} << 16);
        base = DeviceStatus;
        break;
    case QueueSize: // and queue_msix_vector
        value = (queue0 ? queue_size_ : 0) | (uint32_t{virtio::NoVector} << 16);
        base = QueueSize;
        break;
    case QueueEnable: // and queue_notify_off (0)
        value = queue0 && queue_enabled_ ? 1 : 0;
        base = QueueEnable;
        break;
    case QueueDescLow: case QueueDescHigh:
        value = queue0 ? layout_.descriptors : 0;
        base = QueueDescLow;
        break;
    case QueueDriverLow: case QueueDriverHigh:
        value = queue0 ? layout_.available : 0;
        base = QueueDriverLow;
        break;
    case QueueDeviceLow: case QueueDeviceHigh:
        value = queue0 ? layout_.used : 0;
        base = QueueDeviceLow;
        break;
    default: // queue_notify_data (0: no VIRTIO_F_NOTIFICATION_DATA), queue_reset (not offered)
        return 0;
    }
    return field(value, offset - base, size);
}

void VirtioPciTransport::write_common(unsigned offset, unsigned size, uint32_t value)
{
    // Drivers write each register at its own width; a narrower or misplaced write to a wider
    // register is ignored rather than half-applied (4.1.3.1: the driver MUST use the width).
    auto is = [&](unsigned reg, unsigned width) { return offset == reg && size == width; };
    bool queue0 = queue_select_ == 0;
    bool negotiating = !(status_ & virtio::StatusFeaturesOk);
    bool queue_writable = queue0 && !queue_enabled_ && !(status_ & virtio::StatusDriverOk);
    if (is(DeviceFeatureSelect, 4))
        device_feature_select_ = value;
    else if (is(DriverFeatureSelect, 4))
        driver_feature_select_ = value;
    else if (is(DriverFeature, 4) && negotiating && driver_feature_select_ < 2)
        driver_features_ = with_half(driver_features_, driver_feature_select_ == 1, value);
    else if (is(DeviceStatus, 1))
        write_status(static_cast<uint8_t>(value));
    else if (is(QueueSelect, 2))
        queue_select_ = static_cast<uint16_t>(value);
    else if (is(QueueSize, 2) && queue_writable) {
        // A power of two up to the maximum; anything else makes enabling fail.
        queue_size_ = static_cast<uint16_t>(value);
    } else if (is(QueueEnable, 2) && queue0 && value == 1 && !queue_enabled_)
        enable_queue();
    else if ((is(QueueDescLow, 4) || is(QueueDescHigh, 4)) && queue_writable)
        layout_.descriptors = with_half(layout_.descriptors, offset == QueueDescHigh, value);
    else if ((is(QueueDriverLow, 4) || is(QueueDriverHigh, 4)) && queue_writable)
        layout_.available = with_half(layout_.available, offset == QueueDriverHigh, value);
    else if ((is(QueueDeviceLow, 4) || is(QueueDeviceHigh, 4)) && queue_writable)
        layout_.used = with_half(layout_.used, offset == QueueDeviceHigh, value);
    // MSI-X vectors: no MSI-X capability, reads stay NO_VECTOR. Read-only fields: ignored.
}

void VirtioPciTransport::enable_queue()
{
    layout_.size = queue_size_;
    if (queue_size_ > MaxQueueSize || !VirtqueueDevice::create(ram_, layout_)) {
        report(VirtioEvent::NeedsReset);
        return;
    }
    queue_enabled_ = true;
}

void VirtioPciTransport::write_status(uint8_t value)
{
    if (value == 0) {
        reset();
        return;
    }
    // Bits only accumulate until a reset (3.1.1); FEATURES_OK sticks only for a subset of the
    // offered features that includes VERSION_1 (the legacy interface is not offered).
    uint8_t added = static_cast<uint8_t>(value & ~status_);
    if (added & virtio::StatusFeaturesOk) {
        bool acceptable = (driver_features_ & ~offered_features()) == 0 &&
                          (driver_features_ & virtio::FeatureVersion1) != 0;
        if (!acceptable)
            value &= static_cast<uint8_t>(~virtio::StatusFeaturesOk);
    }
    if ((added & virtio::StatusDriverOk) && !(value & virtio::StatusFeaturesOk))
        value &= static_cast<uint8_t>(~virtio::StatusDriverOk); // DRIVER_OK before FEATURES_OK
    uint8_t keep_needs_reset = status_ & virtio::StatusNeedsReset;
    status_ = static_cast<uint8_t>((status_ | value) & ~virtio::StatusNeedsReset) |
              keep_needs_reset;
    if ((added & virtio::StatusDriverOk) && (status_ & virtio::StatusDriverOk)) {
        if (!queue_enabled_)
            return; // a driver may bring up a device with no queue; nothing to serve
        auto queue = VirtqueueDevice::create(ram_, layout_);
        report(queue ? model_.start(queue.value(), driver_features_) : VirtioEvent::NeedsReset);
    }
}

void VirtioPciTransport::reset()
{
    model_.reset();
    device_feature_select_ = driver_feature_select_ = 0;
    driver_features_ = 0;
    status_ = 0;
    isr_ = 0;
    queue_select_ = 0;
    queue_size_ = MaxQueueSize;
    queue_enabled_ = false;
    layout_ = VirtqueueLayout{};
}

void VirtioPciTransport::report(VirtioEvent event)
{
    if (event == VirtioEvent::UsedBuffers) {
        isr_ |= virtio::IsrQueue;
    } else if (event == VirtioEvent::NeedsReset) {
        if (!(status_ & virtio::StatusNeedsReset))
            ++config_generation_;
        status_ |= virtio::StatusNeedsReset;
        isr_ |= virtio::IsrConfig; // a configuration change interrupt tells the driver (2.1.2)
    }
}

bool VirtioPciTransport::interrupt_asserted() const
{
    constexpr uint32_t InterruptDisable = 1u << 10;
    return isr_ != 0 && (pci_.read(0x04, 2) & InterruptDisable) == 0;
}

} // namespace tessera::services::vmm

// The fake virtio-blk device.
#include "fake_virtio_blk.h"

#include <cstring>

namespace tessera::virtio::test {
namespace {

enum { Common, Notify, Isr, Device };

template <class T> T* at(uint64_t bus) { return reinterpret_cast<T*>(bus); }

bool need_event(uint16_t event, uint16_t new_index, uint16_t old_index)
{
    return uint16_t(new_index - event - 1) < uint16_t(new_index - old_index);
}

} // namespace

FakeVirtioBlk::FakeVirtioBlk(uint64_t sectors, uint64_t features_)
    : disk(sectors * 512, 0), features(features_), common_(*this, common::Length, Common),
      notify_(*this, 8, Notify), isr_(*this, 4, Isr), device_config_(*this, 24, Device)
{
}

void FakeVirtioBlk::reset()
{
    status = 0;
    driver_features = 0;
    queue_enabled = false;
    queue_vector = config_vector = NoVector;
    desc_ = avail_ = used_ = 0;
    last_avail_ = used_index_ = 0;
    queue_size_ = max_queue_size;
    waiting_.clear();
    ++resets;
}

uint64_t FakeVirtioBlk::read(int kind, uint32_t offset, unsigned bytes)
{
    auto pick = [&](uint64_t value, uint32_t base) {
        return (value >> (8 * (offset - base))) & (bytes == 8 ? ~0ull : (1ull << (8 * bytes)) - 1);
    };
    if (kind == Isr) {
        const uint8_t value = isr_status_;
        isr_status_ = 0;
        return value;
    }
    if (kind == Device) {
        uint8_t config[24] = {};
        const uint64_t capacity = disk.size() / 512;
        std::memcpy(config, &capacity, 8);
        std::memcpy(config + 8, &size_max, 4);
        std::memcpy(config + 12, &seg_max, 4);
        const uint32_t block_size = 512;
        std::memcpy(config + 20, &block_size, 4);
        uint64_t value = 0;
        std::memcpy(&value, config + offset, bytes);
        return value;
    }
    if (kind != Common)
        return 0;
    switch (offset) {
    case common::DeviceFeatureSelect: return device_feature_select_;
    case common::DeviceFeature: return device_feature_select_ < 2 ? uint32_t(features >> (32 * device_feature_select_)) : 0;
    case common::DriverFeatureSelect: return driver_feature_select_;
    case common::DriverFeature: return uint32_t(driver_features >> (32 * (driver_feature_select_ & 1)));
    case common::MsixConfig: return config_vector;
    case common::NumQueues: return 1;
    case common::DeviceStatus: return status;
    case common::ConfigGeneration: return 0;
    case common::QueueSelect: return 0;
    case common::QueueSize: return queue_size_;
    case common::QueueMsixVector: return queue_vector;
    case common::QueueEnable: return queue_enabled;
    case common::QueueNotifyOff: return 1;
    case common::QueueDescriptors: case common::QueueDescriptors + 4: return pick(desc_, common::QueueDescriptors);
    case common::QueueDriver: case common::QueueDriver + 4: return pick(avail_, common::QueueDriver);
    case common::QueueDevice: case common::QueueDevice + 4: return pick(used_, common::QueueDevice);
    default: return 0;
    }
}

void FakeVirtioBlk::write(int kind, uint32_t offset, unsigned bytes, uint32_t value)
{
    (void)bytes;
    if (kind == Notify) {
        ++notifications;
        collect();
        return;
    }
    if (kind != Common)
        return;
    auto set_half = [&](uint64_t& target, uint32_t base) {
        if (offset == base)
            target = (target & ~0xffffffffull) | value;
        else
            target = (target & 0xffffffffull) | uint64_t(value) << 32;
    };
    switch (offset) {
    case common::DeviceFeatureSelect: device_feature_select_ = value; break;
    case common::DriverFeatureSelect: driver_feature_select_ = value; break;
    case common::DriverFeature:
        if (driver_feature_select_ == 0)
            driver_features = (driver_features & ~0xffffffffull) | value;
        else if (driver_feature_select_ == 1)
            driver_features = (driver_features & 0xffffffffull) | uint64_t(value) << 32;
        break;
    case common::MsixConfig: config_vector = uint16_t(value); break;
    case common::DeviceStatus:
        if (value == 0) {
            reset();
            break;
        }
        if ((value & StatusFeaturesOk) &&
            (refuse_features_ok || (driver_features & ~features) != 0))
            value &= ~StatusFeaturesOk;
        status = uint8_t(value);
        break;
    case common::QueueSize:
        if (value <= max_queue_size)
            queue_size_ = uint16_t(value);
        break;
    case common::QueueMsixVector: queue_vector = value < 8 || value == NoVector ? uint16_t(value) : NoVector; break;
    case common::QueueEnable: queue_enabled = value == 1; break;
    case common::QueueDescriptors: case common::QueueDescriptors + 4: set_half(desc_, common::QueueDescriptors); break;
    case common::QueueDriver: case common::QueueDriver + 4: set_half(avail_, common::QueueDriver); break;
    case common::QueueDevice: case common::QueueDevice + 4: set_half(used_, common::QueueDevice); break;
    default: break;
    }
}

void FakeVirtioBlk::collect()
{
    if (!queue_enabled || (status & StatusDriverOk) == 0)
        return;
    const uint16_t available = __atomic_load_n(at<uint16_t>(avail_ + 2), __ATOMIC_ACQUIRE);
    while (last_avail_ != available) {
        waiting_.push_back(*at<uint16_t>(avail_ + 4 + 2 * (last_avail_ % queue_size_)));
        ++last_avail_;
    }
    // Event index: ask for a notification when the driver makes the next chain available.
    if (driver_features & FeatureEventIndex)
        *at<uint16_t>(used_ + 4 + 8 * queue_size_) = last_avail_;
}

void FakeVirtioBlk::serve(uint16_t head)
{
    auto* table = at<Descriptor>(desc_);
    std::vector<Descriptor> chain;
    for (uint16_t index = head;;) {
        chain.push_back(table[index]);
        if ((table[index].flags & DescriptorNext) == 0 || chain.size() > queue_size_)
            break;
        index = table[index].next;
    }
    last_chain_length = chain.size();
    uint32_t written = 0;
    uint8_t result = 0;
    const auto* header = at<const uint8_t>(chain.front().address);
    uint32_t type;
    uint64_t sector;
    std::memcpy(&type, header, 4);
    std::memcpy(&sector, header + 8, 8);
    log.push_back(type);
    uint64_t at_sector = sector;
    for (size_t i = 1; i + 1 < chain.size() && result == 0; ++i) {
        const Descriptor& data = chain[i];
        const uint64_t byte = at_sector * 512;
        if (byte + data.length > disk.size()) {
            result = 1;
            break;
        }
        const bool is_write = type == 1;
        if (fails && fails(at_sector, is_write)) {
            result = 1;
            break;
        }
        if (type == 0) {
            std::memcpy(at<uint8_t>(data.address), disk.data() + byte, data.length);
            written += data.length;
        } else if (type == 1) {
            if (features & (uint64_t(1) << 5)) {
                result = 1; // read-only
                break;
            }
            std::memcpy(disk.data() + byte, at<uint8_t>(data.address), data.length);
        }
        at_sector += data.length / 512;
    }
    if (type == 4)
        ++flushes;
    else if (type != 0 && type != 1)
        result = 2;
    *at<uint8_t>(chain.back().address) = result;
    ++written;
    auto* used = at<uint8_t>(used_);
    const uint16_t slot = used_index_ % queue_size_;
    uint32_t id = head;
    if (corrupt_next_used_id >= 0) {
        id = uint32_t(corrupt_next_used_id);
        corrupt_next_used_id = -1;
    }
    std::memcpy(used + 4 + 8 * slot, &id, 4);
    std::memcpy(used + 4 + 8 * slot + 4, &written, 4);
    ++used_index_;
    __atomic_store_n(at<uint16_t>(used_ + 2), used_index_, __ATOMIC_RELEASE);
}

void FakeVirtioBlk::maybe_interrupt(uint16_t old_used)
{
    if (old_used == used_index_)
        return;
    bool wanted;
    if (driver_features & FeatureEventIndex)
        wanted = need_event(*at<uint16_t>(avail_ + 4 + 2 * queue_size_), used_index_, old_used);
    else
        wanted = (*at<uint16_t>(avail_) & AvailNoInterrupt) == 0;
    if (wanted) {
        ++interrupts;
        isr_status_ |= 1;
    }
}

unsigned FakeVirtioBlk::complete(unsigned limit)
{
    collect();
    const uint16_t old_used = used_index_;
    unsigned served = 0;
    while (!waiting_.empty() && (limit == 0 || served < limit)) {
        serve(waiting_.front());
        waiting_.pop_front();
        ++served;
    }
    maybe_interrupt(old_used);
    return served;
}

unsigned FakeVirtioBlk::complete_newest_first()
{
    collect();
    const uint16_t old_used = used_index_;
    unsigned served = 0;
    while (!waiting_.empty()) {
        serve(waiting_.back());
        waiting_.pop_back();
        ++served;
    }
    maybe_interrupt(old_used);
    return served;
}

} // namespace tessera::virtio::test

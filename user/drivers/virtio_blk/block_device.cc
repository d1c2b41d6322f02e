// The virtio-blk device on one queue.
#include "block_device.h"

#include <string.h>

namespace tessera::drivers::virtio_blk {
namespace {

using libos::make_error;

constexpr uint64_t align(uint64_t value, uint64_t to) { return (value + to - 1) & ~(to - 1); }

struct Layout {
    uint64_t available, used, headers, status, end;
};

// Descriptor table at 0 (16-byte aligned), available ring (2), used ring (4), then the
// headers (16) and status bytes (Virtio 1.1, 2.6: alignment of each part).
Layout layout_for(uint16_t size)
{
    Layout layout;
    layout.available = virtio::descriptor_table_bytes(size);
    layout.used = align(layout.available + virtio::available_ring_bytes(size), 4);
    layout.headers = align(layout.used + virtio::used_ring_bytes(size), 16);
    layout.status = layout.headers + sizeof(RequestHeader) * size;
    layout.end = layout.status + size;
    return layout;
}

// virtio-blk configuration (5.2.4): capacity at 0, size_max 8, seg_max 12, blk_size 20.
struct BlockConfig {
    uint64_t capacity; // 512-byte sectors
    uint32_t size_max;
    uint32_t seg_max;
    uint32_t geometry;
    uint32_t block_size;
};
static_assert(sizeof(BlockConfig) == 24);

// Each request has a header and a status descriptor around its data; the data takes at most
// MaxSegments descriptors (a bound for the chain built on the stack).
constexpr uint32_t FramingDescriptors = 2;
constexpr uint32_t MaxSegments = 62;

} // namespace

uint16_t queue_size_for(uint64_t bytes)
{
    uint16_t best = 0;
    for (uint32_t size = 4; size <= 256; size *= 2)
        if (layout_for(static_cast<uint16_t>(size)).end <= bytes)
            best = static_cast<uint16_t>(size);
    return best;
}

RequestHeader* BlockDevice::header(uint16_t head) const
{
    return reinterpret_cast<RequestHeader*>(dma_.base + headers_offset_) + head;
}
volatile uint8_t* BlockDevice::status_byte(uint16_t head) const
{
    return dma_.base + status_offset_ + head;
}
uint64_t BlockDevice::header_bus(uint16_t head) const
{
    return dma_.bus + headers_offset_ + sizeof(RequestHeader) * head;
}
uint64_t BlockDevice::status_bus(uint16_t head) const
{
    return dma_.bus + status_offset_ + head;
}

libos::Result<DeviceFacts> BlockDevice::start(virtio::PciTransport& transport, const DmaRegion& dma,
                                              uint16_t msix_vector, uint32_t max_count_limit)
{
    transport_ = &transport;
    dma_ = dma;
    facts_ = DeviceFacts{};
    auto reset = transport.reset();
    if (!reset)
        return reset.error();
    transport.add_status(virtio::StatusAcknowledge | virtio::StatusDriver);
    auto fail = [&](libos::Error error) -> libos::Result<DeviceFacts> {
        transport.fail();
        return error;
    };

    // VERSION_1 is the modern interface; ACCESS_PLATFORM (an IOMMU between device and memory)
    // is not taken: buffers are at physical addresses.
    auto features = transport.negotiate(FeatureReadOnly | FeatureBlockSize | FeatureFlush |
                                            FeatureSizeMax | FeatureSegMax | virtio::FeatureEventIndex,
                                        virtio::FeatureVersion1);
    if (!features)
        return fail(features.error());
    const uint64_t accepted = features.value();

    BlockConfig config{};
    auto read = transport.read_device_config(0, &config, sizeof config);
    if (!read)
        return fail(read.error());
    if ((accepted & FeatureBlockSize) && (config.block_size < 512 || config.block_size > TESSERA_BLK_BLOCK_SIZE ||
                                          (config.block_size & (config.block_size - 1)) != 0))
        return fail(make_error(seL4_InvalidArgument, "virtio-blk: logical block size above 4 KiB",
                               config.block_size));

    const uint16_t size = queue_size_for(dma.bytes);
    const uint16_t device_max = transport.queue_max_size(0);
    uint16_t chosen = size;
    while (chosen > device_max)
        chosen /= 2;
    if (chosen < 4)
        return fail(make_error(seL4_NotEnoughMemory, "virtio-blk: queue too small for the DMA region"));
    const Layout layout = layout_for(chosen);
    headers_offset_ = layout.headers;
    status_offset_ = layout.status;
    const virtio::QueueMemory memory{dma.base, dma.base + layout.available, dma.base + layout.used,
                                     dma.bus, dma.bus + layout.available, dma.bus + layout.used};
    const bool event_index = (accepted & virtio::FeatureEventIndex) != 0;
    auto initialised = queue_.init(chosen, memory, event_index);
    if (!initialised)
        return fail(initialised.error());
    memset(dma.base + layout.headers, 0, layout.end - layout.headers);
    auto queue = transport.setup_queue(0, chosen, memory, msix_vector);
    if (!queue)
        return fail(queue.error());
    if (msix_vector != virtio::NoVector) {
        auto vector = transport.set_config_vector(virtio::NoVector);
        if (!vector)
            return fail(vector.error());
    }

    // Segments: at most seg_max data descriptors of at most size_max bytes each, and never
    // more than the queue can hold beside the framing.
    segment_bytes_ = (accepted & FeatureSizeMax) && config.size_max >= TESSERA_BLK_BLOCK_SIZE
                         ? config.size_max / TESSERA_BLK_BLOCK_SIZE * TESSERA_BLK_BLOCK_SIZE
                         : 0;
    max_segments_ = chosen - FramingDescriptors < MaxSegments ? chosen - FramingDescriptors : MaxSegments;
    if ((accepted & FeatureSegMax) && config.seg_max != 0 && config.seg_max < max_segments_)
        max_segments_ = config.seg_max;
    uint64_t max_bytes = segment_bytes_ == 0 ? ~uint64_t(0) : uint64_t(segment_bytes_) * max_segments_;
    uint64_t max_count = max_bytes / TESSERA_BLK_BLOCK_SIZE;
    // A descriptor's length is 32 bits: one segment holds at most 4 GiB - 4 KiB.
    if (segment_bytes_ == 0)
        max_count = (0xffffffffull / TESSERA_BLK_BLOCK_SIZE);
    if (max_count > max_count_limit)
        max_count = max_count_limit;

    facts_ = DeviceFacts{config.capacity / TESSERA_BLK_SECTORS_PER_BLOCK, static_cast<uint32_t>(max_count),
                         (accepted & FeatureReadOnly) != 0, (accepted & FeatureFlush) != 0,
                         event_index, chosen};
    transport.driver_ok();
    return facts_;
}

bool BlockDevice::has_room_for(uint32_t count) const
{
    const uint32_t segments =
        count == 0 ? 0 : segment_bytes_ == 0 ? 1 : (count * TESSERA_BLK_BLOCK_SIZE + segment_bytes_ - 1) / segment_bytes_;
    return queue_.free_descriptors() >= segments + FramingDescriptors;
}

libos::Result<uint16_t> BlockDevice::submit(uint32_t code, uint64_t block, uint32_t count,
                                            uint64_t buffer_bus)
{
    // Header, up to max_segments_ data pieces, status. The chain starts at the first free
    // descriptor, which fixes where its header and status byte live.
    virtio::Buffer buffers[MaxSegments + FramingDescriptors];
    const uint16_t h = queue_.next_head();
    uint16_t used = 0;
    const bool is_read = code == TESSERA_BLK_READ;
    buffers[used++] = virtio::Buffer{header_bus(h), sizeof(RequestHeader), false};
    if (code == TESSERA_BLK_READ || code == TESSERA_BLK_WRITE) {
        uint64_t remaining = uint64_t(count) * TESSERA_BLK_BLOCK_SIZE;
        uint64_t at = buffer_bus;
        while (remaining > 0) {
            if (used > max_segments_)
                return make_error(seL4_RangeError, "virtio-blk: request needs more segments than seg_max");
            const uint64_t piece = segment_bytes_ == 0 || remaining < segment_bytes_ ? remaining : segment_bytes_;
            buffers[used++] = virtio::Buffer{at, static_cast<uint32_t>(piece), is_read};
            at += piece;
            remaining -= piece;
        }
    }
    buffers[used++] = virtio::Buffer{status_bus(h), 1, true};
    if (queue_.free_descriptors() < used)
        return make_error(seL4_NotEnoughMemory, "virtio-blk: not enough free descriptors");
    // The header and status byte are written before the chain becomes visible (publish()).
    RequestHeader* request = header(h);
    request->type = code == TESSERA_BLK_READ ? TypeIn : code == TESSERA_BLK_WRITE ? TypeOut : TypeFlush;
    request->reserved = 0;
    request->sector = code == TESSERA_BLK_FLUSH ? 0 : block * TESSERA_BLK_SECTORS_PER_BLOCK;
    *status_byte(h) = 0xff; // not written by the device yet
    auto head = queue_.add(buffers, used);
    if (!head)
        return head.error();
    return head.value();
}

void BlockDevice::publish()
{
    if (queue_.publish())
        transport_->notify(0);
}

bool BlockDevice::take_completion(uint16_t& head, uint32_t& status)
{
    uint32_t written = 0;
    if (!queue_.take_used(head, written))
        return false;
    const uint8_t device_status = *status_byte(head);
    status = device_status == StatusOk        ? TESSERA_BLK_OK
             : device_status == StatusUnsupported ? TESSERA_BLK_ERROR_INVALID
                                                 : TESSERA_BLK_ERROR_IO;
    return true;
}

} // namespace tessera::drivers::virtio_blk

// A virtio-blk device (Virtio 1.1, 5.2) on one split queue: brings the device up, turns block
// protocol requests into descriptor chains (header, data, status byte) and hands back their
// outcome. The data is never touched: the device moves it by DMA to and from the bus addresses
// the requests carry. One object per device; not thread-safe.
#pragma once

#include <tessera/libos/result.h>
#include <tessera/queue/block.h>
#include <tessera/virtio/blk_layout.h>
#include <tessera/virtio/pci_transport.h>

namespace tessera::drivers::virtio_blk {

// The protocol's names, defined once in tessera/virtio/blk_layout.h (the VMM's device uses them too).
using virtio::blk::FeatureBlockSize;
using virtio::blk::FeatureFlush;
using virtio::blk::FeatureReadOnly;
using virtio::blk::FeatureSegMax;
using virtio::blk::FeatureSizeMax;
using virtio::blk::RequestHeader;
using virtio::blk::StatusIoError;
using virtio::blk::StatusOk;
using virtio::blk::StatusUnsupported;
using virtio::blk::TypeFlush;
using virtio::blk::TypeIn;
using virtio::blk::TypeOut;

// The driver's DMA memory, one physically contiguous region: the queue's three parts, then a
// header and a status byte per descriptor (a chain's head indexes them).
struct DmaRegion {
    uint8_t* base;
    uint64_t bus;   // its bus (physical) address
    uint64_t bytes;
};

// The largest queue that fits `bytes` of DMA memory (0 if not even 4 entries fit).
uint16_t queue_size_for(uint64_t bytes);

struct DeviceFacts {
    uint64_t capacity_blocks; // whole 4 KiB blocks
    uint32_t max_count;       // blocks one request may carry
    bool read_only;
    bool has_flush;           // the device has a volatile cache to flush
    bool event_index;
    uint16_t queue_size;
};

class BlockDevice {
public:
    // Resets and initialises the device: features (VERSION_1 required; RO, BLK_SIZE, FLUSH,
    // SIZE_MAX, SEG_MAX, EVENT_IDX taken if offered), configuration, queue 0 in `dma`, the
    // queue's MSI-X vector (or NoVector for INTx), DRIVER_OK. On failure the device is left
    // FAILED and nothing is outstanding.
    libos::Result<DeviceFacts> start(virtio::PciTransport& transport, const DmaRegion& dma,
                                     uint16_t msix_vector, uint32_t max_count_limit);

    // Whether a request of this shape could be queued now (descriptors free).
    bool has_room_for(uint32_t count) const;
    // Queues one transfer: READ or WRITE of `count` blocks at `block` to/from `buffer_bus`, or
    // FLUSH (count 0). The caller validated the request against facts(). Returns the chain's
    // head (its tag until completion), or NotEnoughMemory when descriptors are short.
    libos::Result<uint16_t> submit(uint32_t code, uint64_t block, uint32_t count, uint64_t buffer_bus);
    // Makes queued chains visible and notifies the device if it wants it.
    void publish();

    // The next finished chain: its head and its status as a block protocol status.
    bool take_completion(uint16_t& head, uint32_t& status);
    // Before sleeping: false if a completion arrived meanwhile.
    bool prepare_to_sleep() { return queue_.prepare_to_sleep(); }
    uint16_t outstanding() const { return queue_.outstanding(); }
    bool is_broken() const { return queue_.is_broken(); }
    const DeviceFacts& facts() const { return facts_; }
    // After an INTx interrupt: reads (and so acknowledges) the ISR status.
    uint8_t acknowledge_intx() { return transport_->read_isr(); }

private:
    RequestHeader* header(uint16_t head) const;
    volatile uint8_t* status_byte(uint16_t head) const;
    uint64_t header_bus(uint16_t head) const;
    uint64_t status_bus(uint16_t head) const;

    virtio::PciTransport* transport_ = nullptr;
    virtio::SplitQueue queue_;
    DmaRegion dma_{};
    uint64_t headers_offset_ = 0, status_offset_ = 0;
    uint32_t segment_bytes_ = 0; // largest data descriptor (size_max), 0 = unlimited
    uint32_t max_segments_ = 0;  // data descriptors per request (seg_max)
    DeviceFacts facts_{};
};

} // namespace tessera::drivers::virtio_blk

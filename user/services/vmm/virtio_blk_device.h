// The virtio-blk device (virtio 1.1, 5.2) served through a block-virtualiser connection
// (tessera/blk_client.h): the same shared-memory queues and data region a native client uses.
// The guest's requests become block requests on 4 KiB blocks staged in the data region, one slot
// of it per request in flight; responses come back on the server's notification (service()), and
// only then does the guest see its buffers filled and the status written. The VMM never waits
// inside an exit.
//
// The device offers BLK_SIZE 4096 (Linux then sends whole, aligned blocks), SEG_MAX and SIZE_MAX
// (a request fits one slot), FLUSH, RO for a read-only disk, and indirect descriptors. A request
// that does not cover whole blocks is still served: reads take the covering blocks, writes read
// them first and write them back with the guest's bytes in place. Anything malformed gets
// VIRTIO_BLK_S_IOERR (or UNSUPP for an unknown type); a chain with no status byte, or a broken
// ring, makes the device need a reset. Nothing is read or written outside guest RAM.
#pragma once

#include "virtio_blk_request.h"
#include "virtio_pci_transport.h"

#include <tessera/blk_client.h>
#include <tessera/libos/result.h>
#include <tessera/virtio/blk_layout.h>

#include <stdint.h>

namespace tessera::services::vmm {

constexpr uint32_t MaxBlkSlots = 16;
// A slot holds the largest request the device advertises plus a block at each end, for requests
// that start or end inside a block.
constexpr uint32_t MaxRequestBlocks = 16;

struct VirtioBlkCounters {
    uint64_t reads = 0, writes = 0, flushes = 0, identifies = 0;
    uint64_t read_modify_writes = 0; // writes that did not cover whole blocks
    uint64_t errors = 0;             // requests answered IOERR or UNSUPP
    uint64_t stray_responses = 0;    // responses with an id no request in flight has
    uint64_t reconnections = 0;      // server restarts survived
};

// How the data region is cut: `slots` requests in flight, each staged in `slot_blocks` blocks.
struct VirtioBlkGeometry {
    uint32_t slots;
    uint32_t slot_blocks;
};

class VirtioBlkDevice final : public VirtioDeviceModel {
public:
    // The geometry for `client`, connected to a ready server (tessera_blk_client_ready). Fails
    // when the server is not ready, or the data region or the server's max_count cannot hold
    // the three blocks of the smallest slot.
    static libos::Result<VirtioBlkGeometry> plan(const tessera_blk_client& client);

    // `client` outlives the device; `geometry` comes from plan().
    VirtioBlkDevice(tessera_blk_client& client, GuestRam ram, VirtioBlkGeometry geometry);

    uint64_t features() const override;
    unsigned config_bytes() const override { return ConfigBytes; }
    uint32_t read_config(unsigned offset, unsigned size) const override;
    VirtioEvent start(const VirtqueueDevice& queue, uint64_t negotiated) override;
    VirtioEvent notify() override;
    void reset() override;

    // The server notified: takes responses, reconnects after a server restart, completes guest
    // requests and starts the ones waiting for a slot.
    VirtioEvent service();

    uint64_t capacity_sectors() const { return disk_.sectors; }
    bool read_only() const { return disk_.read_only; }
    uint64_t max_request_bytes() const { return uint64_t{slot_blocks_ - 2} * TESSERA_BLK_BLOCK_SIZE; }
    uint32_t slots() const { return slot_count_; }
    uint32_t in_flight() const;
    const VirtioBlkCounters& counters() const { return counters_; }

    static constexpr unsigned ConfigBytes = 0x24; // through num_queues (virtio_blk_config)

private:
    enum class SlotState : uint8_t { Free, Busy, Orphaned };
    enum class Phase : uint8_t { Transfer, ReadBeforeWrite };
    struct Slot {
        SlotState state = SlotState::Free;
        Phase phase = Phase::Transfer;
        bool submitted = false;
        uint32_t code = 0; // the block request in progress
        uint64_t first_block = 0;
        uint32_t blocks = 0;
        uint64_t skip = 0; // bytes from the first block's start to the guest's first sector
        BlockRequest request{};
        DescriptorChain chain;
    };

    uint8_t* slot_data(uint32_t index) const;
    // Takes and submits chains while slots are free, then asks the server for its notification
    // while answers are awaited; reports what the guest must be told.
    VirtioEvent take_requests();
    void take_chains();
    bool awaiting_answers() const;
    // Starts `request`, whose chain was taken into the free `slot`, or answers it at once.
    void begin(Slot& slot, const BlockRequest& request);
    void answer(const DescriptorChain& chain, const BlockRequest& request, uint8_t status,
                uint32_t data_written);
    void finish(Slot& slot, uint8_t status);
    bool submit_pending();
    void take_responses();
    void handle_response(Slot& slot, const tessera_blk_response& response);
    void copy_from_guest(const Slot& slot, uint8_t* to) const;
    void copy_to_guest(const Slot& slot, const uint8_t* from) const;
    VirtioEvent used_event();

    tessera_blk_client& client_;
    GuestRam ram_;
    BlockDisk disk_;
    uint32_t slot_count_;
    uint32_t slot_blocks_;
    Slot slots_[MaxBlkSlots];
    libos::Result<VirtqueueDevice> queue_;
    bool used_ = false;   // buffers returned since the last event
    bool broken_ = false; // the ring or the connection failed: the driver must reset
    VirtioBlkCounters counters_;
};

} // namespace tessera::services::vmm

// The device side of a split virtqueue in guest RAM (virtio 1.1, 2.6): taking the descriptor
// chains the guest's driver makes available and returning them through the used ring. The guest
// writes these rings, so every index, length, address and chain is checked before use: a chain
// that loops, leaves RAM, puts readable after writable buffers, nests indirect tables or is longer
// than the device accepts is an error (the VMM then marks the device as needing reset), never a
// read outside guest RAM.
#pragma once

#include "linux_loader.h"

#include <tessera/libos/result.h>
#include <tessera/virtio/layout.h>

#include <stdint.h>

namespace tessera::services::vmm {

struct VirtqueueLayout {
    uint64_t descriptors; // guest-physical addresses the driver wrote to the queue registers
    uint64_t available;
    uint64_t used;
    uint16_t size; // a power of two, 1..32768
};

struct BufferSegment {
    uint64_t address;
    uint32_t length;
    bool device_writes;
};

constexpr unsigned MaxChainSegments = 64;

struct DescriptorChain {
    uint16_t head;
    BufferSegment segments[MaxChainSegments];
    unsigned count;
    uint64_t readable_bytes;
    uint64_t writable_bytes;
};

class VirtqueueDevice {
public:
    // Checks sizes, alignment (16, 2, 4 bytes) and that all three areas lie in `ram`.
    static libos::Result<VirtqueueDevice> create(GuestRam ram, const VirtqueueLayout& layout);

    // The next available chain: true with `chain` filled, false when none is available.
    libos::Result<bool> next(DescriptorChain& chain);
    // Returns `head` to the driver with `written` bytes written into its writable buffers.
    void complete(uint16_t head, uint32_t written);
    // Whether the driver wants an interrupt (VIRTQ_AVAIL_F_NO_INTERRUPT clear; no EVENT_IDX).
    bool driver_wants_interrupt() const;

private:
    VirtqueueDevice(GuestRam ram, const VirtqueueLayout& layout) : ram_(ram), layout_(layout) {}
    uint16_t load16(uint64_t address) const;
    libos::Result<void> append(DescriptorChain& chain, uint64_t address, uint32_t length,
                               bool device_writes) const;
    libos::Result<void> walk_indirect(DescriptorChain& chain, uint64_t table, uint32_t bytes) const;

    GuestRam ram_;
    VirtqueueLayout layout_;
    uint16_t next_available_ = 0;
    uint16_t next_used_ = 0;
};

} // namespace tessera::services::vmm

// Reading a virtio-blk request from a descriptor chain (virtio 1.1, 5.2.6): the 16-byte header
// (type, reserved, sector), the data buffers and the status byte, checked against the disk before
// anything is read or written. The device assumes no framing (2.6.4): the header may span
// readable buffers, and the status byte is the last byte of the last writable buffer.
#pragma once

#include "virtqueue_device.h"

#include <tessera/virtio/blk_layout.h>

#include <stdint.h>

namespace tessera::services::vmm {

enum class BlockRequestType : uint8_t { Read, Write, Flush, GetId };

struct BlockDisk {
    uint64_t sectors; // capacity in 512-byte sectors
    bool read_only;
};

struct BlockRequest {
    BlockRequestType type;
    uint64_t sector;
    uint64_t data_bytes; // bytes to transfer (reads: into writable buffers; writes: from readable)
    uint64_t status_address; // guest-physical address of the status byte
    uint8_t status;          // Ok when the request may be performed; else the answer to give
};

// Parses `chain` (whose segments lie in `ram`, as VirtqueueDevice guarantees). Returns false when
// the chain has no writable byte for a status (nothing can be answered: the VMM marks the device
// broken); otherwise fills `request`, whose status says whether to perform it or what to answer.
bool parse_block_request(const DescriptorChain& chain, GuestRam ram, const BlockDisk& disk,
                         BlockRequest& request);

} // namespace tessera::services::vmm

// The virtio-blk facts driver and device agree on (Virtio 1.1, 5.2): feature bits, request
// types, status values and the request header. Used by the virtio-blk driver and by the VMM's
// emulated virtio-blk device (tessera/virtio/layout.h says why once).
#pragma once

#include <stdint.h>

namespace tessera::virtio::blk {

// Feature bits (5.2.3).
constexpr uint64_t FeatureSizeMax = uint64_t(1) << 1, FeatureSegMax = uint64_t(1) << 2;
constexpr uint64_t FeatureReadOnly = uint64_t(1) << 5, FeatureBlockSize = uint64_t(1) << 6;
constexpr uint64_t FeatureFlush = uint64_t(1) << 9;

// Request types and status values (5.2.6).
constexpr uint32_t TypeIn = 0, TypeOut = 1, TypeFlush = 4, TypeGetId = 8;
constexpr uint8_t StatusOk = 0, StatusIoError = 1, StatusUnsupported = 2;

// Sectors are 512 bytes whatever the device's block size; GET_ID answers 20 bytes.
constexpr uint64_t SectorBytes = 512;
constexpr uint32_t IdBytes = 20;

struct RequestHeader {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};
static_assert(sizeof(RequestHeader) == 16);

} // namespace tessera::virtio::blk

// Parsing virtio-blk requests (virtio_blk_request.h).
#include "virtio_blk_request.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

constexpr uint32_t TypeIn = 0, TypeOut = 1, TypeFlush = 4, TypeGetId = 8;
constexpr unsigned HeaderBytes = 16;

// Copies the first `length` device-readable bytes of the chain; false when there are fewer.
bool gather_readable(const DescriptorChain& chain, GuestRam ram, uint8_t* out, unsigned length)
{
    unsigned copied = 0;
    for (unsigned i = 0; i < chain.count && copied < length; ++i) {
        const BufferSegment& segment = chain.segments[i];
        if (segment.device_writes)
            break;
        unsigned take = segment.length < length - copied ? segment.length : length - copied;
        memcpy(out + copied, ram.data + segment.address, take);
        copied += take;
    }
    return copied == length;
}

} // namespace

bool parse_block_request(const DescriptorChain& chain, GuestRam ram, const BlockDisk& disk,
                         BlockRequest& request)
{
    if (chain.writable_bytes == 0 || chain.count == 0 ||
        !chain.segments[chain.count - 1].device_writes)
        return false;
    const BufferSegment& last = chain.segments[chain.count - 1];
    if (last.length == 0)
        return false;
    request = BlockRequest{};
    request.status_address = last.address + last.length - 1;
    request.status = virtio::blk::StatusIoError;

    uint8_t header[HeaderBytes];
    if (!gather_readable(chain, ram, header, HeaderBytes))
        return true; // answered with IOERR: no header
    uint32_t type;
    memcpy(&type, header, 4);
    memcpy(&request.sector, header + 8, 8);

    uint64_t readable_data = chain.readable_bytes - HeaderBytes;
    uint64_t writable_data = chain.writable_bytes - 1; // without the status byte
    switch (type) {
    case TypeIn:
        request.type = BlockRequestType::Read;
        request.data_bytes = writable_data;
        break;
    case TypeOut:
        request.type = BlockRequestType::Write;
        request.data_bytes = readable_data;
        if (disk.read_only)
            return true; // IOERR: VIRTIO_BLK_F_RO is offered, a write is the driver's bug
        break;
    case TypeFlush:
        request.type = BlockRequestType::Flush;
        request.status = virtio::blk::StatusOk;
        return true;
    case TypeGetId:
        request.type = BlockRequestType::GetId;
        request.data_bytes = writable_data < virtio::blk::IdBytes ? writable_data : virtio::blk::IdBytes;
        request.status = virtio::blk::StatusOk;
        return true;
    default:
        request.status = virtio::blk::StatusUnsupported;
        return true;
    }
    if (request.data_bytes == 0 || request.data_bytes % virtio::blk::SectorBytes != 0)
        return true; // IOERR: transfers are whole sectors
    uint64_t sectors = request.data_bytes / virtio::blk::SectorBytes;
    if (request.sector > disk.sectors || sectors > disk.sectors - request.sector)
        return true; // IOERR: beyond the end of the disk
    request.status = virtio::blk::StatusOk;
    return true;
}

} // namespace tessera::services::vmm

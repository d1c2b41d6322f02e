// Staging through the data region, read-modify-write of partial blocks, and requests that
// survive a server restart.
#include "blk_volume.h"

#include <string.h>

namespace tessera::services::ext2 {

using tessera::ext2::Errno;
using tessera::ext2::Result;

// A server that restarts more often than this during one request is given up on.
constexpr int MaxResends = 8;

struct BlkVolume::Source {
    const uint8_t* const* buffers;
    size_t count;
    size_t each;

    // Copies `length` bytes starting `at` bytes into the source.
    void copy(size_t at, uint8_t* to, size_t length) const
    {
        while (length > 0) {
            const size_t index = at / each, within = at % each;
            const size_t piece = each - within < length ? each - within : length;
            memcpy(to, buffers[index] + within, piece);
            to += piece;
            at += piece;
            length -= piece;
        }
    }
};

Result<void> BlkVolume::connect()
{
    while (tessera_blk_client_connect(&client_) == 0)
        wait_(context_);
    if (tessera_blk_client_failed(&client_) || !tessera_blk_client_ready(&client_))
        return Errno::Io;
    const uint64_t blocks = tessera_blk_client_capacity(&client_);
    const uint64_t staged = client_.data_size / BlockBytes;
    const uint32_t most = tessera_blk_client_max_count(&client_);
    blocks_per_request_ = static_cast<uint32_t>(staged < most ? staged : most);
    if (blocks_per_request_ == 0 || blocks > UINT64_MAX / BlockBytes)
        return Errno::Inval;
    size_bytes_ = blocks * BlockBytes;
    read_only_ = tessera_blk_client_read_only(&client_) != 0;
    connected_ = true;
    return {};
}

bool BlkVolume::reconnect()
{
    ++reconnections_;
    while (tessera_blk_client_connect(&client_) == 0)
        wait_(context_);
    return tessera_blk_client_ready(&client_) != 0;
}

uint32_t BlkVolume::transfer(uint32_t code, uint64_t block, uint32_t count)
{
    if (!connected_)
        return TESSERA_BLK_ERROR_NO_DEVICE;
    for (int attempt = 0; attempt < MaxResends; ++attempt) {
        const tessera_blk_request request{code, count, block, 0, next_id_++, 0};
        ++requests_;
        bool restarted = false;
        for (;;) {
            const int submitted = tessera_blk_client_submit(&client_, &request);
            if (submitted == TESSERA_BLK_CLIENT_OK)
                break;
            if (submitted != TESSERA_BLK_CLIENT_FULL)
                return TESSERA_BLK_ERROR_NO_DEVICE;
            // Full of requests nobody waits for any more (answers to a restarted server's
            // predecessor): take what is there and wait for room.
            tessera_blk_response stale;
            while (tessera_blk_client_take(&client_, &stale) == 1) {
            }
            tessera_blk_client_publish(&client_);
            if (tessera_blk_client_restarted(&client_)) {
                restarted = true;
                break;
            }
            wait_(context_);
        }
        if (!restarted) {
            tessera_blk_client_publish(&client_);
            for (;;) {
                tessera_blk_response response;
                int taken;
                while ((taken = tessera_blk_client_take(&client_, &response)) == 1) {
                    if (response.id == request.id) {
                        tessera_blk_client_publish(&client_);
                        return response.status;
                    }
                }
                if (taken < 0)
                    return TESSERA_BLK_ERROR_NO_DEVICE;
                if (tessera_blk_client_restarted(&client_)) {
                    restarted = true;
                    break;
                }
                if (tessera_blk_client_prepare_to_wait(&client_))
                    wait_(context_);
            }
        }
        if (!reconnect())
            return TESSERA_BLK_ERROR_NO_DEVICE;
    }
    return TESSERA_BLK_ERROR_NO_DEVICE;
}

Result<void> BlkVolume::check(uint32_t status) const
{
    switch (status) {
    case TESSERA_BLK_OK:
        return {};
    case TESSERA_BLK_ERROR_READ_ONLY:
        return Errno::RoFs;
    default:
        return Errno::Io;
    }
}

Result<void> BlkVolume::read_blocks(uint64_t block, uint32_t count)
{
    return check(transfer(TESSERA_BLK_READ, block, count));
}

Result<void> BlkVolume::write_blocks(uint64_t block, uint32_t count)
{
    return check(transfer(TESSERA_BLK_WRITE, block, count));
}

Result<void> BlkVolume::read(uint64_t offset, void* destination, size_t length)
{
    if (offset > size_bytes_ || length > size_bytes_ - offset)
        return Errno::Io;
    uint8_t* to = static_cast<uint8_t*>(destination);
    while (length > 0) {
        const uint64_t block = offset / BlockBytes, head = offset % BlockBytes;
        const uint64_t room = uint64_t{blocks_per_request()} * BlockBytes - head;
        const size_t piece = length < room ? length : static_cast<size_t>(room);
        const uint32_t blocks = static_cast<uint32_t>((head + piece + BlockBytes - 1) / BlockBytes);
        Result<void> done = read_blocks(block, blocks);
        if (!done)
            return done;
        memcpy(to, staging() + head, piece);
        to += piece;
        offset += piece;
        length -= piece;
    }
    return {};
}

Result<void> BlkVolume::write_from(uint64_t offset, size_t length, const Source& source)
{
    if (offset > size_bytes_ || length > size_bytes_ - offset)
        return Errno::Io;
    if (read_only_)
        return Errno::RoFs;
    size_t done_bytes = 0;
    while (length > 0) {
        const uint64_t block = offset / BlockBytes, head = offset % BlockBytes;
        const uint64_t room = uint64_t{blocks_per_request()} * BlockBytes - head;
        const size_t piece = length < room ? length : static_cast<size_t>(room);
        const uint32_t blocks = static_cast<uint32_t>((head + piece + BlockBytes - 1) / BlockBytes);
        const uint64_t tail = (head + piece) % BlockBytes;
        // Partly covered blocks keep the bytes around the piece: read them in first. With one
        // block both ends are in it; otherwise the last one is read alone, then moved up.
        if (head != 0 || (blocks == 1 && tail != 0)) {
            Result<void> first = read_blocks(block, 1);
            if (!first)
                return first;
        }
        if (blocks > 1 && tail != 0) {
            uint8_t saved_first[BlockBytes];
            memcpy(saved_first, staging(), BlockBytes);
            Result<void> last = read_blocks(block + blocks - 1, 1);
            if (!last)
                return last;
            memmove(staging() + (blocks - 1) * BlockBytes, staging(), BlockBytes);
            memcpy(staging(), saved_first, BlockBytes);
        }
        source.copy(done_bytes, staging() + head, piece);
        Result<void> written = write_blocks(block, blocks);
        if (!written)
            return written;
        done_bytes += piece;
        offset += piece;
        length -= piece;
    }
    return {};
}

Result<void> BlkVolume::write(uint64_t offset, const void* source, size_t length)
{
    if (length == 0)
        return {};
    const uint8_t* buffer = static_cast<const uint8_t*>(source);
    return write_from(offset, length, Source{&buffer, 1, length});
}

Result<void> BlkVolume::write_gather(uint64_t offset, const uint8_t* const* buffers, size_t count,
                                     size_t each)
{
    if (count == 0 || each == 0)
        return {};
    if (count > SIZE_MAX / each)
        return Errno::Inval;
    return write_from(offset, count * each, Source{buffers, count, each});
}

Result<void> BlkVolume::flush()
{
    if (read_only_)
        return {};
    return check(transfer(TESSERA_BLK_FLUSH, 0, 0));
}

} // namespace tessera::services::ext2

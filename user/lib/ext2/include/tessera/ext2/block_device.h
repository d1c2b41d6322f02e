// What the ext2 core needs from a disk: read and write whole sectors by byte offset, and flush.
// A component implements it on its block-virtualiser client; host tests on a file or memory.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/ext2/errno.h>

namespace tessera::ext2 {

class BlockDevice {
public:
    // Offsets and lengths the core passes are multiples of 1024 (the smallest ext2 block).
    static constexpr uint64_t Granule = 1024;

    // The device's size in bytes.
    virtual uint64_t size_bytes() const = 0;
    // Reads length bytes at offset into destination; Errno::Io if the device fails.
    virtual Result<void> read(uint64_t offset, void* destination, size_t length) = 0;
    virtual Result<void> write(uint64_t offset, const void* source, size_t length) = 0;
    // Writes count buffers of each bytes to consecutive places from offset: the cache's write-back
    // hands over a run of adjacent dirty blocks at once. By default one write() per buffer; a
    // device that can gather them into one request overrides it.
    virtual Result<void> write_gather(uint64_t offset, const uint8_t* const* buffers, size_t count,
                                      size_t each)
    {
        for (size_t i = 0; i < count; ++i) {
            Result<void> done = write(offset + i * each, buffers[i], each);
            if (!done)
                return done;
        }
        return {};
    }
    // Makes every completed write durable (a virtio-blk flush).
    virtual Result<void> flush() = 0;

protected:
    ~BlockDevice() = default;
};

} // namespace tessera::ext2

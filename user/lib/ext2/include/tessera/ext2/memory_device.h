// A BlockDevice on memory: a volume image held in a byte range (a RAM disk, an image built into a
// program, the fuzzer's input). Reads and writes outside the range fail with Errno::Io.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <tessera/ext2/block_device.h>

namespace tessera::ext2 {

class MemoryBlockDevice final : public BlockDevice {
public:
    MemoryBlockDevice(uint8_t* bytes, size_t size) : bytes_(bytes), size_(size) {}

    uint64_t size_bytes() const override { return size_; }
    Result<void> read(uint64_t offset, void* destination, size_t length) override
    {
        if (offset > size_ || length > size_ - offset)
            return Errno::Io;
        memcpy(destination, bytes_ + offset, length);
        return {};
    }
    Result<void> write(uint64_t offset, const void* source, size_t length) override
    {
        if (offset > size_ || length > size_ - offset)
            return Errno::Io;
        memcpy(bytes_ + offset, source, length);
        return {};
    }
    Result<void> flush() override { return {}; }

private:
    uint8_t* bytes_;
    size_t size_;
};

} // namespace tessera::ext2

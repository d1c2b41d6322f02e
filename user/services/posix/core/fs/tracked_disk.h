// A volume image in memory that remembers which parts were written: the disk `tessera linux
// --disk` patches into the server, whose changes go back to the host's image file at each commit
// (core/fs/durable_volume.h; only the written parts, so the console line carries little). The ext2 core writes
// whole 1 KiB granules (BlockDevice::Granule); a write marks every granule it touches.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/ext2/block_device.h>

namespace tessera::posix::fs {

class TrackedDisk final : public tessera::ext2::BlockDevice {
public:
    static constexpr uint64_t Granule = tessera::ext2::BlockDevice::Granule;

    // `marks` holds one bit per granule of `size` bytes (marks_bytes_for(size)), zeroed here.
    TrackedDisk(uint8_t* bytes, size_t size, uint8_t* marks);
    static size_t marks_bytes_for(size_t size) { return size_t((size + Granule - 1) / Granule + 7) / 8; }

    uint64_t size_bytes() const override { return size_; }
    tessera::ext2::Result<void> read(uint64_t offset, void* destination, size_t length) override;
    tessera::ext2::Result<void> write(uint64_t offset, const void* source, size_t length) override;
    tessera::ext2::Result<void> flush() override { return {}; }

    // The first run of written granules at or after byte `from`: false when there is none.
    // The run ends at the first unwritten granule or at the disk's end.
    bool next_written(uint64_t from, uint64_t& offset, uint64_t& length) const;
    const uint8_t* bytes() const { return bytes_; }
    // Every granule unwritten again: what was written has been sent on.
    void forget_written();

private:
    bool written(uint64_t granule) const { return (marks_[granule / 8] >> (granule % 8)) & 1; }

    uint8_t* bytes_;
    size_t size_;
    uint8_t* marks_;
};

} // namespace tessera::posix::fs

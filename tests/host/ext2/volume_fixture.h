// A fixture with one scratch volume: made by mke2fs, mounted, and checked by e2fsck after sync.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "image_tools.h"

namespace tessera::ext2::test {

class Ext2VolumeFixture : public ::testing::Test {
protected:
    // mke2fs options and size; the volume is mounted read-write.
    void make(const std::string& options, uint64_t size_kib = 16384, size_t arena = 4u << 20)
    {
        make_image(scratch / "image", size_kib, options);
        device.emplace(MemoryDevice::from_file(scratch / "image"));
        arena_bytes = arena;
        remount();
    }
    // Drops the mounted state (nothing is written) and mounts the device again.
    void remount()
    {
        mounted.reset();
        mounted = std::make_unique<Mounted>(*device, MountOptions{}, arena_bytes);
        ASSERT_TRUE(mounted->ok()) << mounted->report.reason;
    }
    // Syncs, saves the device to the image file and runs e2fsck -fn on it.
    CommandResult sync_and_check()
    {
        Result<void> synced = mounted->fs->sync();
        EXPECT_TRUE(synced) << errno_name(synced.error());
        device->save(scratch / "image");
        return check_image(scratch / "image");
    }
    void expect_clean()
    {
        CommandResult checked = sync_and_check();
        EXPECT_EQ(checked.status, 0) << checked.output;
    }
    Mounted& m() { return *mounted; }
    FileSystem& fs() { return *mounted->fs; }

    ScratchDir scratch;
    std::optional<MemoryDevice> device;
    std::unique_ptr<Mounted> mounted;
    size_t arena_bytes = 4u << 20;
};

inline std::vector<uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

} // namespace tessera::ext2::test

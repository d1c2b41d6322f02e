// Test support for the ext2 host tests: volumes made by e2fsprogs in a scratch folder, a block
// device on memory that counts and can fail requests, a fixed clock, and e2fsck/debugfs runners.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <tessera/ext2/block_device.h>
#include <tessera/ext2/clock.h>
#include <tessera/ext2/file_system.h>
#include <tessera/ext2/path_walker.h>

namespace tessera::ext2 {
// gtest prints errors by name.
inline void PrintTo(Errno code, std::ostream* out) { *out << errno_name(code); }
} // namespace tessera::ext2

namespace tessera::ext2::test {

// A scratch folder removed with the object.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

struct CommandResult {
    int status = -1;
    std::string output; // stdout and stderr together
};
CommandResult run_command(const std::string& command);

// mke2fs -q -F -t ext2 (unless options has its own -t) [options] -d tree image size_kib (tree may be empty: no -d).
void make_image(const std::filesystem::path& image, uint64_t size_kib, const std::string& options,
                const std::filesystem::path& tree = {});
// e2fsck -fn: exit status 0 means clean.
CommandResult check_image(const std::filesystem::path& image);
// debugfs -R command image (read-only).
CommandResult debugfs(const std::filesystem::path& image, const std::string& command);

std::vector<uint8_t> read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes);

// A block device on a byte vector, loaded from and saved to an image file.
class MemoryDevice final : public BlockDevice {
public:
    explicit MemoryDevice(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
    static MemoryDevice from_file(const std::filesystem::path& path) { return MemoryDevice(read_file(path)); }
    void save(const std::filesystem::path& path) const { write_file(path, bytes_); }

    uint64_t size_bytes() const override { return bytes_.size(); }
    Result<void> read(uint64_t offset, void* destination, size_t length) override;
    Result<void> write(uint64_t offset, const void* source, size_t length) override;
    Result<void> write_gather(uint64_t offset, const uint8_t* const* buffers, size_t count,
                              size_t each) override;
    Result<void> flush() override;

    std::vector<uint8_t>& bytes() { return bytes_; }
    uint64_t reads = 0, writes = 0, flushes = 0;
    // Requests after this many fail with Errno::Io (counting reads and writes); -1: never.
    int64_t fail_after = -1;

private:
    bool should_fail();
    std::vector<uint8_t> bytes_;
};

class FixedClock final : public Clock {
public:
    Timestamp now() override { return time; }
    Timestamp time{1700000000, 123456789};
};

// A mounted volume with its arena, walker and helpers that take paths, for tests.
class Mounted {
public:
    Mounted(BlockDevice& device, MountOptions options = {}, size_t arena_bytes = 4u << 20);
    bool ok() const { return fs != nullptr; }

    Result<InodeNumber> resolve(const std::string& path, PathWalker::Follow follow = PathWalker::Follow::Yes);
    Result<PathWalker::Parent> parent(const std::string& path);
    Result<InodeNumber> create(const std::string& path, uint16_t mode = 0644);
    Result<InodeNumber> mkdir(const std::string& path, uint16_t mode = 0755);
    Result<void> unlink(const std::string& path);
    Result<void> rmdir(const std::string& path);
    Result<void> rename(const std::string& from, const std::string& to);
    Result<void> link(const std::string& target, const std::string& name);
    Result<InodeNumber> symlink(const std::string& target, const std::string& name);
    Result<void> write_all(const std::string& path, const std::vector<uint8_t>& bytes, uint64_t offset = 0);
    // The whole file, or the error as an empty vector and `error` set.
    std::vector<uint8_t> read_all(const std::string& path, Errno* error = nullptr);
    std::vector<std::string> list(const std::string& path, Errno* error = nullptr);
    std::string read_link(const std::string& path);

    std::vector<uint8_t> arena_memory;
    Arena arena{nullptr, 0};
    FixedClock clock;
    MountReport report;
    FileSystem* fs = nullptr;
    InodeNumber root = RootInode;
    std::unique_ptr<PathWalker> walker;
    Errno mount_error = Errno::Ok;
};

// Deterministic bytes for file contents.
std::vector<uint8_t> pattern(size_t length, uint32_t seed);

} // namespace tessera::ext2::test

// Test support: e2fsprogs runners, the memory device, mounted-volume helpers.
#include "image_tools.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace tessera::ext2::test {

namespace fs = std::filesystem;

ScratchDir::ScratchDir()
{
    // Memory-backed when the machine has it: the tests make thousands of small host files.
    std::error_code error;
    fs::path base = fs::is_directory("/dev/shm", error) && access("/dev/shm", W_OK) == 0
                        ? fs::path("/dev/shm")
                        : fs::temp_directory_path();
    std::string pattern = (base / "tessera-ext2-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    path_ = buffer.data();
}

ScratchDir::~ScratchDir()
{
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

CommandResult run_command(const std::string& command)
{
    CommandResult result;
    std::string full = command + " 2>&1";
    FILE* pipe = popen(full.c_str(), "r");
    if (pipe == nullptr)
        return result;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, pipe)) > 0)
        result.output.append(chunk, got);
    int status = pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

static std::string quote(const fs::path& path) { return "'" + path.string() + "'"; }

void make_image(const fs::path& image, uint64_t size_kib, const std::string& options,
                const fs::path& tree)
{
    bool typed = options.find("-t ") != std::string::npos;
    std::string command = std::string("mke2fs -q -F ") + (typed ? "" : "-t ext2 ") + options;
    if (!tree.empty())
        command += " -d " + quote(tree);
    command += " " + quote(image) + " " + std::to_string(size_kib) + "k";
    CommandResult made = run_command(command);
    if (made.status != 0)
        throw std::runtime_error("mke2fs failed: " + command + "\n" + made.output);
    // mke2fs leaves a new file short when its last blocks are unused; the device is the volume.
    fs::resize_file(image, size_kib * 1024);
}

CommandResult check_image(const fs::path& image)
{
    return run_command("e2fsck -fn " + quote(image));
}

CommandResult debugfs(const fs::path& image, const std::string& command)
{
    return run_command("debugfs -R '" + command + "' " + quote(image));
}

std::vector<uint8_t> read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes(fs::file_size(path));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return bytes;
}

void write_file(const fs::path& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

bool MemoryDevice::should_fail()
{
    if (fail_after < 0)
        return false;
    if (fail_after == 0)
        return true;
    --fail_after;
    return false;
}

Result<void> MemoryDevice::read(uint64_t offset, void* destination, size_t length)
{
    ++reads;
    if (should_fail() || offset % Granule != 0 || length % Granule != 0 ||
        offset + length > bytes_.size())
        return Errno::Io;
    std::memcpy(destination, bytes_.data() + offset, length);
    return {};
}

Result<void> MemoryDevice::write(uint64_t offset, const void* source, size_t length)
{
    ++writes;
    if (should_fail() || offset % Granule != 0 || length % Granule != 0 ||
        offset + length > bytes_.size())
        return Errno::Io;
    std::memcpy(bytes_.data() + offset, source, length);
    return {};
}

Result<void> MemoryDevice::write_gather(uint64_t offset, const uint8_t* const* buffers,
                                        size_t count, size_t each)
{
    ++writes;
    if (should_fail() || offset % Granule != 0 || each % Granule != 0 ||
        offset + count * each > bytes_.size())
        return Errno::Io;
    for (size_t i = 0; i < count; ++i)
        std::memcpy(bytes_.data() + offset + i * each, buffers[i], each);
    return {};
}

Result<void> MemoryDevice::flush()
{
    ++flushes;
    return {};
}

Mounted::Mounted(BlockDevice& device, MountOptions options, size_t arena_bytes)
    : arena_memory(arena_bytes), arena(arena_memory.data(), arena_memory.size())
{
    Result<FileSystem*> mounted = FileSystem::mount(device, arena, clock, options, report);
    if (!mounted) {
        mount_error = mounted.error();
        return;
    }
    fs = mounted.value();
    walker = std::make_unique<PathWalker>(*fs);
}

Result<InodeNumber> Mounted::resolve(const std::string& path, PathWalker::Follow follow)
{
    return walker->resolve(root, path.data(), path.size(), follow);
}

Result<PathWalker::Parent> Mounted::parent(const std::string& path)
{
    return walker->resolve_parent(root, path.data(), path.size());
}

Result<InodeNumber> Mounted::create(const std::string& path, uint16_t mode)
{
    auto where = parent(path);
    if (!where)
        return where.error();
    return fs->create(where.value().directory, where.value().name, mode, 0, 0);
}

Result<InodeNumber> Mounted::mkdir(const std::string& path, uint16_t mode)
{
    auto where = parent(path);
    if (!where)
        return where.error();
    return fs->make_directory(where.value().directory, where.value().name, mode, 0, 0);
}

Result<void> Mounted::unlink(const std::string& path)
{
    auto where = parent(path);
    if (!where)
        return where.error();
    return fs->unlink(where.value().directory, where.value().name);
}

Result<void> Mounted::rmdir(const std::string& path)
{
    auto where = parent(path);
    if (!where)
        return where.error();
    return fs->remove_directory(where.value().directory, where.value().name);
}

Result<void> Mounted::rename(const std::string& from, const std::string& to)
{
    auto source = parent(from);
    if (!source)
        return source.error();
    // The second walk reuses the walker's buffers; the first result's name points into `from`.
    auto destination = parent(to);
    if (!destination)
        return destination.error();
    return fs->rename(source.value().directory, source.value().name,
                      destination.value().directory, destination.value().name);
}

Result<void> Mounted::link(const std::string& target, const std::string& name)
{
    auto inode = resolve(target, PathWalker::Follow::No);
    if (!inode)
        return inode.error();
    auto where = parent(name);
    if (!where)
        return where.error();
    return fs->link(inode.value(), where.value().directory, where.value().name);
}

Result<InodeNumber> Mounted::symlink(const std::string& target, const std::string& name)
{
    auto where = parent(name);
    if (!where)
        return where.error();
    return fs->make_symlink(where.value().directory, where.value().name,
                            Name{target.data(), target.size()}, 0, 0);
}

Result<void> Mounted::write_all(const std::string& path, const std::vector<uint8_t>& bytes,
                                uint64_t offset)
{
    auto inode = resolve(path);
    if (!inode)
        return inode.error();
    size_t done = 0;
    while (done < bytes.size()) {
        auto wrote = fs->write(inode.value(), offset + done, bytes.data() + done, bytes.size() - done);
        if (!wrote)
            return wrote.error();
        if (wrote.value() == 0)
            return Errno::Io;
        done += wrote.value();
    }
    return {};
}

std::vector<uint8_t> Mounted::read_all(const std::string& path, Errno* error)
{
    auto inode = resolve(path);
    if (!inode) {
        if (error != nullptr)
            *error = inode.error();
        return {};
    }
    auto attributes = fs->stat(inode.value());
    if (!attributes) {
        if (error != nullptr)
            *error = attributes.error();
        return {};
    }
    std::vector<uint8_t> bytes(attributes.value().size);
    size_t done = 0;
    while (done < bytes.size()) {
        size_t chunk = std::min<size_t>(bytes.size() - done, 1u << 20);
        auto got = fs->read(inode.value(), done, bytes.data() + done, chunk);
        if (!got) {
            if (error != nullptr)
                *error = got.error();
            return {};
        }
        if (got.value() == 0)
            break;
        done += got.value();
    }
    bytes.resize(done);
    if (error != nullptr)
        *error = Errno::Ok;
    return bytes;
}

namespace {
class Collector final : public DirectoryVisitor {
public:
    bool visit(const DirectoryEntry& entry) override
    {
        names.emplace_back(entry.name.bytes, entry.name.length);
        return true;
    }
    std::vector<std::string> names;
};
} // namespace

std::vector<std::string> Mounted::list(const std::string& path, Errno* error)
{
    auto inode = resolve(path);
    if (!inode) {
        if (error != nullptr)
            *error = inode.error();
        return {};
    }
    Collector collector;
    auto done = fs->read_directory(inode.value(), 0, collector);
    if (error != nullptr)
        *error = done ? Errno::Ok : done.error();
    std::sort(collector.names.begin(), collector.names.end());
    return collector.names;
}

std::string Mounted::read_link(const std::string& path)
{
    auto inode = resolve(path, PathWalker::Follow::No);
    if (!inode)
        return "<" + std::string(errno_name(inode.error())) + ">";
    char buffer[PathMax];
    auto length = fs->read_link(inode.value(), buffer, sizeof buffer);
    if (!length)
        return "<" + std::string(errno_name(length.error())) + ">";
    return std::string(buffer, length.value());
}

std::vector<uint8_t> pattern(size_t length, uint32_t seed)
{
    std::vector<uint8_t> bytes(length);
    uint32_t state = seed * 2654435761u + 1;
    for (size_t i = 0; i < length; ++i) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes[i] = static_cast<uint8_t>(state);
    }
    return bytes;
}

} // namespace tessera::ext2::test

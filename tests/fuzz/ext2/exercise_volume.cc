#include "exercise_volume.h"

#include <new>
#include <string.h>

#include <tessera/ext2/memory_device.h>
#include <tessera/ext2/file_system.h>
#include <tessera/ext2/path_walker.h>

namespace tessera::ext2::fuzz {

namespace {

class FixedClock final : public Clock {
public:
    Timestamp now() override { return {1700000000, 0}; }
};

constexpr size_t MaxEntries = 4000;
constexpr size_t MaxDepth = 12;
constexpr size_t MaxBytes = 4u << 20;

struct Walk {
    FileSystem& fs;
    ExerciseReport& report;
    uint8_t buffer[8192];
};

class Children final : public DirectoryVisitor {
public:
    bool visit(const DirectoryEntry& entry) override
    {
        if (count == Capacity)
            return false;
        inodes[count] = entry.inode;
        is_dot[count] = (entry.name.length == 1 && entry.name.bytes[0] == '.') ||
                        (entry.name.length == 2 && entry.name.bytes[0] == '.' && entry.name.bytes[1] == '.');
        ++count;
        return true;
    }
    static constexpr size_t Capacity = 64;
    InodeNumber inodes[Capacity];
    bool is_dot[Capacity];
    size_t count = 0;
};

void visit_inode(Walk& walk, InodeNumber inode, size_t depth);

void walk_directory(Walk& walk, InodeNumber directory, size_t depth)
{
    uint64_t cursor = 0;
    for (int rounds = 0; rounds < 64 && walk.report.entries < MaxEntries; ++rounds) {
        Children children;
        Result<uint64_t> next = walk.fs.read_directory(directory, cursor, children);
        if (!next)
            return;
        walk.report.entries += children.count;
        for (size_t i = 0; i < children.count; ++i)
            if (!children.is_dot[i])
                visit_inode(walk, children.inodes[i], depth + 1);
        if (next.value() <= cursor || children.count == 0)
            return;
        cursor = next.value();
    }
}

void visit_inode(Walk& walk, InodeNumber inode, size_t depth)
{
    if (depth > MaxDepth || walk.report.entries >= MaxEntries)
        return;
    Result<Attributes> attributes = walk.fs.stat(inode);
    if (!attributes)
        return;
    switch (file_type(attributes.value().mode)) {
    case FileType::Directory:
        walk_directory(walk, inode, depth);
        break;
    case FileType::Regular: {
        uint64_t offset = 0;
        while (walk.report.bytes_read < MaxBytes) {
            Result<size_t> got = walk.fs.read(inode, offset, walk.buffer, sizeof walk.buffer);
            if (!got || got.value() == 0)
                break;
            offset += got.value();
            walk.report.bytes_read += got.value();
        }
        // Far out too: block maps past what the size says are never followed.
        (void)walk.fs.read(inode, attributes.value().size / 2 + 1, walk.buffer, 1);
        break;
    }
    case FileType::Symlink:
        (void)walk.fs.read_link(inode, reinterpret_cast<char*>(walk.buffer), sizeof walk.buffer);
        break;
    default:
        break;
    }
}

Name name_of(const char* text) { return Name{text, strlen(text)}; }

// Changes of every kind; each may fail (a damaged or full volume), none may crash.
void change_volume(FileSystem& fs, PathWalker& walker)
{
    Result<InodeNumber> file = fs.create(RootInode, name_of("fuzz-file"), 0644, 0, 0);
    static uint8_t data[20000];
    for (size_t i = 0; i < sizeof data; ++i)
        data[i] = static_cast<uint8_t>(i * 7);
    if (file) {
        (void)fs.write(file.value(), 0, data, sizeof data);
        (void)fs.write(file.value(), 300000, data, 100);
        (void)fs.truncate(file.value(), 5000);
        (void)fs.hold(file.value());
    }
    Result<InodeNumber> dir = fs.make_directory(RootInode, name_of("fuzz-dir"), 0755, 0, 0);
    if (dir) {
        (void)fs.make_symlink(dir.value(), name_of("link"), name_of("../fuzz-file"), 0, 0);
        (void)fs.rename(RootInode, name_of("fuzz-file"), dir.value(), name_of("moved"));
        (void)fs.link(file ? file.value() : RootInode, RootInode, name_of("again"));
    }
    // Through paths, as clients do, including into whatever the image already holds.
    const char* paths[] = {"/lost+found/x", "/d/new", "/fuzz-dir/link", "/a/b/c"};
    for (const char* path : paths) {
        Result<PathWalker::Parent> parent = walker.resolve_parent(RootInode, path, strlen(path));
        if (parent)
            (void)fs.create(parent.value().directory, parent.value().name, 0600, 0, 0);
        Result<InodeNumber> found = walker.resolve(RootInode, path, strlen(path), PathWalker::Follow::Yes);
        if (found)
            (void)fs.write(found.value(), 10, data, 3000);
    }
    (void)fs.unlink(RootInode, name_of("again"));
    if (dir) {
        (void)fs.unlink(dir.value(), name_of("moved"));
        (void)fs.unlink(dir.value(), name_of("link"));
        (void)fs.remove_directory(RootInode, name_of("fuzz-dir"));
    }
    if (file)
        (void)fs.release(file.value());
    (void)fs.sync();
}

} // namespace

ExerciseReport exercise_volume(uint8_t* image, size_t size)
{
    static uint8_t arena_memory[1u << 20];
    static FixedClock clock;
    ExerciseReport report;
    MemoryBlockDevice device(image, size);
    Arena arena(arena_memory, sizeof arena_memory);
    MountOptions options;
    options.cache_blocks = 64; // small: eviction and write-back happen within a run
    static MountReport mount_report;
    Result<FileSystem*> mounted = FileSystem::mount(device, arena, clock, options, mount_report);
    report.reason = mount_report.reason;
    if (!mounted)
        return report;
    report.mounted = true;
    FileSystem& fs = *mounted.value();
    report.writable = !fs.is_read_only();
    Walk walk{fs, report, {}};
    visit_inode(walk, RootInode, 0);
    void* place = arena.allocate(sizeof(PathWalker), alignof(PathWalker));
    if (place == nullptr)
        return report;
    PathWalker* walker = new (place) PathWalker(fs);
    const char* probes[] = {"/", "/..", "/lost+found", "/a/../../b", "/d/e/big", "/fast", "/slow/x"};
    for (const char* probe : probes)
        (void)walker->resolve(RootInode, probe, strlen(probe), PathWalker::Follow::Yes);
    if (report.writable)
        change_volume(fs, *walker);
    report.became_read_only = report.writable && fs.is_read_only();
    return report;
}

} // namespace tessera::ext2::fuzz

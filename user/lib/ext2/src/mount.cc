// Mounting: read and check the superblock and group descriptors, lay out the arena (volume state,
// open table, then the cache in what is left), and check the root directory.
#include <new>
#include <string.h>

#include <tessera/ext2/file_system.h>
#include <tessera/format.h>

#include "open_table.h"
#include "superblock_check.h"
#include "volume.h"

namespace tessera::ext2 {

Result<FileSystem*> FileSystem::mount(BlockDevice& device, Arena& arena, Clock& clock,
                                      const MountOptions& options, MountReport& report)
{
    report = MountReport{};
    auto fail = [&](Errno code, const char* reason) -> Result<FileSystem*> {
        tessera_snprintf(report.reason, sizeof report.reason, "%s", reason);
        return code;
    };
    uint64_t device_bytes = device.size_bytes();
    if (device_bytes < disk::SuperblockOffset + sizeof(disk::Superblock))
        return fail(Errno::Inval, "device too small to hold a superblock");
    disk::Superblock super;
    Result<void> read = device.read(disk::SuperblockOffset, &super, sizeof super);
    if (!read)
        return fail(read.error(), "reading the superblock failed");
    Result<MountPlan> plan = check_superblock(super, device_bytes, options.access, report);
    if (!plan)
        return plan.error();
    const Geometry& g = plan.value().geometry;

    size_t descriptor_bytes = size_t{g.descriptor_blocks} * g.block_size;
    auto* groups = static_cast<disk::GroupDescriptor*>(arena.allocate(descriptor_bytes, 8));
    auto* checked = arena.allocate_array<uint8_t>((g.group_count + 7) / 8);
    void* volume_place = arena.allocate(sizeof(Volume), alignof(Volume));
    void* system_place = arena.allocate(sizeof(FileSystem), alignof(FileSystem));
    OpenTable* open = OpenTable::create(arena, options.open_inodes == 0 ? 1 : options.open_inodes);
    if (groups == nullptr || checked == nullptr || volume_place == nullptr ||
        system_place == nullptr || open == nullptr)
        return fail(Errno::NoMem, "arena too small for the volume's descriptors");
    memset(checked, 0, (g.group_count + 7) / 8);
    read = device.read(uint64_t{g.first_data_block + 1} * g.block_size, groups, descriptor_bytes);
    if (!read)
        return fail(read.error(), "reading the group descriptors failed");
    Result<void> sane = check_descriptors(g, groups, report);
    if (!sane)
        return sane.error();

    uint32_t buffers = options.cache_blocks;
    if (buffers == 0) {
        // Per buffer: the block, its entry, a bucket, a sort slot and a gather slot; plus
        // alignment slack and the cache object itself.
        size_t per_buffer = g.block_size + sizeof(cache_detail::Entry) + 4 * sizeof(void*);
        size_t room = arena.remaining();
        size_t slack = 2 * 4096 + sizeof(BlockCache) + 64;
        buffers = room > slack ? static_cast<uint32_t>((room - slack) / per_buffer) : 0;
    }
    BlockCache* cache = BlockCache::create(arena, device, g.block_size, buffers);
    if (cache == nullptr)
        return fail(Errno::NoMem, "arena too small for the block cache");

    // The free counts that matter are the groups'; the superblock's totals follow them.
    disk::Superblock counted = super;
    uint64_t free_blocks = 0;
    uint64_t free_inodes = 0;
    for (uint32_t i = 0; i < g.group_count; ++i) {
        free_blocks += groups[i].free_blocks_count;
        free_inodes += groups[i].free_inodes_count;
    }
    counted.free_blocks_count = static_cast<uint32_t>(free_blocks);
    counted.free_inodes_count = static_cast<uint32_t>(free_inodes);

    Access access = plan.value().access;
    if (access == Access::ReadWrite) {
        counted.mtime = static_cast<uint32_t>(clock.now().seconds);
        ++counted.mnt_count;
    }
    Volume* volume = new (volume_place) Volume(*cache, clock, g, counted, groups, checked, access);
    FileSystem* system = new (system_place) FileSystem(volume, open);

    Result<InodeData> root = volume->load_inode(RootInode);
    if (!root)
        return fail(root.error(), "reading the root directory's inode failed");
    if (!root.value().is_directory() || root.value().raw.links_count == 0)
        return fail(Errno::Inval, "the root inode is not a directory");
    report.access = access;
    return system;
}

} // namespace tessera::ext2

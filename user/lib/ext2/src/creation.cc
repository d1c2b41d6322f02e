// Adding names: create, mkdir, symlink, link. Each allocates what it needs first and undoes the
// allocation when a later step fails, so a failed call (ENOSPC, say) leaves the volume as it was.
#include <string.h>

#include <tessera/ext2/file_system.h>

#include "block_map.h"
#include "directory.h"
#include "inode_lifetime.h"
#include "operation_helpers.h"

namespace tessera::ext2 {

namespace {

// A creation's directory, and what the search for the name found (where it will go).
struct Creation {
    InodeData dir;
    NameSearch search;
};

// The checks shared by every creation: a good, absent name in a live directory.
Result<Creation> prepare_creation(Volume& volume, InodeNumber directory, Name name)
{
    Result<void> writable = volume.begin_change();
    if (!writable)
        return writable.error();
    Result<void> valid = check_name(name);
    if (!valid)
        return valid.error();
    if (is_dot(name) || is_dot_dot(name))
        return Errno::Exist;
    Result<InodeData> dir = load_directory(volume, directory);
    if (!dir)
        return dir.error();
    Creation creation{dir.value(), {}};
    Directory entries(volume, creation.dir, directory);
    Result<NameSearch> search = entries.search(name);
    if (!search)
        return search.error();
    if (search.value().found)
        return Errno::Exist;
    creation.search = search.value();
    return creation;
}

// Allocates an inode for a new name, lets fill set it up, and links it into the directory.
template <class Fill>
Result<InodeNumber> create_inode(Volume& volume, InodeNumber directory, Creation& creation,
                                 Name name, FileType type, uint16_t mode, uint32_t uid,
                                 uint32_t gid, Fill fill)
{
    Result<InodeNumber> allocated = volume.allocate_inode(directory, type);
    if (!allocated)
        return allocated;
    InodeNumber inode = allocated.value();
    InodeData data = volume.blank_inode();
    data.raw.mode = static_cast<uint16_t>(static_cast<uint16_t>(type) | (mode & ModePermissionMask));
    data.set_uid(uid);
    data.set_gid(gid);
    data.raw.links_count = 1;
    // The name goes in before the record is written: if the directory cannot take it, the
    // record was never in use and only the bitmap bits need undoing.
    Result<void> filled = fill(inode, data);
    if (filled) {
        Directory entries(volume, creation.dir, directory);
        filled = entries.add(name, inode, entry_type_of(type), &creation.search);
        if (filled)
            filled = initialize_inode(volume, inode, data);
    }
    if (!filled) {
        // Undo: blocks fill took and the inode itself.
        if (has_block_map(volume, data)) {
            BlockMap map(volume, data, inode);
            (void)map.free_from(FileBlock{0});
        }
        (void)volume.free_inode(inode, type);
        return filled.error();
    }
    Result<void> stored = volume.store_inode(directory, creation.dir);
    if (!stored)
        return stored.error();
    return inode;
}

} // namespace

Result<InodeNumber> FileSystem::create(InodeNumber directory, Name name, uint16_t mode,
                                       uint32_t uid, uint32_t gid)
{
    Result<Creation> creation = prepare_creation(*volume_, directory, name);
    if (!creation)
        return creation.error();
    return create_inode(*volume_, directory, creation.value(), name, FileType::Regular, mode, uid, gid,
                        [](InodeNumber, InodeData&) { return Result<void>{}; });
}

Result<InodeNumber> FileSystem::make_directory(InodeNumber directory, Name name, uint16_t mode,
                                               uint32_t uid, uint32_t gid)
{
    Volume& volume = *volume_;
    Result<Creation> creation = prepare_creation(volume, directory, name);
    if (!creation)
        return creation.error();
    if (creation.value().dir.raw.links_count >= disk::LinkMax)
        return Errno::MLink;
    Result<InodeNumber> made = create_inode(
        volume, directory, creation.value(), name, FileType::Directory, mode, uid, gid,
        [&](InodeNumber inode, InodeData& data) {
            data.raw.links_count = 2;
            Directory fresh(volume, data, inode);
            return fresh.initialize(directory);
        });
    if (!made)
        return made;
    // The new directory's ".." is one more link to its parent (create_inode stored the parent
    // already; this second store adds the link).
    ++creation.value().dir.raw.links_count;
    Result<void> stored = volume.store_inode(directory, creation.value().dir);
    if (!stored)
        return stored.error();
    return made;
}

Result<InodeNumber> FileSystem::make_symlink(InodeNumber directory, Name name, Name target,
                                             uint32_t uid, uint32_t gid)
{
    Volume& volume = *volume_;
    if (target.length == 0)
        return Errno::NoEnt;
    if (target.length >= volume.geometry().block_size || target.length >= PathMax)
        return Errno::NameTooLong;
    Result<Creation> creation = prepare_creation(volume, directory, name);
    if (!creation)
        return creation.error();
    return create_inode(
        volume, directory, creation.value(), name, FileType::Symlink, 0777, uid, gid,
        [&](InodeNumber inode, InodeData& data) -> Result<void> {
            data.set_size(target.length);
            if (target.length < disk::FastSymlinkMax) {
                memcpy(data.raw.block, target.bytes, target.length);
                return {};
            }
            BlockMap map(volume, data, inode);
            bool fresh = false;
            Result<BlockNumber> block = map.find_or_allocate(FileBlock{0}, fresh);
            if (!block)
                return block.error();
            Result<BlockRef> ref = volume.cache().get(block.value(), BlockCache::Fill::Zero);
            if (!ref)
                return ref.error();
            memcpy(ref.value().data(), target.bytes, target.length);
            ref.value().mark_dirty();
            return {};
        });
}

Result<void> FileSystem::link(InodeNumber target, InodeNumber directory, Name name)
{
    Volume& volume = *volume_;
    Result<InodeData> loaded = volume.load_inode(target);
    if (!loaded)
        return loaded.error();
    InodeData& data = loaded.value();
    // Linux's order: the new name first, then what may be linked.
    Result<Creation> creation = prepare_creation(volume, directory, name);
    if (!creation)
        return creation.error();
    if (data.is_directory())
        return Errno::Perm;
    if (data.raw.links_count == 0)
        return Errno::NoEnt;
    if (data.raw.links_count >= disk::LinkMax)
        return Errno::MLink;
    Directory entries(volume, creation.value().dir, directory);
    Result<void> added = entries.add(name, target, entry_type_of(data.type()), &creation.value().search);
    if (!added)
        return added;
    ++data.raw.links_count;
    data.set_ctime(volume.now());
    Result<void> stored = volume.store_inode(target, data);
    if (!stored)
        return stored;
    return volume.store_inode(directory, creation.value().dir);
}

} // namespace tessera::ext2

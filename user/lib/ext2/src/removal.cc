// Removing names: unlink and rmdir, and the inode's end: freed with its last name unless someone
// holds it, then at the last release.
#include <tessera/ext2/file_system.h>

#include "directory.h"
#include "inode_lifetime.h"
#include "open_table.h"
#include "operation_helpers.h"

namespace tessera::ext2 {

Result<void> FileSystem::drop_link(InodeNumber inode)
{
    Volume& volume = *volume_;
    Result<InodeData> loaded = volume.load_inode(inode);
    if (!loaded)
        return loaded.error();
    InodeData& data = loaded.value();
    if (data.raw.links_count > 0)
        --data.raw.links_count;
    // A directory's last name takes its "." with it.
    if (data.is_directory())
        data.raw.links_count = 0;
    data.set_ctime(volume.now());
    if (data.raw.links_count > 0 || open_->is_held(inode)) {
        if (data.raw.links_count == 0)
            open_->mark_orphan(inode);
        return volume.store_inode(inode, data);
    }
    return destroy_inode(volume, inode, data);
}

namespace {

// What unlink and rmdir share: the directory, the entry and the inode it names.
struct Removal {
    InodeData directory;
    FoundEntry entry;
    InodeData victim;
};

Result<Removal> prepare_removal(Volume& volume, InodeNumber directory, Name name, Errno dot,
                                Errno dot_dot)
{
    Result<void> writable = volume.begin_change();
    if (!writable)
        return writable.error();
    Result<void> valid = check_name(name);
    if (!valid)
        return valid.error();
    if (is_dot(name))
        return dot;
    if (is_dot_dot(name))
        return dot_dot;
    Removal removal;
    Result<InodeData> dir = load_directory(volume, directory);
    if (!dir)
        return dir.error();
    removal.directory = dir.value();
    Directory entries(volume, removal.directory, directory);
    Result<FoundEntry> found = entries.find(name);
    if (!found)
        return found.error();
    removal.entry = found.value();
    Result<InodeData> victim = volume.load_inode(removal.entry.inode);
    if (!victim)
        return victim.error();
    removal.victim = victim.value();
    return removal;
}

} // namespace

Result<void> FileSystem::unlink(InodeNumber directory, Name name)
{
    Volume& volume = *volume_;
    Result<Removal> removal = prepare_removal(volume, directory, name, Errno::IsDir, Errno::IsDir);
    if (!removal)
        return removal.error();
    Removal& r = removal.value();
    if (r.victim.is_directory())
        return Errno::IsDir;
    Directory entries(volume, r.directory, directory);
    Result<void> removed = entries.remove(r.entry.where);
    if (!removed)
        return removed;
    Result<void> stored = volume.store_inode(directory, r.directory);
    if (!stored)
        return stored;
    return drop_link(r.entry.inode);
}

Result<void> FileSystem::remove_directory(InodeNumber directory, Name name)
{
    Volume& volume = *volume_;
    Result<Removal> removal = prepare_removal(volume, directory, name, Errno::Inval, Errno::NotEmpty);
    if (!removal)
        return removal.error();
    Removal& r = removal.value();
    InodeNumber target = r.entry.inode;
    if (target == RootInode || target == directory)
        return Errno::Busy;
    if (!r.victim.is_directory())
        return Errno::NotDir;
    Directory contents(volume, r.victim, target);
    Result<bool> empty = contents.is_empty();
    if (!empty)
        return empty.error();
    if (!empty.value())
        return Errno::NotEmpty;
    Directory entries(volume, r.directory, directory);
    Result<void> removed = entries.remove(r.entry.where);
    if (!removed)
        return removed;
    // The victim's ".." no longer counts as a link to this directory.
    if (r.directory.raw.links_count > 1)
        --r.directory.raw.links_count;
    Result<void> stored = volume.store_inode(directory, r.directory);
    if (!stored)
        return stored;
    return drop_link(target);
}

Result<void> FileSystem::hold(InodeNumber inode)
{
    Result<InodeData> loaded = volume_->load_inode(inode);
    if (!loaded)
        return loaded.error();
    if (loaded.value().raw.links_count == 0 && !open_->is_held(inode))
        return Errno::NoEnt;
    return open_->hold(inode);
}

Result<void> FileSystem::reattach(InodeNumber inode, uint32_t generation)
{
    Result<InodeData> loaded = volume_->load_inode(inode);
    if (!loaded)
        return loaded.error();
    const InodeData& data = loaded.value();
    if (data.raw.mode == 0 || data.raw.dtime != 0 || data.raw.generation != generation)
        return Errno::Stale;
    Result<void> held = open_->hold(inode);
    if (!held)
        return held;
    if (data.raw.links_count == 0)
        open_->mark_orphan(inode);
    return {};
}

Result<void> FileSystem::release(InodeNumber inode)
{
    Result<OpenTable::Last> last = open_->release(inode);
    if (!last)
        return last.error();
    if (last.value() != OpenTable::Last::Orphan)
        return {};
    Volume& volume = *volume_;
    Result<InodeData> loaded = volume.load_inode(inode);
    if (!loaded)
        return loaded.error();
    if (loaded.value().raw.links_count != 0)
        return {}; // linked again in the meantime (not possible today, harmless)
    if (volume.is_read_only())
        return {};
    return destroy_inode(volume, inode, loaded.value());
}

} // namespace tessera::ext2

// rename: within a directory or across, over an existing name (a file over a file, an empty
// directory over an empty directory), moving a directory's ".." along. Everything that can be
// refused is checked before anything changes.
#include <tessera/ext2/file_system.h>

#include "directory.h"
#include "inode_lifetime.h"
#include "open_table.h"
#include "operation_helpers.h"

namespace tessera::ext2 {

namespace {

// Whether `ancestor` is `directory` or one of its ancestors, by following ".." up to the root.
// A chain longer than the volume has inodes is a loop: the volume is corrupt.
Result<bool> is_ancestor(Volume& volume, InodeNumber ancestor, InodeNumber directory)
{
    InodeNumber current = directory;
    for (uint32_t steps = 0; steps <= volume.geometry().inodes_count; ++steps) {
        if (current == ancestor)
            return true;
        if (current == RootInode)
            return false;
        Result<InodeData> dir = load_directory(volume, current);
        if (!dir)
            return dir.error() == Errno::NotDir
                       ? volume.corrupt("directory %u: \"..\" is not a directory", raw(current))
                       : dir.error();
        Directory entries(volume, dir.value(), current);
        Result<FoundEntry> parent = entries.find(Name{"..", 2});
        if (!parent)
            return parent.error() == Errno::NoEnt
                       ? volume.corrupt("directory %u has no \"..\"", raw(current))
                       : parent.error();
        current = parent.value().inode;
    }
    return volume.corrupt("directory loop above inode %u", raw(directory));
}

bool same_name(Name a, Name b)
{
    if (a.length != b.length)
        return false;
    for (size_t i = 0; i < a.length; ++i)
        if (a.bytes[i] != b.bytes[i])
            return false;
    return true;
}

} // namespace

Result<void> FileSystem::rename(InodeNumber from_directory, Name from_name,
                                InodeNumber to_directory, Name to_name)
{
    Volume& volume = *volume_;
    Result<void> writable = volume.begin_change();
    if (!writable)
        return writable;
    const Name names[] = {from_name, to_name};
    for (Name name : names) {
        Result<void> valid = check_name(name);
        if (!valid)
            return valid;
        if (is_dot(name) || is_dot_dot(name))
            return Errno::Inval;
    }
    bool same_directory = from_directory == to_directory;
    Result<InodeData> from_loaded = load_directory(volume, from_directory);
    if (!from_loaded)
        return from_loaded.error();
    Result<InodeData> to_loaded = same_directory ? from_loaded : load_directory(volume, to_directory);
    if (!to_loaded)
        return to_loaded.error();
    // One record per directory, shared when both are the same.
    InodeData& from_dir = from_loaded.value();
    InodeData& to_dir = same_directory ? from_dir : to_loaded.value();
    Directory from_entries(volume, from_dir, from_directory);
    Directory to_entries(volume, to_dir, to_directory);

    Result<FoundEntry> source = from_entries.find(from_name);
    if (!source)
        return source.error();
    InodeNumber moving = source.value().inode;
    if (moving == from_directory || moving == to_directory)
        return Errno::Inval;
    if (same_directory && same_name(from_name, to_name))
        return {};
    Result<InodeData> moving_loaded = volume.load_inode(moving);
    if (!moving_loaded)
        return moving_loaded.error();
    InodeData& moved = moving_loaded.value();
    bool moving_directory = moved.is_directory();

    // Linux's order of refusals: the source inside itself, the destination above the source,
    // then the kinds of the two, then a full directory in the way.
    if (moving_directory && !same_directory) {
        Result<bool> inside = is_ancestor(volume, moving, to_directory);
        if (!inside)
            return inside.error();
        if (inside.value())
            return Errno::Inval;
    }
    Result<FoundEntry> destination = to_entries.find(to_name);
    if (!destination && destination.error() != Errno::NoEnt)
        return destination.error();
    bool replacing = static_cast<bool>(destination);
    InodeNumber replaced{0};
    if (replacing) {
        replaced = destination.value().inode;
        if (replaced == moving)
            return {}; // two names of one inode: POSIX says nothing happens
        if (replaced == to_directory)
            return Errno::Inval;
        Result<InodeData> old = volume.load_inode(replaced);
        if (!old)
            return old.error();
        if (old.value().is_directory()) {
            Result<bool> above = is_ancestor(volume, replaced, from_directory);
            if (!above)
                return above.error();
            if (above.value())
                return Errno::NotEmpty;
        }
        if (moving_directory) {
            if (!old.value().is_directory())
                return Errno::NotDir;
            Directory contents(volume, old.value(), replaced);
            Result<bool> empty = contents.is_empty();
            if (!empty)
                return empty.error();
            if (!empty.value())
                return Errno::NotEmpty;
        } else if (old.value().is_directory()) {
            return Errno::IsDir;
        }
    }
    if (moving_directory && !same_directory && !replacing && to_dir.raw.links_count >= disk::LinkMax)
        return Errno::MLink;

    uint8_t type = entry_type_of(moved.type());
    Result<void> step = replacing ? to_entries.retarget(destination.value().where, moving, type)
                                  : to_entries.add(to_name, moving, type);
    if (!step)
        return step;
    // Adding to the same directory may have split the record before the source: find it again.
    if (same_directory) {
        source = from_entries.find(from_name);
        if (!source)
            return source.error();
    }
    step = from_entries.remove(source.value().where);
    if (!step)
        return step;
    if (moving_directory && !same_directory) {
        Directory inner(volume, moved, moving);
        Result<FoundEntry> dot_dot = inner.find(Name{"..", 2});
        if (!dot_dot)
            return dot_dot.error() == Errno::NoEnt
                       ? volume.corrupt("directory %u has no \"..\"", raw(moving))
                       : dot_dot.error();
        step = inner.retarget(dot_dot.value().where, to_directory, disk::DirTypeDirectory);
        if (!step)
            return step;
    }
    // Link counts: a moved directory's ".." leaves its old parent for its new one, and a replaced
    // directory's ".." (which pointed at the destination) goes with it.
    if (moving_directory) {
        if (!same_directory) {
            if (from_dir.raw.links_count > 1)
                --from_dir.raw.links_count;
            ++to_dir.raw.links_count;
        }
        if (replacing && to_dir.raw.links_count > 1)
            --to_dir.raw.links_count;
    }
    moved.set_ctime(volume.now());
    step = volume.store_inode(moving, moved);
    if (!step)
        return step;
    step = volume.store_inode(from_directory, from_dir);
    if (!step)
        return step;
    if (!same_directory) {
        step = volume.store_inode(to_directory, to_dir);
        if (!step)
            return step;
    }
    if (replacing)
        return drop_link(replaced);
    return {};
}

} // namespace tessera::ext2

// The calls that change the root volume's names and attributes, and its durability: mkdir,
// rmdir, unlink, rename, link, symlink (and their *at forms), readlink, readlinkat, chmod, fchmod, the
// chown family, utimensat, truncate, fsync, sync, statfs and fchdir. Paths are folded by the server and resolved by the volume.
#include <string.h>

#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace {

int64_t answer(const Result<void>& done) { return done ? 0 : linux::negative(done.error()); }

// One of utimensat's two times as the volume takes it: `now` for UTIME_NOW, not set for
// UTIME_OMIT; EINVAL for nanoseconds out of range.
Result<void> take_time(const linux::Timespec& given, const linux::Timespec& now, bool& set,
                       linux::Timespec& into)
{
    if (given.nanoseconds == linux::utime::Omit)
        return {};
    if (given.nanoseconds != linux::utime::Now && (given.nanoseconds < 0 || given.nanoseconds > 999'999'999))
        return Errno::Inval;
    set = true;
    into = given.nanoseconds == linux::utime::Now ? now : given;
    return {};
}

OpenFile* volume_file(Process& process, int64_t fd)
{
    if (fd < 0 || fd >= Process::MaxFiles)
        return nullptr;
    OpenFile& file = process.files[fd];
    return file.kind == OpenFile::Kind::File || file.kind == OpenFile::Kind::Directory ? &file
                                                                                        : nullptr;
}

// `apply(volume, handle)` on the file at the folded `name`, opened for it and closed after.
template <class Apply> Result<void> on_path(fs::Volume& volume, const char* name, bool follow, Apply&& apply)
{
    auto handle = volume.open(name, linux::open_flag::ReadOnly | (follow ? 0 : linux::open_flag::NoFollow), 0);
    if (!handle)
        return handle.error();
    Result<void> done = apply(volume, handle.value());
    volume.close(handle.value());
    return done;
}

// `apply(volume, handle)` on the file open as `fd`: EBADF for none, nothing kept (success) for
// what is not a volume file.
template <class Apply> int64_t by_fd(Process& process, int64_t fd, Apply&& apply)
{
    if (fd < 0 || fd >= Process::MaxFiles || process.files[fd].kind == OpenFile::Kind::Closed)
        return linux::negative(Errno::BadF);
    OpenFile* file = volume_file(process, fd);
    if (file == nullptr)
        return 0;
    return answer(apply(file->node->volume, file->node->handle));
}

constexpr uint32_t NoId = ~uint32_t(0); // chown's "leave this id as it is"

// chown's rule (Linux's chown_common): a file that is not a directory loses its set-user-ID bit,
// and its set-group-ID bit when group execution is on, whoever asks, even with both ids -1.
Result<void> change_owner(fs::Volume& volume, fs::Handle handle, uint32_t owner, uint32_t group)
{
    fs::AttributeChange change;
    change.set_owner = owner != NoId;
    change.owner = owner;
    change.set_group = group != NoId;
    change.group = group;
    POSIX_TRY(st, volume.stat(handle));
    if ((st.mode & linux::mode::TypeMask) != linux::mode::Directory) {
        const uint32_t mode = st.mode & linux::mode::Permissions;
        uint32_t kept = mode & ~linux::mode::SetUid;
        if (mode & linux::mode::GroupExecute)
            kept &= ~linux::mode::SetGid;
        change.set_mode = kept != mode;
        change.mode = kept;
    }
    return change.any() ? volume.set_attributes(handle, change) : Result<void>{};
}

} // namespace

int64_t Server::name_call(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    const int32_t here = linux::at::FdCwd;
    char first[256], second[256];
    // Resolves the path at `address` against `directory` into `into`, or answers its error.
#define POSIX_PATH(into, directory, address)                                                      \
    if (auto resolved = path_at(process, int32_t(directory), (address), into); !resolved)         \
        return linux::negative(resolved.error());

    switch (call.number) {
    case linux::nr::Mkdir:
    case linux::nr::Mkdirat: {
        const bool at = call.number == linux::nr::Mkdirat;
        POSIX_PATH(first, at ? int32_t(a[0]) : here, a[at ? 1 : 0]);
        return answer(volume_for(first).make_directory(first, uint32_t(a[at ? 2 : 1]) & ~process.umask));
    }
    case linux::nr::Rmdir:
        POSIX_PATH(first, here, a[0]);
        return answer(volume_for(first).remove_directory(first));
    case linux::nr::Unlink:
        POSIX_PATH(first, here, a[0]);
        return answer(volume_for(first).unlink(first));
    case linux::nr::Unlinkat:
        if (a[2] & ~uint64_t(linux::at::RemoveDir))
            return linux::negative(Errno::Inval);
        POSIX_PATH(first, a[0], a[1]);
        return answer((a[2] & linux::at::RemoveDir) ? volume_for(first).remove_directory(first)
                                                    : volume_for(first).unlink(first));
    case linux::nr::Rename:
        POSIX_PATH(first, here, a[0]);
        POSIX_PATH(second, here, a[1]);
        return answer(across(first, second, &fs::Volume::rename));
    case linux::nr::Renameat:
    case linux::nr::Renameat2:
        if (call.number == linux::nr::Renameat2 && a[4] != 0)
            return linux::negative(Errno::Inval); // RENAME_NOREPLACE and the rest: not yet
        POSIX_PATH(first, a[0], a[1]);
        POSIX_PATH(second, a[2], a[3]);
        return answer(across(first, second, &fs::Volume::rename));
    case linux::nr::Link:
        POSIX_PATH(first, here, a[0]);
        POSIX_PATH(second, here, a[1]);
        return answer(across(first, second, &fs::Volume::link));
    case linux::nr::Linkat:
        if (a[4] & ~uint64_t(linux::at::SymlinkFollow))
            return linux::negative(Errno::Inval);
        POSIX_PATH(first, a[0], a[1]);
        POSIX_PATH(second, a[2], a[3]);
        return answer(across(first, second, &fs::Volume::link));
    case linux::nr::Symlink:
    case linux::nr::Symlinkat: {
        // The target is kept as given: it is resolved when the link is followed.
        char target[256];
        auto got = process.space->read_string(a[0], target, sizeof target);
        if (!got)
            return linux_return(got);
        const bool at = call.number == linux::nr::Symlinkat;
        POSIX_PATH(second, at ? int32_t(a[1]) : here, a[at ? 2 : 1]);
        return answer(volume_for(second).symlink(target, second));
    }
    case linux::nr::Readlink:
    case linux::nr::Readlinkat: {
        const bool at = call.number == linux::nr::Readlinkat;
        POSIX_PATH(first, at ? int32_t(a[0]) : here, a[at ? 1 : 0]);
        const uint64_t buffer = a[at ? 2 : 1], capacity = a[at ? 3 : 2];
        char target[256];
        Route to;
        if (auto routed = route(process, first, false, to); !routed)
            return linux::negative(routed.error());
        auto read = to.volume->read_link(to.name, target, sizeof target);
        if (!read)
            return linux::negative(read.error());
        const size_t length = read.value() < sizeof target ? read.value() : sizeof target;
        const size_t n = length < capacity ? length : size_t(capacity);
        if (auto written = process.space->write(buffer, target, n); !written)
            return linux_return(written);
        return int64_t(n);
    }
    // These follow a final symbolic link, which may lead to another volume (out of /tmp).
    case linux::nr::Chmod:
        POSIX_PATH(first, here, a[0]);
        leave_volumes(first, true);
        return answer(volume_for(first).change_mode(first, uint32_t(a[1])));
    case linux::nr::Fchmodat:
        POSIX_PATH(first, a[0], a[1]);
        leave_volumes(first, true);
        return answer(volume_for(first).change_mode(first, uint32_t(a[2])));
    case linux::nr::Truncate: {
        POSIX_PATH(first, here, a[0]);
        leave_volumes(first, true);
        fs::Volume& volume = volume_for(first);
        auto handle = volume.open(first, linux::open_flag::WriteOnly, 0);
        if (!handle)
            return linux::negative(handle.error());
        auto done = volume.truncate(handle.value(), a[1]);
        volume.close(handle.value());
        return answer(done);
    }
    case linux::nr::Ftruncate: {
        OpenFile* file = volume_file(process, int64_t(a[0]));
        if (file == nullptr || file->kind != OpenFile::Kind::File ||
            (file->flags & linux::open_flag::AccessMode) == linux::open_flag::ReadOnly)
            return linux::negative(file && file->kind == OpenFile::Kind::Directory ? Errno::IsDir
                                                                                    : Errno::Inval);
        if (int64_t(a[1]) < 0)
            return linux::negative(Errno::Inval);
        return answer(file->node->volume.truncate(file->node->handle, a[1]));
    }
    case linux::nr::Fsync:
    case linux::nr::Fdatasync:
    case linux::nr::Syncfs:
        if (a[0] >= uint64_t(Process::MaxFiles) ||
            process.files[a[0]].kind == OpenFile::Kind::Closed)
            return linux::negative(Errno::BadF);
        if (volume_file(process, int64_t(a[0])) == nullptr)
            return call.number == linux::nr::Syncfs ? 0 : linux::negative(Errno::Inval);
        return answer(volume_file(process, int64_t(a[0]))->node->volume.sync());
    case linux::nr::Sync:
        for (size_t i = 0; i < mounts_.count(); ++i)
            (void)mounts_.at(i)->volume->sync(); // sync(2) cannot fail
        return 0;
    case linux::nr::Statfs:
    case linux::nr::Fstatfs: {
        fs::Volume* volume = nullptr;
        if (call.number == linux::nr::Statfs) {
            POSIX_PATH(first, here, a[0]);
            Route to;
            if (auto routed = route(process, first, true, to); !routed)
                return linux::negative(routed.error());
            if (to.volume == nullptr)
                return linux::negative(Errno::NoSys); // a descriptor's pipe or device
            auto st = to.volume->stat(to.name, true);
            if (!st)
                return linux::negative(st.error());
            volume = to.volume;
        } else if (OpenFile* file = volume_file(process, int64_t(a[0]))) {
            volume = &file->node->volume;
        } else {
            return linux::negative(Errno::BadF);
        }
        auto st = volume->statfs();
        if (!st)
            return linux::negative(st.error());
        return linux_return(process.space->write(a[1], &st.value(), sizeof st.value()));
    }
    case linux::nr::Fchdir: {
        if (a[0] >= uint64_t(Process::MaxFiles) ||
            process.files[a[0]].kind == OpenFile::Kind::Closed)
            return linux::negative(Errno::BadF);
        const OpenFile& file = process.files[a[0]];
        if (file.kind != OpenFile::Kind::Directory)
            return linux::negative(Errno::NotDir);
        memcpy(process.cwd, file.directory->path, sizeof process.cwd);
        return 0;
    }
    case linux::nr::Utimensat:
    case linux::nr::Utimes:
        return set_times(process, call);
    case linux::nr::Fchmod:
    case linux::nr::Chown:
    case linux::nr::Fchown:
    case linux::nr::Lchown:
    case linux::nr::Fchownat:
        return attribute_call(process, call);
    case linux::nr::Creat:
        return open_at(process, here, a[0],
                       linux::open_flag::WriteOnly | linux::open_flag::Create |
                           linux::open_flag::Truncate,
                       uint32_t(a[1]));
    default:
        return linux::negative(Errno::NoSys);
    }
#undef POSIX_PATH
}

// utimensat(dirfd, path, times, flags) and utimes(path, times): a null `times` is now for both;
// utimensat with a null path sets the times of the file open as dirfd (futimens).
int64_t Server::set_times(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    const bool at = call.number == linux::nr::Utimensat;
    const uint64_t path = at ? a[1] : a[0], given = at ? a[2] : a[1];
    const uint32_t flags = at ? uint32_t(a[3]) : 0;
    if ((flags & ~linux::at::SymlinkNoFollow) != 0)
        return linux::negative(Errno::Inval);
    const uint64_t nanoseconds = clock_ ? clock_->realtime_nanoseconds() : 0;
    const linux::Timespec now = {int64_t(nanoseconds / 1'000'000'000), int64_t(nanoseconds % 1'000'000'000)};
    linux::Timespec times[2] = {{0, linux::utime::Now}, {0, linux::utime::Now}};
    if (given != 0 && at) {
        if (auto read = process.space->read(given, times, sizeof times); !read)
            return linux_return(read);
    } else if (given != 0) { // utimes: two timevals, microseconds
        linux::Timeval values[2];
        if (auto read = process.space->read(given, values, sizeof values); !read)
            return linux_return(read);
        for (int i = 0; i < 2; ++i) {
            if (values[i].microseconds < 0 || values[i].microseconds > 999'999)
                return linux::negative(Errno::Inval);
            times[i] = {values[i].seconds, values[i].microseconds * 1000};
        }
    }
    fs::AttributeChange change;
    if (auto taken = take_time(times[0], now, change.set_access, change.access); !taken)
        return linux::negative(taken.error());
    if (auto taken = take_time(times[1], now, change.set_modification, change.modification); !taken)
        return linux::negative(taken.error());

    if (at && path == 0) {
        if (a[0] >= uint64_t(Process::MaxFiles) || process.files[a[0]].kind == OpenFile::Kind::Closed)
            return linux::negative(Errno::BadF);
        OpenFile* file = volume_file(process, int64_t(a[0]));
        if (file == nullptr) // pipes, devices and the console keep no times here
            return 0;
        return answer(change.any() ? file->node->volume.set_attributes(file->node->handle, change)
                                   : Result<void>{});
    }
    char name[256];
    if (auto resolved = path_at(process, at ? int32_t(a[0]) : linux::at::FdCwd, path, name); !resolved)
        return linux::negative(resolved.error());
    const bool follow = (flags & linux::at::SymlinkNoFollow) == 0;
    if (follow) // a final link may lead to another volume
        leave_volumes(name, true);
    // AT_SYMLINK_NOFOLLOW on a symlink: ELOOP (the volume opens no symlink itself).
    return answer(on_path(volume_for(name), name, follow,
                          [&](fs::Volume& volume, fs::Handle handle) {
                              return change.any() ? volume.set_attributes(handle, change) : Result<void>{};
                          }));
}

// fchmod(fd, mode), chown(path, owner, group), fchown(fd, owner, group), lchown(path, owner,
// group), fchownat(dirfd, path, owner, group, flags): the inode's mode, uid and gid on the root
// volume; -1 leaves an id as it is. Pipes, devices and the console take the change and keep
// nothing (Linux keeps it in an inode of their own).
int64_t Server::attribute_call(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    const bool by_descriptor = call.number == linux::nr::Fchmod || call.number == linux::nr::Fchown;
    const bool at = call.number == linux::nr::Fchownat;
    const uint32_t flags = at ? uint32_t(a[4]) : 0;
    if ((flags & ~(linux::at::SymlinkNoFollow | linux::at::EmptyPath)) != 0)
        return linux::negative(Errno::Inval);
    auto apply = [&](fs::Volume& volume, fs::Handle handle) -> Result<void> {
        if (call.number == linux::nr::Fchmod) {
            fs::AttributeChange change;
            change.set_mode = true;
            change.mode = uint32_t(a[1]) & linux::mode::Permissions;
            return volume.set_attributes(handle, change);
        }
        const uint64_t* ids = at ? a + 2 : a + 1;
        return change_owner(volume, handle, uint32_t(ids[0]), uint32_t(ids[1]));
    };
    if (at && (flags & linux::at::EmptyPath) != 0) {
        char given[256];
        if (auto read = process.space->read_string(a[1], given, sizeof given); !read)
            return linux_return(read);
        if (given[0] == '\0') // the file open as dirfd itself
            return int32_t(a[0]) == linux::at::FdCwd ? answer(on_path(volume_for(process.cwd), process.cwd, true, apply))
                                                     : by_fd(process, int64_t(a[0]), apply);
    }
    char name[256];
    if (by_descriptor)
        return by_fd(process, int64_t(a[0]), apply);
    if (auto resolved = path_at(process, at ? int32_t(a[0]) : linux::at::FdCwd, at ? a[1] : a[0], name); !resolved)
        return linux::negative(resolved.error());
    const bool follow = call.number == linux::nr::Chown ||
                        (at && (flags & linux::at::SymlinkNoFollow) == 0);
    if (follow) // a final link may lead to another volume
        leave_volumes(name, true);
    fs::Volume& volume = volume_for(name);
    if (follow)
        return answer(on_path(volume, name, true, apply));
    // lchown: the volume opens no symlink, so a link keeps its owner; asking for the owner it
    // has already (tar and cp -a as root do) succeeds, another is EOPNOTSUPP.
    auto st = volume.stat(name, false);
    if (!st)
        return linux::negative(st.error());
    if ((st.value().mode & linux::mode::TypeMask) != linux::mode::Symlink)
        return answer(on_path(volume, name, true, apply));
    const uint64_t* ids = at ? a + 2 : a + 1;
    const bool same = (uint32_t(ids[0]) == NoId || uint32_t(ids[0]) == st.value().uid) &&
                      (uint32_t(ids[1]) == NoId || uint32_t(ids[1]) == st.value().gid);
    return same ? 0 : linux::negative(Errno::OpNotSupp);
}

} // namespace tessera::posix::server

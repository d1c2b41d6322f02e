// brk, mmap, munmap, mprotect, mremap and madvise: the AddressSpace decides, the reply says how.
#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "server/server.h"

#include <new>

namespace tessera::posix::server {

namespace {

using namespace linux::mman;

} // namespace

int64_t Server::map_call(Process& process, const LinuxCall& call)
{
    AddressSpace& space = *process.space;
    const uint64_t hint = call.args[0], length = call.args[1], offset = call.args[5];
    const uint32_t protection = uint32_t(call.args[2]), flags = uint32_t(call.args[3]);
    const uint32_t type = flags & TypeMask;
    const OpenFile* file = nullptr;
    // Linux looks the descriptor up before it reads the flags.
    if ((flags & Anonymous) == 0) {
        const int64_t fd = int64_t(int32_t(call.args[4]));
        if (fd < 0 || fd >= Process::MaxFiles || process.files[fd].kind == OpenFile::Kind::Closed)
            return linux::negative(Errno::BadF);
        file = &process.files[fd];
    }
    if (type != Shared && type != Private && type != SharedValidate)
        return linux::negative(Errno::Inval);
    const auto placement = (flags & FixedNoReplace) ? AddressSpace::Placement::FixedNoReplace
                           : (flags & Fixed)        ? AddressSpace::Placement::Fixed
                                                    : AddressSpace::Placement::Hint;
    const uint32_t rights = protection & (ProtRead | ProtWrite | ProtExec);
    // /dev/zero mapped privately is anonymous memory (the classic idiom).
    if (file != nullptr && file->kind == OpenFile::Kind::Device && file->device == Device::Zero &&
        type == Private)
        file = nullptr;
    if (file == nullptr)
        return linux_return(space.map(hint, length, rights, type != Private, nullptr, 0, placement));
    // Only regular files map; shared file mappings need a page cache the volumes share with
    // read and write, which is still to come.
    if (file->kind != OpenFile::Kind::File || type != Private || !file->node)
        return linux::negative(Errno::NoDev);
    if ((file->flags & linux::open_flag::AccessMode) == linux::open_flag::WriteOnly)
        return linux::negative(Errno::Acces);
    if (!is_page_aligned(offset) || length == 0)
        return linux::negative(Errno::Inval);
    // The mapped part read now: POSIX leaves unspecified whether a private mapping sees later
    // changes to the file. Pages past the file's end are beyond the object (SIGBUS).
    VolumeFile& node = *file->node;
    auto st = node.volume.stat(node.handle);
    if (!st)
        return linux::negative(st.error());
    const uint64_t size = uint64_t(st.value().size), end = offset + page_up(length);
    const uint64_t bytes = offset < size ? (end < size ? end : size) - offset : 0;
    auto object = file_copy(node.volume, node.handle, offset, bytes);
    if (!object)
        return linux::negative(object.error());
    return linux_return(space.map(hint, length, rights, false, object.value(), 0, placement));
}

int64_t Server::memory_call(Process& process, const LinuxCall& call)
{
    AddressSpace& space = *process.space;
    const uint64_t* a = call.args;
    switch (call.number) {
    case linux::nr::Brk:
        return int64_t(space.set_break(a[0]));
    case linux::nr::Mmap:
        return map_call(process, call);
    case linux::nr::Munmap:
        return linux_return(space.unmap(a[0], a[1]));
    case linux::nr::Mprotect:
        return linux_return(space.protect(a[0], a[1], uint32_t(a[2])));
    case linux::nr::Mremap:
        return linux_return(space.remap(a[0], a[1], a[2], uint32_t(a[3]), a[4]));
    case linux::nr::Madvise:
        if (int32_t(a[2]) == AdviseDontNeed)
            return linux_return(space.discard(a[0], a[1]));
        return 0; // advice the server may ignore
    default:
        return linux::negative(Errno::NoSys);
    }
}

} // namespace tessera::posix::server

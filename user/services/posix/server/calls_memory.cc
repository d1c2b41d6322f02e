// brk, mmap, munmap, mprotect, mremap and madvise: the AddressSpace decides, the reply says how.
#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace {

using namespace linux::mman;

int64_t map_call(Process& process, const LinuxCall& call)
{
    AddressSpace& space = *process.space;
    const uint64_t hint = call.args[0], length = call.args[1];
    const uint32_t protection = uint32_t(call.args[2]), flags = uint32_t(call.args[3]);
    const uint32_t type = flags & TypeMask;
    // Linux looks the descriptor up before it reads the flags.
    if ((flags & Anonymous) == 0) {
        const int64_t fd = int64_t(int32_t(call.args[4]));
        if (fd < 0 || fd >= Process::MaxFiles || process.files[fd].kind == OpenFile::Kind::Closed)
            return linux::negative(Errno::BadF);
    }
    if (type != Shared && type != Private && type != SharedValidate)
        return linux::negative(Errno::Inval);
    // File mappings need the VFS's page cache: a device that cannot be mapped until then.
    if ((flags & Anonymous) == 0)
        return linux::negative(Errno::NoDev);
    const auto placement = (flags & FixedNoReplace) ? AddressSpace::Placement::FixedNoReplace
                           : (flags & Fixed)        ? AddressSpace::Placement::Fixed
                                                    : AddressSpace::Placement::Hint;
    return linux_return(space.map(hint, length, protection & (ProtRead | ProtWrite | ProtExec),
                                  type != Private, nullptr, 0, placement));
}

} // namespace

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

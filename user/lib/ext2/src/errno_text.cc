// errno codes by name and in words (strerror's: the host's in host builds, the component C
// library's, which has glibc's words, in components).
#include <string.h>

#include <tessera/ext2/errno.h>

namespace tessera::ext2 {

namespace {
struct ErrnoInfo {
    Errno code;
    const char* name;
};

constexpr ErrnoInfo Table[] = {
    {Errno::Ok, "OK"},
    {Errno::Perm, "EPERM"},
    {Errno::NoEnt, "ENOENT"},
    {Errno::Io, "EIO"},
    {Errno::BadF, "EBADF"},
    {Errno::Again, "EAGAIN"},
    {Errno::NoMem, "ENOMEM"},
    {Errno::Access, "EACCES"},
    {Errno::Fault, "EFAULT"},
    {Errno::Busy, "EBUSY"},
    {Errno::Exist, "EEXIST"},
    {Errno::XDev, "EXDEV"},
    {Errno::NotDir, "ENOTDIR"},
    {Errno::IsDir, "EISDIR"},
    {Errno::Inval, "EINVAL"},
    {Errno::NFile, "ENFILE"},
    {Errno::MFile, "EMFILE"},
    {Errno::FBig, "EFBIG"},
    {Errno::NoSpc, "ENOSPC"},
    {Errno::RoFs, "EROFS"},
    {Errno::MLink, "EMLINK"},
    {Errno::Range, "ERANGE"},
    {Errno::NameTooLong, "ENAMETOOLONG"},
    {Errno::NoSys, "ENOSYS"},
    {Errno::NotEmpty, "ENOTEMPTY"},
    {Errno::Loop, "ELOOP"},
    {Errno::Overflow, "EOVERFLOW"},
    {Errno::NotSup, "EOPNOTSUPP"},
    {Errno::Stale, "ESTALE"},
};

const ErrnoInfo* find(Errno code)
{
    for (const ErrnoInfo& info : Table)
        if (info.code == code)
            return &info;
    return nullptr;
}
} // namespace

const char* errno_text(Errno code) { return strerror(static_cast<int>(code)); }

const char* errno_name(Errno code)
{
    const ErrnoInfo* info = find(code);
    return info != nullptr ? info->name : "E?";
}

} // namespace tessera::ext2

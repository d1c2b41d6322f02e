// errno codes in words: glibc's strerror text, which the shell prints in its error lines.
#include <tessera/ext2/errno.h>

namespace tessera::ext2 {

namespace {
struct ErrnoInfo {
    Errno code;
    const char* name;
    const char* text;
};

constexpr ErrnoInfo Table[] = {
    {Errno::Ok, "OK", "Success"},
    {Errno::Perm, "EPERM", "Operation not permitted"},
    {Errno::NoEnt, "ENOENT", "No such file or directory"},
    {Errno::Io, "EIO", "Input/output error"},
    {Errno::BadF, "EBADF", "Bad file descriptor"},
    {Errno::Again, "EAGAIN", "Resource temporarily unavailable"},
    {Errno::NoMem, "ENOMEM", "Cannot allocate memory"},
    {Errno::Access, "EACCES", "Permission denied"},
    {Errno::Fault, "EFAULT", "Bad address"},
    {Errno::Busy, "EBUSY", "Device or resource busy"},
    {Errno::Exist, "EEXIST", "File exists"},
    {Errno::XDev, "EXDEV", "Invalid cross-device link"},
    {Errno::NotDir, "ENOTDIR", "Not a directory"},
    {Errno::IsDir, "EISDIR", "Is a directory"},
    {Errno::Inval, "EINVAL", "Invalid argument"},
    {Errno::NFile, "ENFILE", "Too many open files in system"},
    {Errno::MFile, "EMFILE", "Too many open files"},
    {Errno::FBig, "EFBIG", "File too large"},
    {Errno::NoSpc, "ENOSPC", "No space left on device"},
    {Errno::RoFs, "EROFS", "Read-only file system"},
    {Errno::MLink, "EMLINK", "Too many links"},
    {Errno::Range, "ERANGE", "Numerical result out of range"},
    {Errno::NameTooLong, "ENAMETOOLONG", "File name too long"},
    {Errno::NoSys, "ENOSYS", "Function not implemented"},
    {Errno::NotEmpty, "ENOTEMPTY", "Directory not empty"},
    {Errno::Loop, "ELOOP", "Too many levels of symbolic links"},
    {Errno::Overflow, "EOVERFLOW", "Value too large for defined data type"},
    {Errno::NotSup, "EOPNOTSUPP", "Operation not supported"},
    {Errno::Stale, "ESTALE", "Stale file handle"},
};

const ErrnoInfo* find(Errno code)
{
    for (const ErrnoInfo& info : Table)
        if (info.code == code)
            return &info;
    return nullptr;
}
} // namespace

const char* errno_text(Errno code)
{
    const ErrnoInfo* info = find(code);
    return info != nullptr ? info->text : "Unknown error";
}

const char* errno_name(Errno code)
{
    const ErrnoInfo* info = find(code);
    return info != nullptr ? info->name : "E?";
}

} // namespace tessera::ext2

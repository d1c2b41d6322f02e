// Errors of the file-system layers as values: POSIX errno codes with Linux's numbers, because
// they travel unchanged to C clients (fs_client) and to the POSIX personality.
#pragma once

#include <stdint.h>

#include <tessera/base/result.h>

namespace tessera::ext2 {

// Linux's numbering (asm-generic/errno-base.h, errno.h): the POSIX personality passes these on.
enum class Errno : int32_t {
    Ok = 0,
    Perm = 1,
    NoEnt = 2,
    Io = 5,
    BadF = 9,
    Again = 11,
    NoMem = 12,
    Access = 13,
    Fault = 14,
    Busy = 16,
    Exist = 17,
    XDev = 18,
    NotDir = 20,
    IsDir = 21,
    Inval = 22,
    NFile = 23,
    MFile = 24,
    FBig = 27,
    NoSpc = 28,
    RoFs = 30,
    MLink = 31,
    Range = 34,
    NameTooLong = 36,
    NoSys = 38,
    NotEmpty = 39,
    Loop = 40,
    Overflow = 75,
    NotSup = 95,
    Stale = 116,
};

// strerror's words for the code.
const char* errno_text(Errno code);
// The symbolic name ("ENOENT"), for logs and tests.
const char* errno_name(Errno code);

// A value or an Errno, never both: common/base's Result with the file system's error. `Errno::Ok`
// is never an error value; a success is read with operator bool, not by comparing error().
template <class T> using Result = base::Result<T, Errno>;

} // namespace tessera::ext2

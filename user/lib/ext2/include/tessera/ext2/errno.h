// Errors of the file-system layers as values: POSIX errno codes with Linux's numbers, because
// they travel unchanged to C clients (fs_client) and to the POSIX personality.
#pragma once

#include <stdint.h>

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

// A value or an Errno; never both. T must be default-constructible (the value of an error);
// move-only values (a pinned cache block) move in and out.
template <class T> class [[nodiscard]] Result {
public:
    Result(T value) : value_(static_cast<T&&>(value)), error_(Errno::Ok) {}
    Result(Errno error) : error_(error) {}
    explicit operator bool() const { return error_ == Errno::Ok; }
    T& value() { return value_; }
    const T& value() const { return value_; }
    Errno error() const { return error_; }

private:
    T value_{};
    Errno error_;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Errno error) : error_(error) {}
    explicit operator bool() const { return error_ == Errno::Ok; }
    Errno error() const { return error_; }

private:
    Errno error_ = Errno::Ok;
};

} // namespace tessera::ext2

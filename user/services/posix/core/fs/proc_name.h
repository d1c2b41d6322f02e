// What a folded absolute name under /proc stands for (the part of Linux's procfs the server
// serves: /proc, /proc/<pid>, its exe link, its fd directory and links, /proc/self, a link
// to the caller's pid directory, and the files /proc/mounts and /proc/meminfo).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::posix::fs {

struct ProcName {
    enum class Kind : uint8_t {
        NotProc,     // outside /proc: the root volume's
        Root,        // /proc
        SelfLink,    // /proc/self itself (a link to "<pid>")
        Process,     // /proc/<pid>
        Exe,         // /proc/<pid>/exe
        FdDirectory, // /proc/<pid>/fd
        Fd,          // /proc/<pid>/fd/<n>
        Mounts,      // /proc/mounts (the mount table's lines)
        Meminfo,     // /proc/meminfo (the server's memory)
        Missing,     // anything else under /proc: ENOENT
    };
    Kind kind = Kind::NotProc;
    int32_t pid = 0; // the process it names (the caller's through "self")
    int32_t fd = -1; // Fd's descriptor number
    // The rest of the name after a link or file the walk went through (/proc/<pid>/exe/x,
    // /proc/<pid>/fd/<n>/x, /proc/mounts/x): the caller gets ENOTDIR, as Linux answers below a
    // non-directory.
    bool below_link = false;
};

// `name` is folded ("/proc/self/fd/3": no "." or "..", no repeated slashes). `caller` is the
// asking process's pid, which "self" stands for. A /proc/self that is not the whole name is
// walked through (the pid's directory).
ProcName parse_proc_name(const char* name, int32_t caller);

// The decimal form of `value` (>= 0) into `out`: its length, 0 when it does not fit with the NUL.
size_t format_decimal(int64_t value, char* out, size_t capacity);

} // namespace tessera::posix::fs

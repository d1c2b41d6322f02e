// /proc/meminfo's text from the server's memory: the frames its pool may hand out (MemTotal),
// those still free (MemFree, MemAvailable) and those the memory file systems hold (Shmem, and
// Cached, where Linux counts tmpfs pages). No swap, no buffers. Linux's layout: the name padded
// to 16 columns, the value in kB right-aligned in 8, " kB".
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::posix::fs {

struct MemoryFigures {
    uint64_t total_pages = 0;
    uint64_t free_pages = 0;
    uint64_t shared_pages = 0; // held by memory file systems (counted in total - free)
};

// The text's length; at most `capacity` bytes written.
size_t format_meminfo(const MemoryFigures& figures, char* buffer, size_t capacity);

} // namespace tessera::posix::fs

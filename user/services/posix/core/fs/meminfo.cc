#include "core/fs/meminfo.h"

#include <stdio.h>
#include <string.h>

namespace tessera::posix::fs {

size_t format_meminfo(const MemoryFigures& figures, char* buffer, size_t capacity)
{
    constexpr uint64_t KbPerPage = 4;
    const struct {
        const char* name;
        uint64_t pages;
    } lines[] = {
        {"MemTotal:", figures.total_pages},
        {"MemFree:", figures.free_pages},
        {"MemAvailable:", figures.free_pages}, // tmpfs pages cannot be reclaimed
        {"Buffers:", 0},
        {"Cached:", figures.shared_pages},
        {"SwapCached:", 0},
        {"SwapTotal:", 0},
        {"SwapFree:", 0},
        {"Shmem:", figures.shared_pages},
        {"SReclaimable:", 0},
    };
    size_t used = 0;
    for (const auto& line : lines) {
        char text[64];
        const int n = snprintf(text, sizeof text, "%-16s%8llu kB\n", line.name,
                               static_cast<unsigned long long>(line.pages * KbPerPage));
        size_t length = n > 0 ? size_t(n) : 0;
        if (length > capacity - used)
            length = capacity - used;
        memcpy(buffer + used, text, length);
        used += length;
    }
    return used;
}

} // namespace tessera::posix::fs

// Reading a program file whole: open read-only, its size from fstat, reads until it is all in.
#include "component/file_programs.h"

#include <errno.h>

namespace tessera::manager {

using libos::make_error;

bool FileSystemPrograms::connect(unsigned channel, void* window, size_t window_bytes)
{
    return tessera_fs_init_microkit(&fs_, channel, window, window_bytes) == 0;
}

libos::Result<size_t> FileSystemPrograms::read(const char* path, uint8_t* into, size_t capacity)
{
    const int fd = tessera_fs_open(&fs_, path, TESSERA_FS_O_RDONLY, 0);
    if (fd < 0)
        return make_error(seL4_FailedLookup, errno == ENOENT ? "its program file does not exist"
                                                             : "its program file cannot be opened");
    struct tessera_fs_stat stat = {};
    const bool sized = tessera_fs_fstat(&fs_, fd, &stat) == 0;
    libos::Result<size_t> outcome = size_t{0};
    if (!sized)
        outcome = make_error(seL4_FailedLookup, "its program file cannot be read");
    else if (stat.size > capacity)
        outcome = make_error(seL4_RangeError, "its program file is larger than the manager reads",
                             capacity);
    size_t done = 0;
    while (outcome && done < stat.size) {
        const long got = tessera_fs_read(&fs_, fd, into + done, stat.size - done);
        if (got <= 0)
            outcome = make_error(seL4_FailedLookup, "its program file cannot be read");
        else
            done += static_cast<size_t>(got);
    }
    (void)tessera_fs_close(&fs_, fd);
    if (!outcome)
        return outcome;
    return done;
}

} // namespace tessera::manager

// The list of Linux baseline benchmarks: names and descriptions as they appear in the results.
#include "benchmark.h"

#include <array>

namespace tessera::bench::baseline {

std::span<const Benchmark> all_benchmarks()
{
    static constexpr std::array<Benchmark, 6> list{{
        {"null_syscall", "syscall(SYS_getppid): one kernel entry and exit", run_null_syscall},
        {"pipe_roundtrip",
         "1 byte to another process through a pipe and 1 byte back through a second pipe",
         run_pipe_roundtrip},
        {"futex_roundtrip",
         "FUTEX_WAKE of a thread in the same process and FUTEX_WAIT until it wakes us back",
         run_futex_roundtrip},
        {"unix_socket_roundtrip",
         "1 byte to another process over an AF_UNIX stream socketpair and 1 byte back",
         run_unix_socket_roundtrip},
        {"eventfd_roundtrip",
         "eventfd write that wakes another process blocked in read, and the same back",
         run_eventfd_roundtrip},
        {"mmap_munmap_4k", "mmap of 4 KiB anonymous memory, one write to it, munmap",
         run_mmap_munmap_4k},
    }};
    return list;
}

} // namespace tessera::bench::baseline

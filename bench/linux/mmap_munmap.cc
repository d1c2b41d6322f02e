// Linux's nearest equivalent of mapping and unmapping a 4 KiB frame: an anonymous mmap, one write
// (so the kernel really allocates and maps a page, as Tessera's map does), then munmap.
#include "benchmark.h"
#include "tsc.h"

#include <sys/mman.h>

namespace tessera::bench::baseline {

Result<Samples> run_mmap_munmap_4k(const RunPlan& plan)
{
    constexpr size_t PageSize = 4096;
    Samples samples;
    samples.reserve(plan.measured);
    for (size_t iteration = 0; iteration < plan.total(); ++iteration) {
        const TscReading begin = tsc_begin();
        void* page =
            mmap(nullptr, PageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED)
            return last_system_error("mmap");
        *static_cast<volatile char*>(page) = 1; // the fault that allocates and maps the page
        const int unmapped = munmap(page, PageSize);
        const TscReading end = tsc_end();
        if (unmapped != 0)
            return last_system_error("munmap");
        if (plan.is_measured(iteration))
            samples.push_back(ticks_between(begin, end));
    }
    return samples;
}

} // namespace tessera::bench::baseline

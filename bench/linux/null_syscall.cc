// Linux's null system call: getppid through syscall(), so no C library caching can skip the kernel.
#include "benchmark.h"
#include "tsc.h"

#include <sys/syscall.h>
#include <unistd.h>

namespace tessera::bench::baseline {

Result<Samples> run_null_syscall(const RunPlan& plan)
{
    Samples samples;
    samples.reserve(plan.measured);
    for (size_t iteration = 0; iteration < plan.total(); ++iteration) {
        const TscReading begin = tsc_begin();
        const long parent = syscall(SYS_getppid);
        const TscReading end = tsc_end();
        if (parent < 0)
            return last_system_error("getppid");
        if (plan.is_measured(iteration))
            samples.push_back(ticks_between(begin, end));
    }
    return samples;
}

} // namespace tessera::bench::baseline

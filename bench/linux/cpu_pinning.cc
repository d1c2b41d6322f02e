// CPU pinning of the Linux baseline (see cpu_pinning.h).
#include "cpu_pinning.h"

#include <sched.h>

namespace tessera::bench::baseline {

Result<CpuIndex> pin_to_one_cpu(std::optional<CpuIndex> requested)
{
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
        return last_system_error("sched_getaffinity");

    // Without a request, take the first CPU of the current mask rather than CPU 0, which a
    // container or a `taskset` wrapper may not grant.
    int chosen = -1;
    if (requested) {
        chosen = static_cast<int>(*requested);
    } else {
        for (int cpu = 0; cpu < CPU_SETSIZE && chosen < 0; ++cpu) {
            if (CPU_ISSET(cpu, &allowed))
                chosen = cpu;
        }
    }
    if (chosen < 0 || chosen >= CPU_SETSIZE)
        return SystemError{"no CPU to pin to", 0};

    cpu_set_t only;
    CPU_ZERO(&only);
    CPU_SET(chosen, &only);
    if (sched_setaffinity(0, sizeof only, &only) != 0)
        return last_system_error("sched_setaffinity to CPU " + std::to_string(chosen));
    return CpuIndex{chosen};
}

} // namespace tessera::bench::baseline

// eventfd ping-pong between two processes: Linux's lightest cross-process signal, the closest
// thing it has to a notification, used in both directions to make a round trip.
#include "process_ping_pong.h"

#include <sys/eventfd.h>
#include <unistd.h>

namespace tessera::bench::baseline {

Result<Samples> run_eventfd_roundtrip(const RunPlan& plan)
{
    const int to_child = eventfd(0, EFD_CLOEXEC);
    if (to_child < 0)
        return last_system_error("eventfd");
    const int to_parent = eventfd(0, EFD_CLOEXEC);
    if (to_parent < 0) {
        const SystemError error = last_system_error("eventfd");
        close(to_child);
        return error;
    }
    return run_process_ping_pong({to_child, to_parent, to_parent, to_child}, TokenSize::Counter,
                                 plan);
}

} // namespace tessera::bench::baseline

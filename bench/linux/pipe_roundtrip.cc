// Pipe ping-pong between two processes: the classic Linux IPC round trip (lmbench's lat_pipe).
#include "process_ping_pong.h"

#include <fcntl.h>
#include <unistd.h>

namespace tessera::bench::baseline {

Result<Samples> run_pipe_roundtrip(const RunPlan& plan)
{
    int to_child[2];
    int to_parent[2];
    if (pipe2(to_child, O_CLOEXEC) != 0)
        return last_system_error("pipe");
    if (pipe2(to_parent, O_CLOEXEC) != 0) {
        const SystemError error = last_system_error("pipe");
        close(to_child[0]);
        close(to_child[1]);
        return error;
    }
    return run_process_ping_pong({to_child[1], to_parent[0], to_parent[1], to_child[0]},
                                 TokenSize::Byte, plan);
}

} // namespace tessera::bench::baseline

// UNIX-domain socket ping-pong between two processes over one connected stream socketpair.
#include "process_ping_pong.h"

#include <sys/socket.h>

namespace tessera::bench::baseline {

Result<Samples> run_unix_socket_roundtrip(const RunPlan& plan)
{
    int ends[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
        return last_system_error("socketpair");
    return run_process_ping_pong({ends[0], ends[0], ends[1], ends[1]}, TokenSize::Byte, plan);
}

} // namespace tessera::bench::baseline

// The round trip between two processes that the pipe, UNIX-socket and eventfd benchmarks share:
// the parent sends a token, a forked child echoes it, the parent times until the echo arrives.
#pragma once

#include "benchmark.h"

namespace tessera::bench::baseline {

// The four ends of a two-way channel. An end may appear twice (a socket sends and receives);
// every distinct descriptor is closed exactly once by run_process_ping_pong.
struct PingPongDescriptors {
    int parent_send;
    int parent_receive;
    int child_send;
    int child_receive;
};

// How many bytes make one token: 1 for byte streams, 8 for eventfd's counter.
enum class TokenSize : size_t { Byte = 1, Counter = 8 };

// Forks a child that echoes plan.total() tokens and times each of the parent's round trips.
// Takes ownership of the descriptors. The child inherits the parent's CPU affinity, so both ends
// share one CPU and every round trip includes two context switches, as on the single-CPU kernel.
Result<Samples> run_process_ping_pong(PingPongDescriptors descriptors, TokenSize token_size,
                                      const RunPlan& plan);

} // namespace tessera::bench::baseline

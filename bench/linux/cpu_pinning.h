// Pinning the baseline to one CPU, like Tessera's single-CPU kernel: both ends of every
// ping-pong then share that CPU and each round trip pays for real context switches.
#pragma once

#include "result.h"

#include <optional>

namespace tessera::bench::baseline {

enum class CpuIndex : int {};

// Pins the calling thread (and so every thread and process it creates later) to `requested`, or
// to the first CPU this process may use when nothing is requested. Returns the CPU chosen.
Result<CpuIndex> pin_to_one_cpu(std::optional<CpuIndex> requested);

} // namespace tessera::bench::baseline

// How many samples each driver benchmark takes: the full run for `make bench`
// (bench_size_full.cc) or a short one that only proves it completes (bench_size_smoke.cc).
#pragma once

#include <stdint.h>

namespace tessera::bench::drivers {

struct Sizes {
    uint32_t warmup;            // untimed rounds before each timer benchmark (a tenth for serial)
    uint32_t timer_immediate;   // samples of the round trip with a timeout of 0
    uint32_t timer_20us;        // samples of the round trip with a timeout of 20 us
    uint32_t serial_kib;        // samples of 1 KiB each through the virtualiser
};

extern const Sizes sizes;

// The most samples any benchmark takes: the sample buffer's size.
constexpr uint32_t MaxSamples = 10000;

} // namespace tessera::bench::drivers

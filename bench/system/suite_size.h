// How many iterations each benchmark runs. The build picks one definition: the full suite
// (`make bench`) or the short smoke run (`make test`), which checks completion, never speed.
#pragma once

#include <stdint.h>

namespace tessera::bench {

struct SuiteSize {
    uint64_t warmup;    // unmeasured iterations first: caches, TLB and kernel state settle
    uint64_t measured;  // samples kept; issue 9 asks for at least 10,000
    const char* label;  // names the variant in the suite's first line
};

extern const SuiteSize suite_size;

// The sample buffer's capacity: the full suite's measured count.
inline constexpr uint64_t MaxMeasuredIterations = 10'000;

} // namespace tessera::bench

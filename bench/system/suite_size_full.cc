// The full suite, as `make bench` runs it (issue 9: at least 10,000 iterations after a warm-up).
#include "suite_size.h"

namespace tessera::bench {

const SuiteSize suite_size{1'000, MaxMeasuredIterations, "full"};

} // namespace tessera::bench

// The full run's sample counts (bench_size.h): 10,000 round trips of the immediate timeout as
// docs/benchmarks.md asks; fewer of the others, whose samples each take 20 us of guest time or
// 1 KiB through the UART.
#include "bench_size.h"

namespace tessera::bench::drivers {
const Sizes sizes = {100, 10000, 2000, 512};
}

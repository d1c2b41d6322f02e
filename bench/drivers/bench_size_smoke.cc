// The smoke run's sample counts (bench_size.h): enough to check each benchmark completes.
#include "bench_size.h"

namespace tessera::bench::drivers {
const Sizes sizes = {10, 200, 50, 16};
}

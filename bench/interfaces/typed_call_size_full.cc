// make bench: 1000 warm-up and 10000 measured iterations of each call (docs/benchmarks.md).
#include "typed_call_size.h"

const TypedCallSize typed_call_size{1000, MaxIterations};

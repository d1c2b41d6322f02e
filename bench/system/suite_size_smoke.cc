// The smoke run under `make test`: every benchmark completes and reports sane figures.
#include "suite_size.h"

namespace tessera::bench {

const SuiteSize suite_size{10, 200, "smoke"};

} // namespace tessera::bench

// The TSC frequency the kernel measured at boot, from BootInfo's extra x86 TSC chunk.
#pragma once

#include <sel4/sel4.h>

#include "bench/stats/ticks.h"

namespace tessera::bench {

// The frequency in Hz, or 0 when the kernel gave none (the chunk is optional).
TscHz boot_tsc_frequency(const seL4_BootInfo& boot_info);

} // namespace tessera::bench

// Guest time for the VMM: nanoseconds since the VMM started, from the TSC at the rate the kernel
// measured at boot (seL4's extra boot information, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ, in MHz).
// The guest reads the same TSC directly, so its view and the emulated timers' agree.
#pragma once

#include <sel4/sel4.h>
#include <stdint.h>
#include <tessera/libos/result.h>

namespace tessera::services::vmm {

class GuestClock {
public:
    // seL4_InvalidArgument when the boot information gives no TSC frequency.
    static libos::Result<GuestClock> from_boot_info(const seL4_BootInfo& boot_info);

    uint64_t now_ns() const;
    uint64_t tsc_mhz() const { return mhz_; }

private:
    GuestClock(uint64_t mhz, uint64_t start) : mhz_(mhz), start_(start) {}
    uint64_t mhz_;
    uint64_t start_;
};

} // namespace tessera::services::vmm

// Guest time for the VMM: nanoseconds since the VMM started, from the TSC at the rate the kernel
// measured at boot (seL4's extra boot information, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ, in MHz).
// The guest reads the same TSC directly, so its view and the emulated timers' agree. A root task
// finds the chunk in its BootInfo; a protection domain gets it copied into a region
// (`prefill_bootinfo="x86_tsc_freq"`).
#pragma once

#include <sel4/sel4.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/libos/result.h>

namespace tessera::services::vmm {

class GuestClock {
public:
    // seL4_InvalidArgument when the boot information gives no TSC frequency.
    static libos::Result<GuestClock> from_boot_info(const seL4_BootInfo& boot_info);
    // From the chunk itself, header first (as FILL_BOOTINFO copies it; all zeros when the kernel
    // gave none): seL4_InvalidArgument when it is not a TSC frequency chunk of a non-zero rate.
    static libos::Result<GuestClock> from_tsc_chunk(const void* chunk, size_t bytes);

    uint64_t now_ns() const;
    uint64_t tsc_mhz() const { return mhz_; }

private:
    GuestClock(uint64_t mhz, uint64_t start) : mhz_(mhz), start_(start) {}
    uint64_t mhz_;
    uint64_t start_;
};

} // namespace tessera::services::vmm

#include "guest_clock.h"

#include <tessera/runtime.h>

namespace tessera::services::vmm {

libos::Result<GuestClock> GuestClock::from_boot_info(const seL4_BootInfo& boot_info)
{
    // From one page after the BootInfo frame: extraLen bytes of chunks {id, length with header}.
    const auto* extra = reinterpret_cast<const uint8_t*>(&boot_info) + 4096;
    for (seL4_Word at = 0; at + sizeof(seL4_BootInfoHeader) <= boot_info.extraLen;) {
        const auto* header = reinterpret_cast<const seL4_BootInfoHeader*>(extra + at);
        if (header->len < sizeof *header || header->len > boot_info.extraLen - at)
            break;
        // seL4's chunk holds a 32-bit MHz value.
        if (header->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ &&
            header->len >= sizeof *header + sizeof(uint32_t)) {
            const uint32_t mhz = *reinterpret_cast<const uint32_t*>(header + 1);
            if (mhz != 0)
                return GuestClock{mhz, tessera_tsc_now()};
        }
        at += header->len;
    }
    return libos::make_error(seL4_InvalidArgument, "no TSC frequency in the boot information");
}

uint64_t GuestClock::now_ns() const
{
    const uint64_t ticks = tessera_tsc_now() - start_;
    // Split so that ticks * 1000 cannot overflow for centuries of guest time.
    return ticks / mhz_ * 1000 + ticks % mhz_ * 1000 / mhz_;
}

} // namespace tessera::services::vmm

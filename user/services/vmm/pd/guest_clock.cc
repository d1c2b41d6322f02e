#include "guest_clock.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

// RDTSC itself rather than the root-task runtime's helper: a protection domain links without
// the root task's start-up code.
uint64_t read_tsc()
{
    uint32_t low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return uint64_t{high} << 32 | low;
}

libos::Result<GuestClock> no_rate()
{
    return libos::make_error(seL4_InvalidArgument, "no TSC frequency in the boot information");
}

} // namespace

libos::Result<GuestClock> GuestClock::from_tsc_chunk(const void* chunk, size_t bytes)
{
    seL4_BootInfoHeader header;
    uint32_t mhz = 0;
    if (bytes < sizeof header + sizeof mhz)
        return no_rate();
    memcpy(&header, chunk, sizeof header);
    // seL4's chunk holds a 32-bit MHz value.
    if (header.id != SEL4_BOOTINFO_HEADER_X86_TSC_FREQ || header.len < sizeof header + sizeof mhz)
        return no_rate();
    memcpy(&mhz, static_cast<const uint8_t*>(chunk) + sizeof header, sizeof mhz);
    if (mhz == 0)
        return no_rate();
    return GuestClock{mhz, read_tsc()};
}

libos::Result<GuestClock> GuestClock::from_boot_info(const seL4_BootInfo& boot_info)
{
    // From one page after the BootInfo frame: extraLen bytes of chunks {id, length with header}.
    const auto* extra = reinterpret_cast<const uint8_t*>(&boot_info) + 4096;
    for (seL4_Word at = 0; at + sizeof(seL4_BootInfoHeader) <= boot_info.extraLen;) {
        const auto* header = reinterpret_cast<const seL4_BootInfoHeader*>(extra + at);
        if (header->len < sizeof *header || header->len > boot_info.extraLen - at)
            break;
        if (header->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ)
            return from_tsc_chunk(header, header->len);
        at += header->len;
    }
    return no_rate();
}

uint64_t GuestClock::now_ns() const
{
    const uint64_t ticks = read_tsc() - start_;
    // Split so that ticks * 1000 cannot overflow for centuries of guest time.
    return ticks / mhz_ * 1000 + ticks % mhz_ * 1000 / mhz_;
}

} // namespace tessera::services::vmm

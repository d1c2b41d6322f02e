// Walks the extra BootInfo chunks, which start one page after the BootInfo frame (seL4 Reference
// Manual, "BootInfo"), to the TSC-frequency chunk: 32 bits of MHz after the header.
#include "boot_tsc_frequency.h"

namespace tessera::bench {

TscHz boot_tsc_frequency(const seL4_BootInfo& boot_info)
{
    constexpr seL4_Word PageSize = 1ul << seL4_PageBits;
    const auto* extra = reinterpret_cast<const unsigned char*>(&boot_info) + PageSize;
    seL4_Word offset = 0;
    while (offset + sizeof(seL4_BootInfoHeader) <= boot_info.extraLen) {
        const auto* header = reinterpret_cast<const seL4_BootInfoHeader*>(extra + offset);
        if (header->len < sizeof(seL4_BootInfoHeader) || header->len > boot_info.extraLen - offset)
            break; // a malformed chunk list: give no frequency rather than a wrong one
        if (header->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ &&
            header->len >= sizeof(seL4_BootInfoHeader) + sizeof(uint32_t)) {
            const auto* mhz = reinterpret_cast<const uint32_t*>(header + 1);
            return TscHz{seL4_Word{*mhz} * 1'000'000ul};
        }
        offset += header->len;
    }
    return TscHz{0};
}

} // namespace tessera::bench

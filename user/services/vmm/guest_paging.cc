// Guest page-table walks (guest_paging.h).
#include "guest_paging.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

constexpr uint64_t Cr0Paging = 1ull << 31;
constexpr uint64_t Cr4Pae = 1ull << 5;
constexpr uint64_t Cr4La57 = 1ull << 12;
constexpr uint64_t EferLongModeActive = 1ull << 10;
constexpr uint64_t Present = 1ull << 0;
constexpr uint64_t PageSize = 1ull << 7;
// Bits 12-51 of an entry: the next table's or the page's physical address.
constexpr uint64_t AddressMask = 0x000ffffffffff000ull;
constexpr uint64_t PageBytes = 4096;

libos::Error refuse(const char* why)
{
    return libos::make_error(seL4_InvalidArgument, why);
}

bool is_canonical(uint64_t address)
{
    uint64_t upper = address >> 47;
    return upper == 0 || upper == 0x1ffff;
}

libos::Result<uint64_t> load_entry(GuestRam ram, uint64_t address)
{
    if (address > ram.size || ram.size - address < 8)
        return refuse("guest paging: page table outside guest RAM");
    uint64_t entry = 0;
    memcpy(&entry, ram.data + address, 8); // x86 guest on an x86 host: same byte order
    return entry;
}

} // namespace

libos::Result<uint64_t> translate_guest_virtual(const GuestPagingState& state, GuestRam ram,
                                                uint64_t virtual_address)
{
    if ((state.cr0 & Cr0Paging) == 0)
        return virtual_address;
    if ((state.efer & EferLongModeActive) == 0 || (state.cr4 & Cr4Pae) == 0)
        return refuse("guest paging: only long mode is supported");
    if (state.cr4 & Cr4La57)
        return refuse("guest paging: 5-level paging is not supported");
    if (!is_canonical(virtual_address))
        return refuse("guest paging: non-canonical address");

    uint64_t table = state.cr3 & AddressMask;
    // Levels 4..1: PML4, PDPT, PD, PT; bits 39, 30, 21, 12 index them.
    for (int level = 4; level >= 1; --level) {
        unsigned shift = 12 + 9 * static_cast<unsigned>(level - 1);
        uint64_t index = (virtual_address >> shift) & 511;
        auto entry = load_entry(ram, table + index * 8);
        if (!entry)
            return entry.error();
        uint64_t value = entry.value();
        if ((value & Present) == 0)
            return refuse("guest paging: page not present");
        bool large = (level == 3 || level == 2) && (value & PageSize) != 0;
        if (large || level == 1) {
            uint64_t page_bytes = 1ull << shift;
            uint64_t base = value & AddressMask & ~(page_bytes - 1);
            // Bits 12..shift-1 of a large page's entry (except PAT at 12) must be zero.
            if (large && (value & AddressMask & (page_bytes - 1) & ~(1ull << 12)) != 0)
                return refuse("guest paging: reserved bits set in a large-page entry");
            return base | (virtual_address & (page_bytes - 1));
        }
        table = value & AddressMask;
    }
    return refuse("guest paging: walk did not end"); // not reached: level 1 always returns
}

size_t read_guest_virtual(const GuestPagingState& state, GuestRam ram, uint64_t address,
                          uint8_t* out, size_t length)
{
    size_t copied = 0;
    while (copied < length) {
        uint64_t virtual_address = address + copied;
        auto physical = translate_guest_virtual(state, ram, virtual_address);
        if (!physical || physical.value() >= ram.size)
            break;
        size_t in_page = PageBytes - (virtual_address % PageBytes);
        size_t chunk = length - copied < in_page ? length - copied : in_page;
        if (ram.size - physical.value() < chunk)
            chunk = ram.size - physical.value();
        memcpy(out + copied, ram.data + physical.value(), chunk);
        copied += chunk;
    }
    return copied;
}

} // namespace tessera::services::vmm

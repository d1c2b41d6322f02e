// seL4's x86 VM attributes as page-table bits (seL4 vm_attributes: bit 0 PWT, bit 1 PCD, bit 2
// PAT; Intel SDM vol. 3A, 4.5 and 11.12). The PAT is programmed as seL4 does: entry 4 is
// write-combining, entries 0..3 keep their reset types (WB, WT, UC-, UC), so
// seL4_X86_WriteCombining (PAT=1, PCD=0, PWT=0) selects write-combining.
#pragma once

#include <cstdint>

namespace tessera::x86_64 {

namespace page_attribute {
inline constexpr uint64_t WriteThrough = 1, CacheDisable = 2, Pat = 4; // the user's word
inline constexpr uint64_t EntryWriteThrough = 1u << 3, EntryCacheDisable = 1u << 4;
inline constexpr uint64_t EntryPatSmall = 1u << 7;  // in a 4 KiB page's entry
inline constexpr uint64_t EntryPatLarge = 1u << 12; // in a 2 MiB page's entry
} // namespace page_attribute

enum class EntryKind { SmallPage, LargePage, HugePage, Table };

// The cache bits of an entry of `kind` for the attribute word `attributes`. seL4 takes PCD and
// PWT everywhere, the PAT bit for 4 KiB and 2 MiB pages only (not for 1 GiB pages nor tables),
// and ignores the rest of the word.
constexpr uint64_t entry_cache_bits(uint64_t attributes, EntryKind kind)
{
    using namespace page_attribute;
    uint64_t bits = ((attributes & WriteThrough) ? EntryWriteThrough : 0) |
                    ((attributes & CacheDisable) ? EntryCacheDisable : 0);
    if (attributes & Pat) {
        if (kind == EntryKind::SmallPage)
            bits |= EntryPatSmall;
        else if (kind == EntryKind::LargePage)
            bits |= EntryPatLarge;
    }
    return bits;
}

// The PAT MSR value with entry 4 set to write-combining (type 1), the others as in `current`.
constexpr uint64_t pat_with_write_combining(uint64_t current)
{
    constexpr unsigned Entry4Shift = 32;
    constexpr uint64_t WriteCombining = 1;
    return (current & ~(uint64_t{0xff} << Entry4Shift)) | (WriteCombining << Entry4Shift);
}

// Boot: programs the PAT as above.
void init_page_attribute_table();

} // namespace tessera::x86_64

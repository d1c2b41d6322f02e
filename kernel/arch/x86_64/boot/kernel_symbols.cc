// Reads the table that kernel/tools/symbol_table.py emits into section .kernel_symbols:
// a count, then `count` entries {address, offset of the name in the string pool} sorted by
// address, then the NUL-terminated names. The first link has an empty table (count 0).
#include "arch/x86_64/kernel_symbols.h"

extern "C" const uint64_t kernel_symbol_table[];

namespace tessera::x86_64 {

const char* kernel_symbol_for(uint64_t address, uint64_t& offset)
{
    const uint64_t count = kernel_symbol_table[0];
    const uint64_t* entries = kernel_symbol_table + 1;
    const char* names = reinterpret_cast<const char*>(entries + 2 * count);
    if (count == 0 || address < entries[0])
        return nullptr;
    uint64_t low = 0, high = count; // last entry with entries[i].address <= address
    while (high - low > 1) {
        const uint64_t middle = (low + high) / 2;
        if (entries[2 * middle] <= address)
            low = middle;
        else
            high = middle;
    }
    offset = address - entries[2 * low];
    return names + entries[2 * low + 1];
}

} // namespace tessera::x86_64

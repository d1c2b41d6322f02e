// Attribute numbers: decimal or hexadecimal, with an optional binary size unit.
#include "quantity.h"

namespace tessera::manager_config {

bool parse_count(Text text, uint64_t& value)
{
    if (text.is_empty())
        return false;
    uint64_t base = 10;
    size_t i = 0;
    if (text.length > 2 && text.data[0] == '0' && (text.data[1] == 'x' || text.data[1] == 'X')) {
        base = 16;
        i = 2;
    }
    uint64_t result = 0;
    for (; i < text.length; ++i) {
        const char c = text.data[i];
        uint64_t digit;
        if (c >= '0' && c <= '9')
            digit = static_cast<uint64_t>(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            digit = static_cast<uint64_t>(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            digit = static_cast<uint64_t>(c - 'A' + 10);
        else
            return false;
        if (result > (UINT64_MAX - digit) / base)
            return false;
        result = result * base + digit;
    }
    value = result;
    return true;
}

bool parse_size(Text text, uint64_t& bytes)
{
    if (text.is_empty())
        return false;
    unsigned shift = 0;
    const char last = text.data[text.length - 1];
    const bool hex = text.length > 2 && text.data[0] == '0' && (text.data[1] | 0x20) == 'x';
    if (!hex && (last == 'K' || last == 'M' || last == 'G')) {
        shift = last == 'K' ? 10 : last == 'M' ? 20 : 30;
        text.length -= 1;
    }
    uint64_t count = 0;
    if (!parse_count(text, count))
        return false;
    if (shift != 0 && count > (UINT64_MAX >> shift))
        return false;
    bytes = count << shift;
    return true;
}

} // namespace tessera::manager_config

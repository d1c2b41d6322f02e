// strtol's parser: one pass over the text, saturating instead of overflowing.

#include "tessera/libc/conversion.h"

#include "tessera/libc/character.h"

namespace tessera::libc {
namespace {

int digit_value(char c)
{
    if (is_digit(c))
        return c - '0';
    if (is_lower(c))
        return c - 'a' + 10;
    if (is_upper(c))
        return c - 'A' + 10;
    return 99; // larger than any base
}

} // namespace

ParsedInteger parse_integer(const char* text, int base)
{
    ParsedInteger parsed{0, false, Range::Within, text};
    if (base < 0 || base == 1 || base > 36)
        return parsed;
    const char* cursor = text;
    while (is_space(static_cast<unsigned char>(*cursor)))
        ++cursor;
    if (*cursor == '+' || *cursor == '-') {
        parsed.negative = *cursor == '-';
        ++cursor;
    }
    // A "0x" counts as a prefix only when a hex digit follows; otherwise the 0 alone is parsed.
    if ((base == 0 || base == 16) && cursor[0] == '0' && (cursor[1] == 'x' || cursor[1] == 'X') &&
        digit_value(cursor[2]) < 16) {
        cursor += 2;
        base = 16;
    } else if (base == 0) {
        base = cursor[0] == '0' ? 8 : 10;
    }
    const char* digits_start = cursor;
    for (;; ++cursor) {
        const int digit = digit_value(*cursor);
        if (digit >= base)
            break;
        const auto value = static_cast<uint64_t>(digit);
        const auto radix = static_cast<uint64_t>(base);
        if (parsed.magnitude > (UINT64_MAX - value) / radix) {
            parsed.range = Range::Overflow;
            parsed.magnitude = UINT64_MAX;
        } else if (parsed.range == Range::Within) {
            parsed.magnitude = parsed.magnitude * radix + value;
        }
    }
    if (cursor == digits_start)
        return ParsedInteger{0, false, Range::Within, text};
    parsed.end = cursor;
    return parsed;
}

uint64_t to_unsigned(const ParsedInteger& parsed, Range& range)
{
    range = parsed.range;
    if (parsed.range == Range::Overflow)
        return UINT64_MAX;
    return parsed.negative ? 0 - parsed.magnitude : parsed.magnitude;
}

int64_t to_signed(const ParsedInteger& parsed, Range& range)
{
    range = parsed.range;
    const uint64_t limit = parsed.negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    if (parsed.range == Range::Overflow || parsed.magnitude > limit) {
        range = Range::Overflow;
        return parsed.negative ? INT64_MIN : INT64_MAX;
    }
    return parsed.negative ? static_cast<int64_t>(0 - parsed.magnitude)
                           : static_cast<int64_t>(parsed.magnitude);
}

} // namespace tessera::libc

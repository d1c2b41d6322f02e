// Text to integer conversion behind strtol, strtoul and their long long forms.
#pragma once

#include <stdint.h>

namespace tessera::libc {

enum class Range { Within, Overflow };

struct ParsedInteger {
    uint64_t magnitude; // saturated at UINT64_MAX on overflow
    bool negative;      // a '-' sign was read
    Range range;
    const char* end; // first character not consumed; the input itself when no digits
};

// Parses C's strtoul syntax: leading white space, an optional sign, an optional 0x/0X prefix
// (base 16 or 0) or 0 prefix (base 0 means octal then), and digits of `base` (2 to 36, or 0 for
// automatic). An invalid base consumes nothing.
ParsedInteger parse_integer(const char* text, int base);

// The C functions' results: unsigned wraps a negated value, signed saturates at its limits.
uint64_t to_unsigned(const ParsedInteger& parsed, Range& range);
int64_t to_signed(const ParsedInteger& parsed, Range& range);

} // namespace tessera::libc

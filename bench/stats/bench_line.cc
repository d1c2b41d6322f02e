// Formatting of the BENCH serial lines (format in bench_line.h, meaning in docs/benchmarks.md).
#include "bench_line.h"

namespace tessera::bench {
namespace {

bool is_name_character(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

} // namespace

LineError check_bench_name(const char* name)
{
    if (name == nullptr || name[0] == '\0')
        return LineError::NameEmpty;
    size_t length = 0;
    for (; name[length] != '\0'; ++length) {
        if (length == BenchLine::MaxNameLength)
            return LineError::NameTooLong;
        if (!is_name_character(name[length]))
            return LineError::NameHasInvalidCharacter;
    }
    return LineError::None;
}

// The longest line (63-character name, seven 20-digit numbers and the keys) is under 250
// characters, so appends below never reach Capacity; the bound check only guards the contract.
void BenchLine::append(const char* text)
{
    for (; *text != '\0' && length_ + 1 < Capacity; ++text)
        text_[length_++] = *text;
    text_[length_] = '\0';
}

void BenchLine::append_number(uint64_t value)
{
    char digits[20]; // 2^64 - 1 has 20 decimal digits
    size_t count = 0;
    do {
        digits[count++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (count > 0 && length_ + 1 < Capacity)
        text_[length_++] = digits[--count];
    text_[length_] = '\0';
}

void BenchLine::append_field(const char* key, uint64_t value)
{
    append(" ");
    append(key);
    append("=");
    append_number(value);
}

BenchLine BenchLine::invalid(LineError error)
{
    BenchLine line;
    line.error_ = error;
    return line;
}

BenchLine BenchLine::result(const char* name, const Summary& summary)
{
    const LineError error = check_bench_name(name);
    if (error != LineError::None)
        return invalid(error);
    BenchLine line;
    line.append("BENCH name=");
    line.append(name);
    line.append(" unit=ticks");
    line.append_field("n", summary.count);
    line.append_field("min", raw(summary.min));
    line.append_field("median", raw(summary.median));
    line.append_field("p90", raw(summary.p90));
    line.append_field("p99", raw(summary.p99));
    line.append_field("max", raw(summary.max));
    return line;
}

BenchLine BenchLine::tsc_frequency(TscHz hz)
{
    BenchLine line;
    line.append("BENCH-TSC");
    line.append_field("hz", raw(hz));
    return line;
}

BenchLine BenchLine::end(uint64_t result_count)
{
    BenchLine line;
    line.append("BENCH-END");
    line.append_field("results", result_count);
    return line;
}

} // namespace tessera::bench

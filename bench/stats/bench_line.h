// The text lines an in-system benchmark suite prints on the serial port, which bench/report.py
// parses. Formatting lives here, once, so that the suite and the parser cannot drift apart.
//
//   BENCH name=<name> unit=ticks n=<count> min=<t> median=<t> p90=<t> p99=<t> max=<t>
//   BENCH-TSC hz=<ticks per second>
//   BENCH-END results=<number of BENCH lines printed>
//
// Fields are single spaces apart, numbers are unsigned decimal, names match [a-z0-9_.]{1,63}.
// docs/benchmarks.md is the reference for what each line means.
#pragma once

#include "summary.h"

namespace tessera::bench {

enum class LineError {
    None,
    NameEmpty,
    NameTooLong,
    NameHasInvalidCharacter,
};

// One formatted line, without a line terminator, held by value (no allocation). A line that could
// not be formatted is still a value: is_valid() is false and error() says why.
class [[nodiscard]] BenchLine {
public:
    static constexpr size_t Capacity = 256;
    static constexpr size_t MaxNameLength = 63;

    // A result line for benchmark `name` (NUL-terminated). Rejects names the parser would not
    // accept rather than printing a line that would be silently dropped.
    static BenchLine result(const char* name, const Summary& summary);
    // The TSC frequency the kernel measured at boot; lets the report give nanoseconds under kvm.
    static BenchLine tsc_frequency(TscHz hz);
    // The suite's last line: how many result lines came before it, so a cut-off run is detected.
    static BenchLine end(uint64_t result_count);

    bool is_valid() const { return error_ == LineError::None; }
    LineError error() const { return error_; }
    // NUL-terminated text; empty when the line is not valid.
    const char* text() const { return text_; }
    size_t length() const { return length_; }

private:
    BenchLine() = default;
    void append(const char* text);
    void append_number(uint64_t value);
    void append_field(const char* key, uint64_t value);
    static BenchLine invalid(LineError error);

    char text_[Capacity] = {};
    size_t length_ = 0;
    LineError error_ = LineError::None;
};

// Checks a benchmark name against the line format's rules.
LineError check_bench_name(const char* name);

} // namespace tessera::bench

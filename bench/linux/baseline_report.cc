// JSON form of the Linux baseline's results (see baseline_report.h).
#include "baseline_report.h"

#include <cstdio>
#include <sstream>

namespace tessera::bench::baseline {
namespace {

void write_result(std::ostringstream& out, const BenchmarkOutcome& outcome, TscHz hz)
{
    const Summary& s = outcome.summary;
    out << "    {\"system\": \"linux\", \"name\": " << json_string(outcome.benchmark->name)
        << ", \"iterations\": " << s.count << ", \"min_cycles\": " << raw(s.min)
        << ", \"median_cycles\": " << raw(s.median) << ", \"p90_cycles\": " << raw(s.p90)
        << ", \"p99_cycles\": " << raw(s.p99) << ", \"max_cycles\": " << raw(s.max)
        << ", \"median_ns\": " << nanoseconds_text(to_picoseconds(s.median, hz))
        << ", \"p99_ns\": " << nanoseconds_text(to_picoseconds(s.p99, hz))
        << ", \"description\": " << json_string(outcome.benchmark->description) << "}";
}

void write_failure(std::ostringstream& out, const BenchmarkOutcome& outcome)
{
    out << "    {\"name\": " << json_string(outcome.benchmark->name)
        << ", \"error\": " << json_string(*outcome.failure) << "}";
}

} // namespace

std::string nanoseconds_text(Picoseconds ps)
{
    char text[32];
    std::snprintf(text, sizeof text, "%llu.%03llu", static_cast<unsigned long long>(raw(ps) / 1000),
                  static_cast<unsigned long long>(raw(ps) % 1000));
    return text;
}

std::string json_string(const std::string& text)
{
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            quoted += '\\';
            quoted += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c));
            quoted += escape;
        } else {
            quoted += c;
        }
    }
    return quoted + "\"";
}

std::string to_json(const BaselineReport& report)
{
    std::ostringstream out;
    out << "{\n"
        << "  \"tool\": \"linux_baseline\",\n"
        << "  \"date\": " << json_string(report.date) << ",\n"
        << "  \"cpu\": " << json_string(report.cpu) << ",\n"
        << "  \"kernel\": " << json_string(report.kernel) << ",\n"
        << "  \"pinned_cpu\": " << static_cast<int>(report.pinned_cpu) << ",\n"
        << "  \"tsc_hz\": " << raw(report.tsc.hz) << ",\n"
        << "  \"tsc_hz_source\": " << json_string(report.tsc.source) << ",\n"
        << "  \"timer_overhead_cycles\": " << raw(report.timer_overhead) << ",\n"
        << "  \"warmup\": " << report.plan.warmup << ",\n"
        << "  \"results\": [\n";
    bool first = true;
    for (const BenchmarkOutcome& outcome : report.outcomes) {
        if (outcome.failure)
            continue;
        out << (first ? "" : ",\n");
        write_result(out, outcome, report.tsc.hz);
        first = false;
    }
    out << "\n  ],\n  \"failures\": [\n";
    first = true;
    for (const BenchmarkOutcome& outcome : report.outcomes) {
        if (!outcome.failure)
            continue;
        out << (first ? "" : ",\n");
        write_failure(out, outcome);
        first = false;
    }
    out << "\n  ]\n}\n";
    return out.str();
}

} // namespace tessera::bench::baseline

// Facts about the machine that go into the results: CPU model, Linux release, date of the run.
#pragma once

#include <string>

namespace tessera::bench::baseline {

// The "model name" of /proc/cpuinfo, or "unknown".
std::string cpu_model();

// "Linux <release> <machine>" from uname, or "unknown".
std::string kernel_release();

// The current time in UTC, ISO 8601 to the second ("2026-01-31T12:00:00Z").
std::string utc_timestamp();

} // namespace tessera::bench::baseline

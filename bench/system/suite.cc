// Suite bookkeeping and its serial output (line formats in bench/stats/bench_line.h).
#include "suite.h"

#include <sel4/sel4.h>
#include <stdio.h>

#include "bench/stats/bench_line.h"
#include "profile_window.h"

namespace tessera::bench {

void SampleSet::restart()
{
    iteration_ = 0;
    bench_profile_window_begin();
}

bool SampleSet::add(Ticks ticks)
{
    if (is_full())
        return false;
    if (iteration_ >= suite_size.warmup)
        samples_[iteration_ - suite_size.warmup] = ticks;
    iteration_ = iteration_ + 1;
    return true;
}

uint64_t SampleSet::measured_count() const
{
    return iteration_ > suite_size.warmup ? iteration_ - suite_size.warmup : 0;
}

void Suite::report(const char* name)
{
    bench_profile_window_end();
    const uint64_t count = samples_.measured_count();
    const Summary summary = summarize(samples_.samples(), count);
    const BenchLine line = BenchLine::result(name, summary);
    if (!line.is_valid())
        return fail(name, "the name is not a valid benchmark name");
    printf("%s\n", line.text());
    printed_++;
    if (count != suite_size.measured)
        return fail(name, "fewer samples than iterations");
    if (raw(summary.min) == 0)
        return fail(name, "a sample took no time at all");
    printf("bench.%s: pass\n", name);
    passed_++;
}

void Suite::fail(const char* name, const char* reason)
{
    printf("bench.%s: FAIL (%s)\n", name, reason);
    failed_++;
}

void Suite::skip(const char* name, const char* reason)
{
    printf("bench.%s: skipped: %s\n", name, reason);
}

void Suite::refused(const char* name, const char* what, int error)
{
    char reason[128];
    if (error == seL4_IllegalOperation) {
        snprintf(reason, sizeof(reason), "this kernel does not implement %s yet", what);
        return skip(name, reason);
    }
    snprintf(reason, sizeof(reason), "%s failed with seL4 error %d", what, error);
    fail(name, reason);
}

int Suite::finish()
{
    printf("%s\n", BenchLine::end(printed_).text());
    printf("bench: %u passed, %u failed\n", passed_, failed_);
    return failed_ == 0 ? 0 : 1;
}

} // namespace tessera::bench

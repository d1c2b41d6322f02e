// The benchmark suite's bookkeeping: collects one benchmark's samples after its warm-up, reduces
// them with the shared statistics (bench/stats), prints the BENCH line, and keeps the pass/fail
// count that the smoke test is judged by. One benchmark runs at a time.
#pragma once

#include <stdint.h>

#include "bench/stats/summary.h"
#include "suite_size.h"
#include "timestamp.h"

namespace tessera::bench {

// The samples of the benchmark that is running. Written by whichever thread takes the end
// timestamp, which for one-way benchmarks is a thread in another address space sharing this
// memory; only one thread adds at a time because the benchmarks alternate strictly.
class SampleSet {
public:
    // Empties the set for the next benchmark, whose iterations begin here (profile_window.h).
    void restart();
    // Keeps `ticks` once the warm-up is over; returns false once the set is full.
    bool add(Ticks ticks);
    bool is_full() const { return iteration_ >= suite_size.warmup + suite_size.measured; }
    uint64_t measured_count() const;
    Ticks* samples() { return samples_; }

private:
    volatile uint64_t iteration_ = 0;
    Ticks samples_[MaxMeasuredIterations] = {};
};

// What one iteration returns: its duration, or that the kernel refused an operation.
struct Sample {
    bool ok;
    Ticks ticks;
};

class Suite {
public:
    SampleSet& samples() { return samples_; }

    // Runs `once` for the warm-up and the measured iterations and reports the result; stops at
    // the first iteration that fails. `once` is called as `Sample once()`.
    template <class Once> void measure(const char* name, Once&& once)
    {
        samples_.restart();
        while (!samples_.is_full()) {
            const Sample sample = once();
            if (!sample.ok)
                return fail(name, "an iteration failed");
            samples_.add(sample.ticks);
        }
        report(name);
    }

    // Summarises the sample set and prints its BENCH line; checks that the figures are sane
    // (every iteration measured, no zero duration), never how fast they are.
    void report(const char* name);
    void fail(const char* name, const char* reason);
    // A benchmark this kernel cannot run yet (an object or call it does not implement).
    void skip(const char* name, const char* reason);
    // The kernel refused `what` while setting `name` up: seL4_IllegalOperation means the kernel
    // does not implement it yet (skipped); any other error is a failure.
    void refused(const char* name, const char* what, int error);
    // Prints BENCH-END and the `N passed, M failed` summary; returns the program's status.
    int finish();

private:
    SampleSet samples_;
    uint64_t printed_ = 0;
    unsigned passed_ = 0;
    unsigned failed_ = 0;
};

} // namespace tessera::bench

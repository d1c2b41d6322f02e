// The typed-call benchmark's client: times the same addition by raw microkit_ppcall and through
// the generated stub adder_add, prints a BENCH line for each (bench/stats/bench_line.h) and the
// difference of their medians: the instructions the generated glue adds, client and server side
// together, under `-icount shift=0`.
#include <microkit.h>
#include <stdio.h>

#include "adder.h"
#include "bench/stats/bench_line.h"
#include "bench/system/timestamp.h"
#include "typed_call_size.h"

extern "C" {
#include "checks.h"
}

using namespace tessera::bench;

namespace {

constexpr microkit_channel RawChannel = 1; // typed_call.system

Ticks samples[MaxIterations];
uint64_t sink;

uint64_t raw_add(uint64_t a, uint64_t b)
{
    microkit_mr_set(0, a);
    microkit_mr_set(1, b);
    (void)microkit_ppcall(RawChannel, microkit_msginfo_new(1, 2));
    return microkit_mr_get(0);
}

uint64_t typed_add(uint64_t a, uint64_t b)
{
    uint64_t sum = 0;
    if (adder_add(ADDER_CLIENT, a, b, &sum) != 0)
        return ~uint64_t(0);
    return sum;
}

// Runs `add` for the warm-up and the measured iterations, checks every sum, prints the line.
template <class Add> Summary measure(const char* name, Add add)
{
    unsigned wrong = 0;
    for (unsigned i = 0; i < typed_call_size.warmup + typed_call_size.measured; ++i) {
        const Timestamp start = start_timestamp();
        const uint64_t sum = add(i, 3 * uint64_t(i));
        const Timestamp end = end_timestamp();
        wrong += sum != 4 * uint64_t(i);
        sink += sum;
        if (i >= typed_call_size.warmup)
            samples[i - typed_call_size.warmup] = ticks_between(start, end);
    }
    const Summary summary = summarize(samples, typed_call_size.measured);
    const BenchLine line = BenchLine::result(name, summary);
    printf("%s\n", line.text());
    char check_name[96];
    snprintf(check_name, sizeof check_name, "bench.%s.every_sum_right", name);
    check(check_name, wrong == 0);
    snprintf(check_name, sizeof check_name, "bench.%s.no_zero_sample", name);
    check(check_name, raw(summary.min) > 0 && summary.count == typed_call_size.measured);
    return summary;
}

} // namespace

void init(void)
{
    const Summary untyped = measure("ppcall_raw_2_words", raw_add);
    const Summary typed = measure("ppcall_typed_2_ints", typed_add);
    printf("%s\n", BenchLine::end(2).text());
    const int64_t glue = int64_t(raw(typed.median)) - int64_t(raw(untyped.median));
    printf("bench: typed call glue %ld ticks (median %lu typed, %lu raw)\n", static_cast<long>(glue),
           static_cast<unsigned long>(raw(typed.median)), static_cast<unsigned long>(raw(untyped.median)));
    check_summary();
}

void notified(microkit_channel)
{
}

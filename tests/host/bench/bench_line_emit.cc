// Prints the serial output of a tiny in-system suite, formatted by bench/stats exactly as the real
// suite will: bench_line_contract.py parses it with report.py's parser, so the C++ formatter and
// the Python parser are tested against each other, not just against copies of one string.
#include "bench/stats/bench_line.h"

#include <cstdio>
#include <vector>

using namespace tessera::bench;

namespace {

void print(const BenchLine& line)
{
    std::printf("%s\r\n", line.text()); // a serial console ends lines with CR LF
}

} // namespace

int main()
{
    // 10,000 samples: k * 3 for k = 10000 .. 1 (descending, so summarize must sort them).
    std::vector<Ticks> samples;
    for (uint64_t k = 10'000; k >= 1; --k)
        samples.push_back(Ticks{k * 3});
    const Summary summary = summarize(samples.data(), samples.size());

    std::printf("Tessera bench suite starting\n");
    print(BenchLine::tsc_frequency(TscHz{2'994'373'000}));
    print(BenchLine::result("ipc_roundtrip_cross_as", summary));
    print(BenchLine::result("ipc.extra.dotted_name", summary));
    print(BenchLine::end(2));
    std::printf("2 passed, 0 failed\n");
    return 0;
}

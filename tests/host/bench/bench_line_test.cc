// Tests of the BENCH serial line format. The exact strings here are the contract that
// bench/report.py parses (tests/host/bench/test_report.py uses the same lines).
#include "bench/stats/bench_line.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::bench {
namespace {

Summary example_summary()
{
    return Summary{10'000, Ticks{301}, Ticks{312}, Ticks{330}, Ticks{415}, Ticks{9'876}};
}

TEST(BenchLineResult, FormatsEveryFieldInDocumentedOrder)
{
    const BenchLine line = BenchLine::result("ipc_roundtrip_cross_as", example_summary());
    ASSERT_TRUE(line.is_valid());
    EXPECT_EQ(std::string(line.text()),
              "BENCH name=ipc_roundtrip_cross_as unit=ticks n=10000 min=301 median=312 p90=330 "
              "p99=415 max=9876");
    EXPECT_EQ(line.length(), std::string(line.text()).size());
}

TEST(BenchLineResult, PrintsLargestValuesInFull)
{
    const uint64_t largest = ~0ull;
    const Summary summary{largest,        Ticks{0},       Ticks{largest},
                          Ticks{largest}, Ticks{largest}, Ticks{largest}};
    const BenchLine line = BenchLine::result("a", summary);
    ASSERT_TRUE(line.is_valid());
    EXPECT_EQ(std::string(line.text()),
              "BENCH name=a unit=ticks n=18446744073709551615 min=0 median=18446744073709551615 "
              "p90=18446744073709551615 p99=18446744073709551615 max=18446744073709551615");
}

TEST(BenchLineResult, AcceptsDottedNamesWithDigits)
{
    EXPECT_TRUE(BenchLine::result("ipc.call_reply.cross_as_120w", example_summary()).is_valid());
}

TEST(BenchLineResult, RejectsEmptyName)
{
    const BenchLine line = BenchLine::result("", example_summary());
    EXPECT_FALSE(line.is_valid());
    EXPECT_EQ(line.error(), LineError::NameEmpty);
    EXPECT_EQ(line.length(), 0u);
    EXPECT_EQ(std::string(line.text()), "");
}

TEST(BenchLineResult, RejectsNameWithSpaceOrUppercase)
{
    EXPECT_EQ(BenchLine::result("null syscall", example_summary()).error(),
              LineError::NameHasInvalidCharacter);
    EXPECT_EQ(BenchLine::result("NullSyscall", example_summary()).error(),
              LineError::NameHasInvalidCharacter);
    EXPECT_EQ(BenchLine::result("a=b", example_summary()).error(),
              LineError::NameHasInvalidCharacter);
}

TEST(BenchLineResult, AcceptsSixtyThreeCharactersAndRejectsSixtyFour)
{
    const std::string longest(63, 'x');
    const std::string too_long(64, 'x');
    EXPECT_TRUE(BenchLine::result(longest.c_str(), example_summary()).is_valid());
    EXPECT_EQ(BenchLine::result(too_long.c_str(), example_summary()).error(),
              LineError::NameTooLong);
}

TEST(BenchLineTscFrequency, FormatsHertz)
{
    EXPECT_EQ(std::string(BenchLine::tsc_frequency(TscHz{2'994'373'000}).text()),
              "BENCH-TSC hz=2994373000");
}

TEST(BenchLineEnd, FormatsResultCount)
{
    EXPECT_EQ(std::string(BenchLine::end(12).text()), "BENCH-END results=12");
}

} // namespace
} // namespace tessera::bench

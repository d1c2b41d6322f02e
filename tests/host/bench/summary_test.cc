// Tests of the benchmark statistics: nearest-rank percentiles, the median convention and the
// summary of empty, single and shuffled sample sets.
#include "bench/stats/summary.h"

#include "bench/stats/sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace tessera::bench {
namespace {

std::vector<Ticks> ticks_from(std::initializer_list<uint64_t> values)
{
    std::vector<Ticks> samples;
    for (uint64_t value : values)
        samples.push_back(Ticks{value});
    return samples;
}

// 1..count shuffled with a fixed seed: percentiles of this set are known in closed form.
std::vector<Ticks> shuffled_range(uint64_t count)
{
    std::vector<Ticks> samples;
    for (uint64_t value = 1; value <= count; ++value)
        samples.push_back(Ticks{value});
    std::mt19937_64 generator(42);
    std::shuffle(samples.begin(), samples.end(), generator);
    return samples;
}

TEST(Summarize, EmptySetHasZeroCountAndZeroFigures)
{
    const Summary summary = summarize(nullptr, 0);
    EXPECT_TRUE(summary.is_empty());
    EXPECT_EQ(raw(summary.median), 0u);
    EXPECT_EQ(raw(summary.max), 0u);
}

TEST(Summarize, SingleSampleIsEveryFigure)
{
    auto samples = ticks_from({77});
    const Summary summary = summarize(samples.data(), samples.size());
    EXPECT_FALSE(summary.is_empty());
    EXPECT_EQ(summary.count, 1u);
    EXPECT_EQ(raw(summary.min), 77u);
    EXPECT_EQ(raw(summary.median), 77u);
    EXPECT_EQ(raw(summary.p90), 77u);
    EXPECT_EQ(raw(summary.p99), 77u);
    EXPECT_EQ(raw(summary.max), 77u);
}

TEST(Summarize, OddCountMedianIsMiddleSample)
{
    auto samples = ticks_from({9, 1, 5, 3, 7});
    EXPECT_EQ(raw(summarize(samples.data(), samples.size()).median), 5u);
}

TEST(Summarize, EvenCountMedianIsLowerMiddleSample)
{
    auto samples = ticks_from({40, 10, 30, 20});
    EXPECT_EQ(raw(summarize(samples.data(), samples.size()).median), 20u);
}

TEST(Summarize, TenThousandShuffledSamplesGiveNearestRankPercentiles)
{
    auto samples = shuffled_range(10'000);
    const Summary summary = summarize(samples.data(), samples.size());
    EXPECT_EQ(summary.count, 10'000u);
    EXPECT_EQ(raw(summary.min), 1u);
    EXPECT_EQ(raw(summary.median), 5'000u);
    EXPECT_EQ(raw(summary.p90), 9'000u);
    EXPECT_EQ(raw(summary.p99), 9'900u);
    EXPECT_EQ(raw(summary.max), 10'000u);
}

TEST(Summarize, PercentileRoundsRankUpForCountsNotDivisibleByHundred)
{
    // 1..15: p90 rank = ceil(13.5) = 14, p99 rank = ceil(14.85) = 15, median rank = ceil(7.5) = 8.
    auto samples = shuffled_range(15);
    const Summary summary = summarize(samples.data(), samples.size());
    EXPECT_EQ(raw(summary.median), 8u);
    EXPECT_EQ(raw(summary.p90), 14u);
    EXPECT_EQ(raw(summary.p99), 15u);
}

TEST(Summarize, OneOutlierMovesMaxButNotMedianOrP99)
{
    std::vector<Ticks> samples(1'000, Ticks{100});
    samples[517] = Ticks{1'000'000};
    const Summary summary = summarize(samples.data(), samples.size());
    EXPECT_EQ(raw(summary.median), 100u);
    EXPECT_EQ(raw(summary.p99), 100u);
    EXPECT_EQ(raw(summary.max), 1'000'000u);
}

TEST(Summarize, LeavesSamplesSortedAscending)
{
    auto samples = shuffled_range(257);
    (void)summarize(samples.data(), samples.size());
    EXPECT_TRUE(std::is_sorted(samples.begin(), samples.end()));
}

TEST(SortAscending, MatchesStandardSortOnRandomDataWithDuplicates)
{
    std::mt19937_64 generator(7);
    std::uniform_int_distribution<uint64_t> values(0, 50);
    for (size_t count : {0u, 1u, 2u, 3u, 64u, 1'001u}) {
        std::vector<Ticks> samples;
        for (size_t i = 0; i < count; ++i)
            samples.push_back(Ticks{values(generator)});
        std::vector<Ticks> expected = samples;
        std::sort(expected.begin(), expected.end());
        sort_ascending(samples.data(), samples.size());
        EXPECT_EQ(samples, expected) << "count " << count;
    }
}

TEST(PercentileOfSorted, ClampsPercentIntoOneToHundred)
{
    auto samples = ticks_from({1, 2, 3, 4});
    EXPECT_EQ(raw(percentile_of_sorted(samples.data(), samples.size(), Percent{0})), 1u);
    EXPECT_EQ(raw(percentile_of_sorted(samples.data(), samples.size(), Percent{100})), 4u);
    EXPECT_EQ(raw(percentile_of_sorted(samples.data(), samples.size(), Percent{250})), 4u);
}

TEST(ToPicoseconds, ConvertsWithoutLosingSubNanosecondDigits)
{
    EXPECT_EQ(raw(to_picoseconds(Ticks{2'994}, TscHz{2'994'000'000})), 1'000'000u);
    EXPECT_EQ(raw(to_picoseconds(Ticks{1'000}, TscHz{2'500'000'000})), 400'000u);
    EXPECT_EQ(raw(to_picoseconds(Ticks{7}, TscHz{3'000'000'000})), 2'333u);
}

TEST(ToPicoseconds, HandlesLongDurationsWithoutOverflow)
{
    // An hour at 5 GHz: 1.8e13 ticks, whose naive product with 1e12 would overflow 64 bits.
    EXPECT_EQ(raw(to_picoseconds(Ticks{18'000'000'000'000}, TscHz{5'000'000'000})),
              3'600'000'000'000'000ull);
}

} // namespace
} // namespace tessera::bench

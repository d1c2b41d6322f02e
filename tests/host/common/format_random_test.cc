// Randomised comparison of the shared formatter against the host C library's snprintf:
// thousands of integer, character, string and pointer conversions with random flags, widths,
// precisions and length modifiers, each also cut to a random buffer size.

#include <gtest/gtest.h>
#include <tessera/format.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

class FormatRandomFixture : public ::testing::Test {
protected:
    std::mt19937_64 random_{0x7e55e7a};

    uint64_t below(uint64_t limit) { return random_() % limit; }

    // Mostly short numbers, with every bit width and the edge values represented.
    uint64_t random_bits()
    {
        switch (below(6)) {
        case 0:
            return 0;
        case 1:
            return below(2) ? ~0ull : 1;
        case 2:
            return 1ull << below(64);
        case 3:
            return below(2) ? 0x8000000000000000ull : 0x7fffffffffffffffull;
        default:
            return random_() >> below(64);
        }
    }

    std::string random_flags()
    {
        static const char flags[] = "-+ #0";
        std::string text;
        const uint64_t count = below(4);
        for (uint64_t i = 0; i < count; ++i)
            text.push_back(flags[below(5)]);
        return text;
    }

    // Appends a width or precision field; a '*' pushes its argument onto `stars`.
    void random_field(std::string& format, std::vector<int>& stars, bool precision)
    {
        switch (below(3)) {
        case 0:
            return;
        case 1:
            if (precision)
                format.push_back('.');
            format += std::to_string(below(26));
            return;
        default:
            if (precision)
                format.push_back('.');
            format.push_back('*');
            stars.push_back(static_cast<int>(below(51)) - 25);
            return;
        }
    }

    std::string random_literal()
    {
        static const char* const pieces[] = {"", "", "x", "[", "]", "value=", " ", "%%", "ab%%c"};
        return pieces[below(sizeof pieces / sizeof pieces[0])];
    }

    template <class... Args> void expect_same(const std::string& format, Args... args)
    {
        char expected[600];
        char actual[600];
        const int expected_count =
            std::snprintf(expected, sizeof expected, format.c_str(), args...);
        const int actual_count = tessera_snprintf(actual, sizeof actual, format.c_str(), args...);
        ASSERT_EQ(actual_count, expected_count) << "format \"" << format << "\"";
        ASSERT_EQ(std::memcmp(actual, expected, static_cast<size_t>(expected_count) + 1), 0)
            << "format \"" << format << "\": expected \"" << expected << "\", got \"" << actual
            << "\"";

        // The same output cut to a random size, compared byte for byte including what lies
        // beyond the terminator (it must stay untouched).
        const size_t size = below(static_cast<uint64_t>(expected_count) + 3);
        std::memset(expected, '#', sizeof expected);
        std::memset(actual, '#', sizeof actual);
        std::snprintf(expected, size, format.c_str(), args...);
        tessera_snprintf(actual, size, format.c_str(), args...);
        ASSERT_EQ(std::memcmp(actual, expected, sizeof actual), 0)
            << "format \"" << format << "\" cut to " << size;
    }

    template <class T>
    void expect_same_with_stars(const std::string& format, const std::vector<int>& stars, T value)
    {
        switch (stars.size()) {
        case 0:
            expect_same(format, value);
            break;
        case 1:
            expect_same(format, stars[0], value);
            break;
        default:
            expect_same(format, stars[0], stars[1], value);
            break;
        }
    }

    void check_integer(const std::string& format, const std::vector<int>& stars,
                       const std::string& length, bool is_signed)
    {
        const uint64_t bits = random_bits();
        if (length == "l") {
            if (is_signed)
                return expect_same_with_stars(format, stars, static_cast<long>(bits));
            return expect_same_with_stars(format, stars, static_cast<unsigned long>(bits));
        }
        if (length == "ll") {
            if (is_signed)
                return expect_same_with_stars(format, stars, static_cast<long long>(bits));
            return expect_same_with_stars(format, stars, static_cast<unsigned long long>(bits));
        }
        if (length == "z") {
            if (is_signed)
                return expect_same_with_stars(format, stars, static_cast<ssize_t>(bits));
            return expect_same_with_stars(format, stars, static_cast<size_t>(bits));
        }
        if (length == "t")
            return expect_same_with_stars(format, stars, static_cast<ptrdiff_t>(bits));
        if (length == "j") {
            if (is_signed)
                return expect_same_with_stars(format, stars, static_cast<intmax_t>(bits));
            return expect_same_with_stars(format, stars, static_cast<uintmax_t>(bits));
        }
        // No modifier, h and hh all take an int-sized argument.
        if (is_signed)
            return expect_same_with_stars(format, stars, static_cast<int>(bits));
        expect_same_with_stars(format, stars, static_cast<unsigned>(bits));
    }

    void check_one_conversion()
    {
        static const char* const lengths[] = {"", "hh", "h", "l", "ll", "z", "t", "j"};
        static const char conversions[] = "diuxXopsc";
        static const char* const strings[] = {"", "a", "hello", "Tessera microkernel", "%d"};

        std::string format = random_literal() + "%" + random_flags();
        std::vector<int> stars;
        random_field(format, stars, false);
        const char conversion = conversions[below(sizeof conversions - 1)];
        std::string length;
        if (conversion != 'p' && conversion != 's' && conversion != 'c') {
            random_field(format, stars, true);
            length = lengths[below(8)];
        } else if (conversion != 'c') {
            random_field(format, stars, true); // precision is undefined for %c only
        }
        format += length;
        format.push_back(conversion);
        format += random_literal();

        switch (conversion) {
        case 'd':
        case 'i':
            return check_integer(format, stars, length, true);
        case 'p': {
            // Null pointers are spelled differently by C libraries; edge tests cover ours.
            const uint64_t bits = random_bits() | 1;
            return expect_same_with_stars(format, stars, reinterpret_cast<void*>(bits));
        }
        case 's':
            return expect_same_with_stars(format, stars,
                                          strings[below(sizeof strings / sizeof strings[0])]);
        case 'c':
            return expect_same_with_stars(format, stars, static_cast<int>(' ' + below(95)));
        default:
            return check_integer(format, stars, length, false);
        }
    }
};

TEST_F(FormatRandomFixture, MatchesHostSnprintfOnTwentyThousandConversions)
{
    for (int i = 0; i < 20000; ++i) {
        check_one_conversion();
        if (HasFatalFailure())
            return;
    }
}

TEST_F(FormatRandomFixture, MatchesHostSnprintfWithSeveralConversionsInOneFormat)
{
    for (int i = 0; i < 2000; ++i) {
        const int a = static_cast<int>(random_bits());
        const long b = static_cast<long>(random_bits());
        const unsigned long long c = random_bits();
        const int width = static_cast<int>(below(20));
        expect_same(std::string("%") + random_flags() + "d|%" + random_flags() + "*lx|%" +
                        random_flags() + ".*llo|%s|%%",
                    a, width, b, width / 2, c, "tail");
        if (HasFatalFailure())
            return;
    }
}

} // namespace

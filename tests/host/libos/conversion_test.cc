// strtol/strtoul parsing against the host C library on random and edge-case text.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <random>
#include <string>

#include "tessera/libc/conversion.h"

namespace libc = tessera::libc;

namespace {

void expect_like_host(const std::string& text, int base)
{
    const char* start = text.c_str();
    const auto parsed = libc::parse_integer(start, base);

    char* host_end = nullptr;
    errno = 0;
    const unsigned long long host_unsigned = std::strtoull(start, &host_end, base);
    const bool host_unsigned_overflow = errno == ERANGE;
    libc::Range range;
    EXPECT_EQ(libc::to_unsigned(parsed, range), host_unsigned) << '"' << text << "\" base " << base;
    EXPECT_EQ(range == libc::Range::Overflow, host_unsigned_overflow) << text;
    EXPECT_EQ(parsed.end, host_end) << '"' << text << "\" base " << base;

    errno = 0;
    const long long host_signed = std::strtoll(start, &host_end, base);
    const bool host_signed_overflow = errno == ERANGE;
    EXPECT_EQ(libc::to_signed(parsed, range), host_signed) << '"' << text << "\" base " << base;
    EXPECT_EQ(range == libc::Range::Overflow, host_signed_overflow) << text;
}

TEST(Conversion, EdgeCasesMatchTheHost)
{
    const char* const cases[] = {"",
                                 "   ",
                                 "0",
                                 "-0",
                                 "+",
                                 "-",
                                 "0x",
                                 "0xg",
                                 "0x1f",
                                 "0X1F",
                                 "  \t\n+42abc",
                                 "-17",
                                 "0777",
                                 "089",
                                 "18446744073709551615",
                                 "18446744073709551616",
                                 "-18446744073709551615",
                                 "9223372036854775807",
                                 "9223372036854775808",
                                 "-9223372036854775808",
                                 "-9223372036854775809",
                                 "99999999999999999999999999x",
                                 "zz",
                                 "1010102"};
    for (const char* text : cases) {
        for (int base : {0, 2, 8, 10, 16, 36})
            expect_like_host(text, base);
    }
}

TEST(Conversion, InvalidBaseConsumesNothing)
{
    const char* text = "123";
    for (int base : {-1, 1, 37})
        EXPECT_EQ(libc::parse_integer(text, base).end, text);
}

TEST(Conversion, RandomTextMatchesTheHost)
{
    std::mt19937 random(99);
    const std::string alphabet = " +-0123456789xXabcfgzZ";
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        const size_t length = random() % 24;
        for (size_t i = 0; i < length; ++i)
            text.push_back(alphabet[random() % alphabet.size()]);
        const int bases[] = {0, 2, 8, 10, 16, 36};
        expect_like_host(text, bases[random() % 6]);
        if (HasFailure())
            return;
    }
}

} // namespace

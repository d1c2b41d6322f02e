// Edge cases of the shared formatter, each checked against the exact text C requires.

#include <gtest/gtest.h>
#include <tessera/format.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>

namespace {

// Formats into a string through the public snprintf, with a buffer larger than any case here.
template <class... Args> std::string format_text(const char* format, Args... args)
{
    char buffer[600];
    const int count = tessera_snprintf(buffer, sizeof buffer, format, args...);
    EXPECT_EQ(count, static_cast<int>(std::string(buffer).size()));
    return buffer;
}

// Calls the formatter with a format it cannot see at compile time, so unsupported conversions
// can be tested without the compiler's format checking rejecting them.
template <class... Args> std::string format_dynamic(const std::string& format, Args... args)
{
    char buffer[600];
    tessera_snprintf(buffer, sizeof buffer, format.c_str(), args...);
    return buffer;
}

TEST(Format, PrintsTheExtremeSixtyFourBitValues)
{
    EXPECT_EQ(format_text("%lld", static_cast<long long>(INT64_MIN)), "-9223372036854775808");
    EXPECT_EQ(format_text("%ld", static_cast<long>(INT64_MIN)), "-9223372036854775808");
    EXPECT_EQ(format_text("%jd", static_cast<intmax_t>(INT64_MIN)), "-9223372036854775808");
    EXPECT_EQ(format_text("%lld", static_cast<long long>(INT64_MAX)), "9223372036854775807");
    EXPECT_EQ(format_text("%llu", static_cast<unsigned long long>(UINT64_MAX)),
              "18446744073709551615");
    EXPECT_EQ(format_text("%llx", static_cast<unsigned long long>(UINT64_MAX)), "ffffffffffffffff");
    EXPECT_EQ(format_text("%#llo", static_cast<unsigned long long>(UINT64_MAX)),
              "01777777777777777777777");
    EXPECT_EQ(format_text("%d", INT_MIN), "-2147483648");
    EXPECT_EQ(format_text("%+030lld", static_cast<long long>(INT64_MIN)),
              "-00000000009223372036854775808");
}

TEST(Format, NullStringPrintsNullInParentheses)
{
    const char* nothing = nullptr;
    EXPECT_EQ(format_text("%s", nothing), "(null)");
    EXPECT_EQ(format_text("[%8s]", nothing), "[  (null)]");
    EXPECT_EQ(format_text("[%-8s]", nothing), "[(null)  ]");
}

TEST(Format, NullPointerPrintsNil)
{
    EXPECT_EQ(format_text("%p", static_cast<void*>(nullptr)), "(nil)");
    EXPECT_EQ(format_text("%p", reinterpret_cast<void*>(0xffff800000001000)), "0xffff800000001000");
}

TEST(Format, TruncatesToTheBufferAndReportsTheFullLength)
{
    char buffer[8];
    std::memset(buffer, 'X', sizeof buffer);
    EXPECT_EQ(tessera_snprintf(buffer, 5, "hello %s", "world"), 11);
    EXPECT_STREQ(buffer, "hell");
    EXPECT_EQ(buffer[5], 'X'); // nothing written past the given size

    EXPECT_EQ(tessera_snprintf(buffer, 1, "%d", 12345), 5);
    EXPECT_STREQ(buffer, "");

    EXPECT_EQ(tessera_snprintf(nullptr, 0, "%d-%s", 42, "abc"), 6);

    std::memset(buffer, 'X', sizeof buffer);
    EXPECT_EQ(tessera_snprintf(buffer, 0, "abc"), 3);
    EXPECT_EQ(buffer[0], 'X'); // size 0 writes nothing, not even the terminator
}

TEST(Format, PrecisionZeroOmitsAZero)
{
    EXPECT_EQ(format_text("[%.0d]", 0), "[]");
    EXPECT_EQ(format_text("[%5.0x]", 0u), "[     ]");
    EXPECT_EQ(format_text("[%#.0o]", 0u), "[0]");
    EXPECT_EQ(format_text("[%#x]", 0u), "[0]");
    EXPECT_EQ(format_text("[%.d]", 0), "[]");
}

TEST(Format, StarTakesWidthAndPrecisionFromArguments)
{
    EXPECT_EQ(format_text("[%*d]", 5, 42), "[   42]");
    EXPECT_EQ(format_text("[%*d]", -5, 42), "[42   ]");
    EXPECT_EQ(format_text("[%.*d]", 4, 7), "[0007]");
    EXPECT_EQ(format_text("[%.*d]", -1, 7), "[7]");
    EXPECT_EQ(format_text("[%*.*s]", 6, 2, "abcdef"), "[    ab]");
}

TEST(Format, LengthModifiersTruncateToTheirType)
{
    EXPECT_EQ(format_text("%hhd", 300), "44");
    EXPECT_EQ(format_text("%hhd", 200), "-56");
    EXPECT_EQ(format_text("%hhu", 511u), "255");
    EXPECT_EQ(format_text("%hu", 70000u), "4464");
    EXPECT_EQ(format_text("%hd", 40000), "-25536");
    EXPECT_EQ(format_text("%zu", static_cast<size_t>(1) << 40), "1099511627776");
    EXPECT_EQ(format_text("%td", static_cast<ptrdiff_t>(-3)), "-3");
}

TEST(Format, PercentAndUnsupportedConversionsAreShownAsWritten)
{
    EXPECT_EQ(format_text("100%%"), "100%");
    EXPECT_EQ(format_dynamic("a%yb"), "a%yb");
    // No floating point: %f is shown and consumes no argument, so the next one stays in place.
    EXPECT_EQ(format_dynamic("%5.2f|%d", 7), "%5.2f|7");
    EXPECT_EQ(format_dynamic("%n|%d", 8), "%n|8");
    EXPECT_EQ(format_dynamic("end%"), "end%");
}

TEST(Format, StringPrecisionNeverReadsPastTheLimit)
{
    const char unterminated[3] = {'a', 'b', 'c'};
    EXPECT_EQ(format_text("%.3s", unterminated), "abc");
    EXPECT_EQ(format_text("%.2s", unterminated), "ab");
}

TEST(Format, CharactersAndPadding)
{
    EXPECT_EQ(format_text("[%c]", 'x'), "[x]");
    EXPECT_EQ(format_text("[%3c]", 'x'), "[  x]");
    EXPECT_EQ(format_text("[%-3c]", 'x'), "[x  ]");
}

struct Collected {
    std::string text;
    int calls = 0;
};

void collect(void* context, char c)
{
    auto* collected = static_cast<Collected*>(context);
    collected->text.push_back(c);
    ++collected->calls;
}

TEST(Format, SinkReceivesEveryCharacterInOrderWithItsContext)
{
    Collected collected;
    const int count = tessera_format(collect, &collected, "%s=%#06x;%-4d|", "key", 0x2a, -1);
    EXPECT_EQ(collected.text, "key=0x002a;-1  |");
    EXPECT_EQ(count, 16);
    EXPECT_EQ(collected.calls, count);
}

TEST(Format, EmbeddedNulCharacterIsCountedBySnprintf)
{
    char buffer[8];
    EXPECT_EQ(tessera_snprintf(buffer, sizeof buffer, "a%cb", 0), 3);
    EXPECT_EQ(buffer[0], 'a');
    EXPECT_EQ(buffer[1], '\0');
    EXPECT_EQ(buffer[2], 'b');
    EXPECT_EQ(buffer[3], '\0');
}

} // namespace

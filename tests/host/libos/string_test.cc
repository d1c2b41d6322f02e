// The libc memory and string routines against the host C library on random inputs.

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "tessera/libc/string_functions.h"

namespace libc = tessera::libc;

namespace {

int sign(int value)
{
    return (value > 0) - (value < 0);
}

class StringFixture : public ::testing::Test {
protected:
    std::mt19937 random_{1234};
    size_t below(size_t limit) { return random_() % limit; }

    // Short strings from a small alphabet, so that searches and comparisons often match.
    std::string random_text(size_t max_length)
    {
        std::string text;
        const size_t length = below(max_length + 1);
        for (size_t i = 0; i < length; ++i)
            text.push_back("ab\xe9z"[below(4)]);
        return text;
    }
};

TEST_F(StringFixture, MemcpyCopiesEveryLengthAndAlignment)
{
    std::vector<unsigned char> source(300), destination(300), expected(300);
    for (int round = 0; round < 2000; ++round) {
        for (auto& byte : source)
            byte = static_cast<unsigned char>(random_());
        for (auto& byte : destination)
            byte = static_cast<unsigned char>(random_());
        expected = destination;
        const size_t from = below(40), to = below(40), count = below(250);
        std::memcpy(expected.data() + to, source.data() + from, count);
        EXPECT_EQ(libc::memcpy(destination.data() + to, source.data() + from, count),
                  destination.data() + to);
        ASSERT_EQ(destination, expected) << "from " << from << " to " << to << " count " << count;
    }
}

TEST_F(StringFixture, MemmoveHandlesOverlapInBothDirections)
{
    std::vector<unsigned char> buffer(300), expected(300);
    for (int round = 0; round < 2000; ++round) {
        for (auto& byte : buffer)
            byte = static_cast<unsigned char>(random_());
        expected = buffer;
        const size_t from = below(100), to = below(100), count = below(200);
        std::memmove(expected.data() + to, expected.data() + from, count);
        libc::memmove(buffer.data() + to, buffer.data() + from, count);
        ASSERT_EQ(buffer, expected) << "from " << from << " to " << to << " count " << count;
    }
}

TEST_F(StringFixture, MemsetFillsExactlyTheRange)
{
    std::vector<unsigned char> buffer(200, 0x11);
    libc::memset(buffer.data() + 3, 0x1ab, 101); // only the low byte counts
    for (size_t i = 0; i < buffer.size(); ++i)
        ASSERT_EQ(buffer[i], i >= 3 && i < 104 ? 0xab : 0x11) << i;
}

TEST_F(StringFixture, ComparisonsAgreeWithTheHostInSign)
{
    for (int round = 0; round < 5000; ++round) {
        const std::string a = random_text(6), b = random_text(6);
        const size_t limit = below(8);
        ASSERT_EQ(sign(libc::strcmp(a.c_str(), b.c_str())), sign(std::strcmp(a.c_str(), b.c_str())))
            << a << " vs " << b;
        ASSERT_EQ(sign(libc::strncmp(a.c_str(), b.c_str(), limit)),
                  sign(std::strncmp(a.c_str(), b.c_str(), limit)));
        const size_t count = std::min(a.size(), b.size()) + 1;
        ASSERT_EQ(sign(libc::memcmp(a.c_str(), b.c_str(), count)),
                  sign(std::memcmp(a.c_str(), b.c_str(), count)));
    }
}

TEST_F(StringFixture, SearchesAgreeWithTheHost)
{
    for (int round = 0; round < 5000; ++round) {
        const std::string haystack = random_text(12), needle = random_text(3);
        const char* h = haystack.c_str();
        ASSERT_EQ(libc::strstr(h, needle.c_str()), std::strstr(h, needle.c_str()))
            << haystack << " / " << needle;
        const int c = needle.empty() ? 0 : static_cast<unsigned char>(needle[0]);
        ASSERT_EQ(libc::strchr(h, c), std::strchr(h, c));
        ASSERT_EQ(libc::strrchr(h, c), std::strrchr(h, c));
        ASSERT_EQ(libc::memchr(h, c, haystack.size()), std::memchr(h, c, haystack.size()));
        ASSERT_EQ(libc::strlen(h), haystack.size());
        ASSERT_EQ(libc::strnlen(h, 5), std::min<size_t>(haystack.size(), 5));
    }
}

TEST_F(StringFixture, SpanFunctionsAgreeWithTheHost)
{
    for (int round = 0; round < 5000; ++round) {
        const std::string text = random_text(10), set = random_text(2);
        const char* t = text.c_str();
        ASSERT_EQ(libc::strspn(t, set.c_str()), std::strspn(t, set.c_str())) << text << "/" << set;
        ASSERT_EQ(libc::strcspn(t, set.c_str()), std::strcspn(t, set.c_str()))
            << text << "/" << set;
        ASSERT_EQ(libc::strpbrk(t, set.c_str()), std::strpbrk(t, set.c_str()))
            << text << "/" << set;
    }
}

TEST_F(StringFixture, TokenizerAgreesWithTheHost)
{
    for (int round = 0; round < 3000; ++round) {
        std::string text = random_text(16);
        std::string host_text = text;
        const std::string separators = random_text(2);
        char* state = nullptr;
        char* host_state = nullptr;
        char* token = libc::strtok_r(text.data(), separators.c_str(), &state);
        char* host_token = ::strtok_r(host_text.data(), separators.c_str(), &host_state);
        for (;;) {
            ASSERT_EQ(token == nullptr, host_token == nullptr) << text << "/" << separators;
            if (token == nullptr)
                break;
            ASSERT_STREQ(token, host_token);
            ASSERT_EQ(token - text.data(), host_token - host_text.data());
            token = libc::strtok_r(nullptr, separators.c_str(), &state);
            host_token = ::strtok_r(nullptr, separators.c_str(), &host_state);
        }
    }
}

TEST(String, StrchrFindsTheTerminator)
{
    const char* text = "abc";
    EXPECT_EQ(libc::strchr(text, '\0'), text + 3);
    EXPECT_EQ(libc::strrchr(text, '\0'), text + 3);
    EXPECT_EQ(libc::strchr(text, 'd'), nullptr);
}

TEST(String, StrncpyPadsWithNulsAndMayLeaveUnterminated)
{
    char buffer[8];
    std::memset(buffer, 'X', sizeof buffer);
    libc::strncpy(buffer, "ab", 6);
    EXPECT_EQ(std::memcmp(buffer, "ab\0\0\0\0XX", 8), 0);
    libc::strncpy(buffer, "abcdefgh", 4);
    EXPECT_EQ(std::memcmp(buffer, "abcd\0\0XX", 8), 0);
}

TEST(String, CopyAndConcatenate)
{
    char buffer[16];
    EXPECT_EQ(libc::strcpy(buffer, "tes"), buffer);
    libc::strcat(buffer, "ser");
    libc::strncat(buffer, "axyz", 1);
    EXPECT_STREQ(buffer, "tessera");
}

} // namespace

// The one-line command of a `.system`'s setvar made into the server's argument list.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/exec/command_line.h"

using tessera::posix::split_command_line;

namespace {

// The NUL-separated words up to the empty one, or {"<refused>"}.
std::vector<std::string> split(const char* line, size_t capacity = 4096)
{
    std::vector<char> out(capacity, 'x');
    if (!split_command_line(line, out.data(), capacity))
        return {"<refused>"};
    std::vector<std::string> words;
    for (const char* p = out.data(); *p != '\0'; p += strlen(p) + 1)
        words.emplace_back(p);
    return words;
}

TEST(CommandLine, SplitsAtSpacesAndTabs)
{
    EXPECT_EQ(split("  ls \t-l   /bin "), (std::vector<std::string>{"ls", "-l", "/bin"}));
}

TEST(CommandLine, QuotesKeepAWordWhole)
{
    EXPECT_EQ(split("sh -c 'echo hi | wc -c'"),
              (std::vector<std::string>{"sh", "-c", "echo hi | wc -c"}));
    EXPECT_EQ(split("echo \"a 'b' c\"x''"), (std::vector<std::string>{"echo", "a 'b' cx"}));
}

TEST(CommandLine, EndsWithAnEmptyArgument)
{
    char out[16];
    memset(out, 'x', sizeof out);
    ASSERT_TRUE(split_command_line("a bc", out, sizeof out));
    EXPECT_EQ(0, memcmp(out, "a\0bc\0\0", 6));
    EXPECT_EQ('x', out[6]);
}

TEST(CommandLine, RefusesWithoutTouchingTheOutput)
{
    EXPECT_EQ(split(""), std::vector<std::string>{"<refused>"});
    EXPECT_EQ(split(" \t "), std::vector<std::string>{"<refused>"});
    EXPECT_EQ(split("echo 'open"), std::vector<std::string>{"<refused>"});
    // An empty argument would end the list: refused rather than cut short.
    EXPECT_EQ(split("printf '' x"), std::vector<std::string>{"<refused>"});
    EXPECT_EQ(split("printf \"\""), std::vector<std::string>{"<refused>"});
    // "abc\0\0" is 5 bytes: it fits 5, not 4.
    EXPECT_EQ(split("abc", 5), std::vector<std::string>{"abc"});
    EXPECT_EQ(split("abc", 4), std::vector<std::string>{"<refused>"});
    char out[4] = {'k', 'e', 'e', 'p'};
    EXPECT_FALSE(split_command_line("abcdef", out, sizeof out));
    EXPECT_EQ(0, memcmp(out, "keep", 4));
}

} // namespace

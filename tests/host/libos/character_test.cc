// The libc character classes against the host's "C" locale for every byte and EOF.

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>

#include "tessera/libc/character.h"

namespace libc = tessera::libc;

TEST(Character, EveryClassMatchesTheHostCLocale)
{
    for (int c = EOF; c <= 255; ++c) {
        EXPECT_EQ(libc::is_digit(c), std::isdigit(c) != 0) << c;
        EXPECT_EQ(libc::is_hex_digit(c), std::isxdigit(c) != 0) << c;
        EXPECT_EQ(libc::is_lower(c), std::islower(c) != 0) << c;
        EXPECT_EQ(libc::is_upper(c), std::isupper(c) != 0) << c;
        EXPECT_EQ(libc::is_alpha(c), std::isalpha(c) != 0) << c;
        EXPECT_EQ(libc::is_alnum(c), std::isalnum(c) != 0) << c;
        EXPECT_EQ(libc::is_space(c), std::isspace(c) != 0) << c;
        EXPECT_EQ(libc::is_blank(c), std::isblank(c) != 0) << c;
        EXPECT_EQ(libc::is_control(c), std::iscntrl(c) != 0) << c;
        EXPECT_EQ(libc::is_print(c), std::isprint(c) != 0) << c;
        EXPECT_EQ(libc::is_graph(c), std::isgraph(c) != 0) << c;
        EXPECT_EQ(libc::is_punct(c), std::ispunct(c) != 0) << c;
        EXPECT_EQ(libc::to_lower(c), std::tolower(c)) << c;
        EXPECT_EQ(libc::to_upper(c), std::toupper(c)) << c;
    }
}

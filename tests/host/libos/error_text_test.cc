// strerror's table against the host's: every errno value <errno.h> defines reads as glibc says.
#include <gtest/gtest.h>

#include <cstring>

#include "tessera/libc/error_text.h"

namespace {

TEST(ErrorText, EveryKnownValueReadsAsGlibcSays)
{
    int known = 0;
    for (int code = 0; code < 134; ++code) {
        const char* ours = tessera::libc::error_text(code);
        if (ours == nullptr)
            continue;
        ++known;
        EXPECT_STREQ(ours, std::strerror(code)) << "errno " << code;
    }
    EXPECT_GE(known, 40);
}

TEST(ErrorText, UnknownValuesHaveNoText)
{
    EXPECT_EQ(tessera::libc::error_text(-1), nullptr);
    EXPECT_EQ(tessera::libc::error_text(100000), nullptr);
}

} // namespace

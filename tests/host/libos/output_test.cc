// printf/puts/putchar through the output hook, and abort/assert stopping the program.

#include <gtest/gtest.h>

#include <string>

#include "tessera/libc/failure.h"
#include "tessera/libc/output.h"

namespace libc = tessera::libc;

namespace {

void append(void* context, char c)
{
    static_cast<std::string*>(context)->push_back(c);
}

int print(const char* format, ...) __attribute__((format(printf, 1, 2)));
int print(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = libc::print(format, args);
    va_end(args);
    return count;
}

class OutputFixture : public ::testing::Test {
protected:
    void SetUp() override { libc::set_output(append, &captured_); }
    void TearDown() override { libc::set_output(nullptr, nullptr); }
    std::string captured_;
};

TEST_F(OutputFixture, PrintFormatsThroughTheHook)
{
    EXPECT_EQ(print("%s=%d;", "x", -5), 5);
    EXPECT_EQ(libc::put_line("line"), 5);
    EXPECT_EQ(libc::put_character(0x141), 0x41);
    EXPECT_EQ(captured_, "x=-5;line\nA");
}

TEST_F(OutputFixture, NullHookDiscardsButStillCounts)
{
    libc::set_output(nullptr, nullptr);
    EXPECT_EQ(print("%05d", 7), 5);
    EXPECT_EQ(captured_, "");
}

void print_to_stderr(void*, char c)
{
    fputc(c, stderr);
}
void announce_abort()
{
    fputs("abort handler ran\n", stderr);
}

TEST(FailureDeathTest, AbortRunsTheHandlerThenTraps)
{
    EXPECT_DEATH(
        {
            libc::set_abort_handler(announce_abort);
            libc::abort();
        },
        "abort handler ran");
}

TEST(FailureDeathTest, AssertionFailurePrintsExpressionAndPlace)
{
    EXPECT_DEATH(
        {
            libc::set_output(print_to_stderr, nullptr);
            libc::assertion_failed("count > 0", "main.c", 12, "run");
        },
        "assertion failed: count > 0 \\(main.c:12, run\\)");
}

} // namespace

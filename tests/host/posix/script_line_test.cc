// The "#!" line of a script, read as Linux's binfmt_script reads it.
#include <gtest/gtest.h>

#include <string>

#include "core/exec/script_line.h"

namespace tessera::posix {
namespace {

Result<bool> parse(const std::string& text, ScriptLine& line)
{
    return parse_script_line(reinterpret_cast<const uint8_t*>(text.data()), text.size(), line);
}

TEST(ScriptLine, AnElfOrAnyOtherFileIsNoScript)
{
    ScriptLine line;
    auto elf = parse("\x7f" "ELF", line);
    ASSERT_TRUE(elf);
    EXPECT_FALSE(elf.value());
    auto short_file = parse("#", line);
    ASSERT_TRUE(short_file);
    EXPECT_FALSE(short_file.value());
}

TEST(ScriptLine, TheInterpreterIsTheFirstWordAndTheRestOneArgument)
{
    ScriptLine line;
    auto got = parse("#!  /bin/sh\t-e -x  \nexit 1\n", line);
    ASSERT_TRUE(got);
    EXPECT_TRUE(got.value());
    EXPECT_STREQ(line.interpreter, "/bin/sh");
    EXPECT_STREQ(line.argument, "-e -x");
}

TEST(ScriptLine, ALineWithoutArgumentOrNewlineStillNamesItsInterpreter)
{
    ScriptLine line;
    auto got = parse("#!/bin/busybox", line);
    ASSERT_TRUE(got);
    EXPECT_STREQ(line.interpreter, "/bin/busybox");
    EXPECT_STREQ(line.argument, "");
    ASSERT_TRUE(parse("#!/bin/sh\r\n", line));
    EXPECT_STREQ(line.interpreter, "/bin/sh\r"); // Linux keeps the carriage return in the name
}

TEST(ScriptLine, NoInterpreterIsEnoexec)
{
    ScriptLine line;
    auto got = parse("#!   \necho\n", line);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error(), Errno::NoExec);
}

TEST(ScriptLine, ANameCutByTheLineLimitIsEnoexecAnArgumentIsCut)
{
    ScriptLine line;
    auto name = parse("#!/" + std::string(400, 'a') + "\n", line);
    ASSERT_FALSE(name);
    EXPECT_EQ(name.error(), Errno::NoExec);
    auto argument = parse("#!/bin/sh " + std::string(400, 'b') + "\n", line);
    ASSERT_TRUE(argument);
    EXPECT_STREQ(line.interpreter, "/bin/sh");
    EXPECT_EQ(std::string(line.argument), std::string(256 - 10, 'b'));
}

} // namespace
} // namespace tessera::posix

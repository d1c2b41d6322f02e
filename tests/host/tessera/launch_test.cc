// `tessera run`'s launcher command line: what it passes to scripts/launch.py for each option.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "launch.h"

namespace tessera::sdf {
namespace {

using Words = std::vector<std::string>;

TEST(LaunchCommand, BootsTheLoaderWithTheKernel)
{
    const LaunchOptions options{"scripts/launch.py", "k.elf", "system.elf", 0, false, false, {}};
    EXPECT_EQ(launch_command(options),
              (Words{"python3", "scripts/launch.py", "--kernel", "k.elf", "--root-task", "system.elf"}));
}

TEST(LaunchCommand, PassesTimeoutExitOnIdleInteractiveAndExtraArguments)
{
    const LaunchOptions options{"l.py", "k", "r", 12.5, true, true, {"--memory", "1G"}};
    EXPECT_EQ(launch_command(options),
              (Words{"python3", "l.py", "--kernel", "k", "--root-task", "r", "--timeout", "12.5",
                     "--append", "exit_on_idle", "--interactive", "--memory", "1G"}));
}

TEST(LaunchCommand, PassesTheGuestMemoryItCheckedAgainst)
{
    LaunchOptions options{"l.py", "k", "r", 0, false, false, {}};
    options.memory = "768M";
    EXPECT_EQ(launch_command(options),
              (Words{"python3", "l.py", "--kernel", "k", "--root-task", "r", "--memory", "768M"}));
}

TEST(LaunchCommand, AsksTheLauncherToDeleteATemporaryImage)
{
    LaunchOptions options{"l.py", "k", "/tmp/x.elf", 0, false, false, {}};
    options.temporary = "/tmp/x.elf";
    EXPECT_EQ(launch_command(options),
              (Words{"python3", "l.py", "--kernel", "k", "--root-task", "/tmp/x.elf", "--remove", "/tmp/x.elf"}));
}

TEST(TemporaryImage, HoldsTheImageBytesUnderTmpdirWithThePrefix)
{
    const std::vector<uint8_t> image{0x7f, 'E', 'L', 'F', 0, 1, 2, 0xff};
    std::string why;
    const std::string path = write_temporary_image("tessera-test", image, why);
    ASSERT_FALSE(path.empty()) << why;
    const char* directory = std::getenv("TMPDIR");
    EXPECT_EQ(path.rfind(std::string(directory ? directory : "/tmp") + "/tessera-test-", 0), 0u);
    std::ifstream in(path, std::ios::binary);
    const std::vector<uint8_t> written{std::istreambuf_iterator<char>(in), {}};
    EXPECT_EQ(written, image);
    std::remove(path.c_str());
}

TEST(TemporaryImage, ReportsADirectoryItCannotWriteIn)
{
    const char* saved = std::getenv("TMPDIR");
    const std::string old = saved ? saved : "";
    setenv("TMPDIR", "/nonexistent/directory", 1);
    std::string why;
    const std::string path = write_temporary_image("tessera-test", {1, 2, 3}, why);
    if (saved)
        setenv("TMPDIR", old.c_str(), 1);
    else
        unsetenv("TMPDIR");
    EXPECT_TRUE(path.empty());
    EXPECT_NE(why.find("/nonexistent/directory/tessera-test-"), std::string::npos) << why;
}

struct Captured {
    std::string console, launcher;
    LauncherOutput output()
    {
        LauncherOutput o;
        o.console = [this](const char* bytes, size_t size) { console.append(bytes, size); };
        o.launcher = [this](const char* bytes, size_t size) { launcher.append(bytes, size); };
        return o;
    }
};

TEST(RunLauncher, SeparatesTheConsoleFromTheLaunchersLinesAndGivesItsStatus)
{
    Captured captured;
    std::string why;
    const int status = run_launcher({"sh", "-c", "printf 'com1 '; printf own >&2; echo line; exit 7"},
                                    LauncherInput::Nothing, captured.output(), why);
    EXPECT_EQ(status, 7) << why;
    EXPECT_EQ(captured.console, "com1 line\n");
    EXPECT_EQ(captured.launcher, "own");
}

TEST(RunLauncher, RelaysOutputLargerThanAPipeBuffer)
{
    Captured captured;
    std::string why;
    const int status = run_launcher({"sh", "-c", "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2"},
                                    LauncherInput::Nothing, captured.output(), why);
    EXPECT_EQ(status, 0) << why;
    EXPECT_EQ(captured.console.size(), 300000u);
    EXPECT_EQ(captured.launcher.size(), 200000u);
}

TEST(RunLauncher, GivesNoInputWhenAskedForNothing)
{
    Captured captured;
    std::string why;
    const int status = run_launcher({"sh", "-c", "wc -c; echo end"}, LauncherInput::Nothing,
                                    captured.output(), why);
    EXPECT_EQ(status, 0) << why;
    EXPECT_EQ(captured.console, "0\nend\n");
}

TEST(RunLauncher, AProgramThatCannotStartEndsWith127AndSaysWhy)
{
    Captured captured;
    std::string why;
    const int status = run_launcher({"/nonexistent/launcher"}, LauncherInput::Nothing,
                                    captured.output(), why);
    EXPECT_EQ(status, 127);
    EXPECT_NE(captured.launcher.find("cannot start /nonexistent/launcher"), std::string::npos)
        << captured.launcher;
}

TEST(RunLauncher, ALauncherKilledByASignalIsNoStatus)
{
    Captured captured;
    std::string why;
    const int status =
        run_launcher({"sh", "-c", "kill -KILL $$"}, LauncherInput::Nothing, captured.output(), why);
    EXPECT_EQ(status, -1);
    EXPECT_NE(why.find("signal 9"), std::string::npos) << why;
}

} // namespace
} // namespace tessera::sdf

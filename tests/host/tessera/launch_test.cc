// `tessera run`'s launcher command line: what it passes to scripts/launch.py for each option.
#include <gtest/gtest.h>

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

} // namespace
} // namespace tessera::sdf

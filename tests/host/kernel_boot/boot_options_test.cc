#include "boot/boot_options.h"

#include <gtest/gtest.h>

using tessera::boot::has_option;

TEST(BootOptions, FindsWholeWordsOnly)
{
    EXPECT_TRUE(has_option("exit_on_idle", "exit_on_idle"));
    EXPECT_TRUE(has_option("a exit_on_idle b", "exit_on_idle"));
    EXPECT_TRUE(has_option("  exit_on_idle", "exit_on_idle"));
    EXPECT_FALSE(has_option("exit_on_idle_not", "exit_on_idle"));
    EXPECT_FALSE(has_option("not_exit_on_idle", "exit_on_idle"));
    EXPECT_FALSE(has_option("exit", "exit_on_idle"));
    EXPECT_FALSE(has_option("", "exit_on_idle"));
}

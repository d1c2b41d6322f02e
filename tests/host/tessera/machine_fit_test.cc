// How a built system fits the machine: `tessera check`'s numbers and `tessera run`'s refusal.
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>

#include "embed.h"
#include "machine_fit.h"
#include "search_path.h"
#include "test_support.h"

namespace tessera::sdf {
namespace {

std::vector<uint8_t> loader_file()
{
    std::ifstream in(TESSERA_TEST_LOADER, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

std::optional<MachineFit> fit_of(const std::string& example, uint64_t memory)
{
    auto result = test::build_example(example);
    EXPECT_TRUE(result);
    if (!result)
        return std::nullopt;
    std::string why;
    auto embedded = embed_in_loader(loader_file(), result->image, why);
    EXPECT_TRUE(embedded) << why;
    auto fit = embedded ? fit_machine(*embedded, result->image, memory, why) : std::nullopt;
    EXPECT_TRUE(fit) << why;
    return fit;
}

TEST(MachineFit, MemorySizesAreReadAsTheLauncherTakesThem)
{
    EXPECT_EQ(parse_memory_size("512M"), uint64_t(512) << 20);
    EXPECT_EQ(parse_memory_size("512"), uint64_t(512) << 20);
    EXPECT_EQ(parse_memory_size("2G"), uint64_t(2) << 30);
    EXPECT_EQ(parse_memory_size("65536k"), uint64_t(64) << 20);
    for (const char* bad : {"", "M", "-1G", "0", "12X", "1.5G", "99999999999999999999G"})
        EXPECT_FALSE(parse_memory_size(bad)) << bad;
}

TEST(MachineFit, AnExampleFitsTheDefaultMachineWithRoomToSpare)
{
    auto fit = fit_of("pingpong", DefaultGuestMemory);
    ASSERT_TRUE(fit);
    EXPECT_TRUE(fit->fits());
    EXPECT_TRUE(fit_problems(*fit).empty());
    EXPECT_EQ(fit->plan.address_spaces, 2u);
    // The loader finds at most the guest's memory less the kernel's share and its own file.
    EXPECT_LT(fit->loader_free, DefaultGuestMemory - (uint64_t(4) << 20));
    EXPECT_GT(fit->loader_free, DefaultGuestMemory - (uint64_t(16) << 20));
    const std::string text = describe_fit(*fit);
    EXPECT_NE(text.find("address spaces: 2 of 4094"), std::string::npos) << text;
    EXPECT_NE(text.find("KiB the loader finds free with 512 MiB"), std::string::npos) << text;
}

TEST(MachineFit, TooLittleMemoryIsAProblemThatNamesTheMemoryToUse)
{
    auto fit = fit_of("pingpong", uint64_t(5) << 20);
    ASSERT_TRUE(fit);
    EXPECT_FALSE(fit->fits_memory());
    const auto problems = fit_problems(*fit);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("use --memory " + std::to_string(fit->memory_needed_mib()) + "M"),
              std::string::npos) << problems[0];
    // The memory it names is enough.
    auto enough = fit_of("pingpong", fit->memory_needed_mib() << 20);
    ASSERT_TRUE(enough);
    EXPECT_TRUE(enough->fits_memory());
}

TEST(MachineFit, TheLoaderFileMustFitTheKernelsRootCNode)
{
    auto fit = fit_of("hello", DefaultGuestMemory);
    ASSERT_TRUE(fit);
    EXPECT_TRUE(fit->fits_root_cnode());
    MachineFit huge = *fit;
    huge.loader_pages = 5000;
    huge.root_slots_needed = 5300;
    EXPECT_FALSE(huge.fits_root_cnode());
    ASSERT_EQ(fit_problems(huge).size(), 1u);
    EXPECT_NE(fit_problems(huge)[0].find("root CNode of 4096 slots"), std::string::npos);
}

TEST(DefaultSearchPath, SystemsUnderSystemsFindTheirProgramsInTheBuildTree)
{
    const auto root = std::filesystem::temp_directory_path() / "tessera-search-path-test";
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "src" / "systems");
    std::filesystem::create_directories(root / "build" / "systems" / "demo");
    std::ofstream(root / "src" / "systems" / "demo.system") << "<system/>";
    std::ofstream(root / "src" / "other.system") << "<system/>";
    const std::string src = (root / "src").string(), build = (root / "build").string();

    const auto found = with_default_search_path((root / "src" / "systems" / "demo.system").string(),
                                                {}, src, build);
    EXPECT_EQ(found, (std::vector<std::string>{(root / "build" / "systems" / "demo").string()}));
    // A search path the user gives is all there is.
    EXPECT_EQ(with_default_search_path((root / "src" / "systems" / "demo.system").string(), {"mine"},
                                       src, build),
              std::vector<std::string>{"mine"});
    // Elsewhere, or with no programs built, nothing is added.
    EXPECT_EQ(with_default_search_path((root / "src" / "other.system").string(), {}, src, build),
              std::vector<std::string>{});
    std::filesystem::remove_all(root / "build" / "systems" / "demo");
    EXPECT_EQ(with_default_search_path((root / "src" / "systems" / "demo.system").string(), {}, src, build),
              std::vector<std::string>{});
    std::filesystem::remove_all(root);
}

} // namespace
} // namespace tessera::sdf

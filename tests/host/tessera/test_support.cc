// Implementation of the shared test helpers.
#include "test_support.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <gtest/gtest.h>
#include <sstream>

#include "checker.h"
#include "parser.h"

#include <unistd.h>

namespace tessera::sdf::test {

System checked_text(const std::string& file_name, const std::string& text,
                    const std::vector<std::pair<std::string, std::string>>& extra_files)
{
    const auto directory = std::filesystem::temp_directory_path() /
                           ("tessera-checked-text-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory);
    for (const auto& [name, contents] : extra_files)
        std::ofstream(directory / name) << contents;
    const auto path = (directory / file_name).string();
    std::ofstream(path) << text;
    Diagnostics diagnostics(path);
    System system = load_and_check(path, diagnostics, {directory.string()});
    EXPECT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    std::filesystem::remove_all(directory);
    return system;
}

const ProtectionDomain* find_pd(const System& system, const std::string& name)
{
    for (const auto& pd : system.protection_domains)
        if (pd.name == name)
            return &pd;
    return nullptr;
}

std::string read_text(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::optional<BuildResult> build_example(const std::string& name)
{
    Diagnostics diagnostics(name + ".system");
    System system = load_and_check(std::string(TESSERA_TEST_SYSTEMS_DIR) + "/" + name + ".system",
                                   diagnostics);
    auto result = build_system(system, BuildOptions{{TESSERA_TEST_PROGRAMS_DIR}}, diagnostics);
    if (!diagnostics.empty())
        ADD_FAILURE() << diagnostics.format_all();
    return result;
}

std::vector<uint8_t> random_bytes(size_t size, uint32_t seed)
{
    std::mt19937 random(seed);
    std::vector<uint8_t> data(size);
    for (auto& byte : data)
        byte = uint8_t(random());
    return data;
}

} // namespace tessera::sdf::test

// Implementation of the shared test helpers.
#include "test_support.h"

#include <fstream>
#include <random>
#include <gtest/gtest.h>
#include <sstream>

#include "checker.h"

namespace tessera::sdf::test {

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

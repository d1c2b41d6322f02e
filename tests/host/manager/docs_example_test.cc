// docs/dynamic.md's example stays true: its <manager> element reads and checks cleanly, with the
// static channel it routes to.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <tessera/manager_config/manager_config.h>

namespace tessera::manager_config {
namespace {

std::string example_system()
{
    std::ifstream in(TESSERA_DYNAMIC_DOC);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string doc = buffer.str();
    // The first example that is a whole system description.
    const size_t start = doc.find("```xml\n<system>");
    if (start == std::string::npos)
        return "";
    const size_t end = doc.find("```", start + 7);
    return doc.substr(start + 7, end - start - 7);
}

TEST(ManagerConfigDocs, TheExampleMixingStaticAndDynamicPartsIsAccepted)
{
    const std::string system = example_system();
    const size_t offset = system.find("<manager");
    ASSERT_NE(offset, std::string::npos);
    auto config = std::make_unique<Config>();
    auto diagnostics = std::make_unique<Diagnostics>();
    ASSERT_TRUE(read_element(Text(system.data(), system.size()), offset, *config, *diagnostics));
    const uint32_t channels[] = {1};
    EXPECT_TRUE(check(*config, Environment{channels, 1, true}, *diagnostics));
    for (size_t i = 0; i < diagnostics->kept(); ++i)
        ADD_FAILURE() << diagnostics->all()[i].message;
    EXPECT_EQ(config->child_count, 2u);
    EXPECT_STREQ(config->pd.c_str(), "manager");
}

} // namespace
} // namespace tessera::manager_config

// The checker against a table of broken descriptions, each with its exact expected errors
// (bad/NAME.system and bad/NAME.expected), and the examples that must pass.
#include <gtest/gtest.h>

#include "checker.h"
#include "parser.h"
#include "test_support.h"

namespace tessera::sdf {
namespace {

std::string check_file(const std::string& directory, const std::string& name)
{
    Diagnostics diagnostics(name);
    load_and_check(directory + "/" + name, diagnostics);
    return diagnostics.format_all();
}

class BadDescription : public ::testing::TestWithParam<const char*> {};

TEST_P(BadDescription, ReportsExactlyTheExpectedErrors)
{
    const std::string name = GetParam();
    const std::string expected = test::read_text(std::string(TESSERA_TEST_BAD_DIR) + "/" + name + ".expected");
    ASSERT_FALSE(expected.empty()) << "missing " << name << ".expected";
    EXPECT_EQ(check_file(TESSERA_TEST_BAD_DIR, name + ".system"), expected);
}

INSTANTIATE_TEST_SUITE_P(Table, BadDescription,
                         ::testing::Values("attributes", "broken_xml", "channels", "duplicates",
                                           "ioports", "irqs_and_children", "machine_memory", "maps",
                                           "domains", "manager", "manager_types", "manager_labels",
                                           "microkit_features",
                                           "setvars", "unknown_element", "values", "wrong_root",
                                           "pci"));

TEST(Checker, AcceptsTheExamples)
{
    for (const char* name :
         {"hello.system", "pingpong.system", "producer_consumer.system", "pipeline.system", "kv.system",
          "block.system"})
        EXPECT_EQ(check_file(TESSERA_TEST_SYSTEMS_DIR, name), "") << name;
}

TEST(Checker, ReportsAllErrorsNotOnlyTheFirst)
{
    // Three independent mistakes in three elements: all three are reported, in file order.
    Diagnostics diagnostics("three.system");
    System system = parse_system(R"(<system>
  <memory_region name="m" size="0x1001" />
  <protection_domain name="a" priority="999"><program_image path="a.elf"/></protection_domain>
  <channel><end pd="a" id="0"/><end pd="b" id="0"/></channel>
</system>)", diagnostics);
    check_system(system, diagnostics);
    EXPECT_EQ(diagnostics.format_all(),
              "three.system:2:27: error: size 0x1001 is not a multiple of the page size 0x1000\n"
              "three.system:3:31: error: priority 999 is out of range, expected 0 to 254\n"
              "three.system:4:32: error: channel end refers to unknown protection domain 'b'\n");
}

TEST(Checker, ChannelAndIrqIdsShareOneSpace)
{
    Diagnostics diagnostics("ids.system");
    System system = parse_system(R"(<system>
  <protection_domain name="a"><program_image path="a.elf"/><irq irq="3" id="5"/></protection_domain>
  <protection_domain name="b"><program_image path="b.elf"/></protection_domain>
  <channel><end pd="a" id="5"/><end pd="b" id="0"/></channel>
</system>)", diagnostics);
    check_system(system, diagnostics);
    EXPECT_EQ(diagnostics.format_all(),
              "ids.system:4:12: error: channel id 5 is already used in protection domain 'a' at "
              "ids.system:2:60\n");
}

TEST(Checker, DefaultsFollowMicrokit)
{
    Diagnostics diagnostics("defaults.system");
    System system = parse_system(R"(<system>
  <memory_region name="m" size="0x1000"/>
  <protection_domain name="a"><program_image path="a.elf"/><map mr="m" vaddr="0x1000"/></protection_domain>
  <channel><end pd="a" id="0"/><end pd="a2" id="0"/></channel>
  <protection_domain name="a2"><program_image path="a.elf"/></protection_domain>
</system>)", diagnostics);
    ASSERT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    const ProtectionDomain& pd = system.protection_domains[0];
    EXPECT_EQ(pd.priority, 0u);
    EXPECT_EQ(pd.budget, 1000u);
    EXPECT_EQ(pd.period, 1000u);
    EXPECT_EQ(pd.stack_size, 0x2000u);
    EXPECT_FALSE(pd.passive);
    EXPECT_EQ(pd.maps[0].perms, PermRead | PermWrite);
    EXPECT_TRUE(pd.maps[0].cached);
    EXPECT_TRUE(system.channels[0].a.notify);
    EXPECT_FALSE(system.channels[0].a.pp);
}

TEST(Checker, UnreadableFileIsAnError)
{
    Diagnostics diagnostics("missing.system");
    load_and_check("/nonexistent/missing.system", diagnostics);
    EXPECT_EQ(diagnostics.format_all(), "missing.system:0:0: error: cannot read the file\n");
}

} // namespace
} // namespace tessera::sdf

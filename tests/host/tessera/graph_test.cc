// DOT output of the example systems.
#include <gtest/gtest.h>

#include "checker.h"
#include "graph.h"
#include "parser.h"

namespace tessera::sdf {
namespace {

TEST(Graph, DrawsDomainsRegionsMapsAndChannels)
{
    Diagnostics diagnostics("pingpong.system");
    System system = load_and_check(std::string(TESSERA_TEST_SYSTEMS_DIR) + "/pingpong.system", diagnostics);
    ASSERT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    const std::string dot = system_to_dot(system);
    EXPECT_EQ(dot.rfind("digraph system {\n", 0), 0u);
    EXPECT_NE(dot.find("\"pd:ping\" [shape=box, label=\"ping\\npriority 100\"];"), std::string::npos) << dot;
    EXPECT_NE(dot.find("\"mr:shared\" [shape=cylinder, label=\"shared\\n0x1000\"];"), std::string::npos) << dot;
    EXPECT_NE(dot.find("\"pd:ping\" -> \"mr:shared\" [style=dashed, arrowhead=none, label=\"rw @0x2000000\"];"),
              std::string::npos) << dot;
    EXPECT_NE(dot.find("\"pd:ping\" -> \"pd:pong\" [dir=both, label=\"0 : 1\\npp ping -> pong\"];"),
              std::string::npos) << dot;
    EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
}

// I/O port ranges hang off their PD; a <cspace> capability points from the holder to the owner.
TEST(Graph, DrawsIoPortsAndCspaceCapabilities)
{
    Diagnostics diagnostics("t.system");
    System system = parse_system(R"(<system>
  <protection_domain name="driver" priority="10">
    <program_image path="driver.elf"/>
    <ioport id="2" addr="0x3f8" size="8"/>
  </protection_domain>
  <protection_domain name="manager" priority="20">
    <program_image path="manager.elf"/>
    <cspace><cap_tcb pd="driver" slot="5"/></cspace>
  </protection_domain>
</system>)", diagnostics);
    ASSERT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    const std::string dot = system_to_dot(system);
    EXPECT_NE(dot.find("\"ioport:driver:2\" [shape=hexagon, label=\"I/O ports\\n0x3f8-0x3ff\"];"),
              std::string::npos) << dot;
    EXPECT_NE(dot.find("\"ioport:driver:2\" -> \"pd:driver\" [label=\"ioport 2\"];"), std::string::npos) << dot;
    EXPECT_NE(dot.find("\"pd:manager\" -> \"pd:driver\" [style=bold, color=gray40, label=\"cspace 5: TCB\"];"),
              std::string::npos) << dot;
}

TEST(Graph, QuotesNames)
{
    System system;
    ProtectionDomain pd;
    pd.name = "say \"hi\"";
    system.protection_domains.push_back(pd);
    EXPECT_NE(system_to_dot(system).find("\"pd:say \\\"hi\\\"\""), std::string::npos);
}

} // namespace
} // namespace tessera::sdf

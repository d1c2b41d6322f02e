// DOT output of the example systems.
#include <gtest/gtest.h>

#include "checker.h"
#include "graph.h"

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

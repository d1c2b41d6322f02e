// Which route a child's request takes: first match by service and client label.
#include <gtest/gtest.h>

#include "config_text.h"

namespace tessera::manager_config {
namespace {

TEST(ManagerConfigRoute, TakesTheFirstRouteWhoseServiceAndLabelMatch)
{
    auto outcome =
        test::load_text("<manager ram=\"4M\" caps=\"200\">\n"
                        "<child name=\"fs\" binary=\"/fs\" ram=\"64K\" caps=\"16\">"
                        "<provides><service name=\"files\"/></provides></child>\n"
                        "<child name=\"app\" binary=\"/app\" ram=\"64K\" caps=\"16\"><route>"
                        "<service name=\"files\" label=\"debug\"><parent/></service>"
                        "<service name=\"files\"><child name=\"fs\"/></service>"
                        "<service name=\"log\" label=\"app\"><channel id=\"3\"/></service>"
                        "</route></child>\n</manager>\n");
    ASSERT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
    const Child& app = *outcome.config->child(Text("app"));
    const Route* debug = app.route_for(Text("files"), Text("debug"));
    ASSERT_NE(debug, nullptr);
    EXPECT_EQ(debug->target, RouteTarget::Parent);
    const Route* plain = app.route_for(Text("files"), Text("app"));
    ASSERT_NE(plain, nullptr);
    EXPECT_EQ(plain->target, RouteTarget::Child);
    EXPECT_STREQ(plain->child.c_str(), "fs");
    ASSERT_NE(app.route_for(Text("log"), Text("app")), nullptr);
    EXPECT_EQ(app.route_for(Text("log"), Text("other")), nullptr); // labelled route only
    EXPECT_EQ(app.route_for(Text("timer"), Text("app")), nullptr); // no route: refused
}

} // namespace
} // namespace tessera::manager_config

// Which route a child's session request takes: the most specific match of service and client
// label (the whole label, the longest prefix, then any), and the checks that refuse label routes
// that could never be taken or say two things at once.
#include <gtest/gtest.h>

#include "config_text.h"

namespace tessera::manager_config {
namespace {

using test::load_text;
using Errors = std::vector<std::string>;

TEST(ManagerConfigRoute, TakesTheMostSpecificRouteWhoseServiceAndLabelMatch)
{
    // Written least specific first: the order does not decide.
    auto outcome =
        load_text("<manager ram=\"4M\" caps=\"200\">\n"
                  "<child name=\"fs\" binary=\"/fs\" ram=\"64K\" caps=\"16\">"
                  "<provides><service name=\"files\"/></provides></child>\n"
                  "<child name=\"fs2\" binary=\"/fs\" ram=\"64K\" caps=\"16\">"
                  "<provides><service name=\"files\"/></provides></child>\n"
                  "<child name=\"app\" binary=\"/app\" ram=\"64K\" caps=\"16\"><route>"
                  "<service name=\"files\"><child name=\"fs\"/></service>"
                  "<service name=\"files\" label_prefix=\"de\"><child name=\"fs2\"/></service>"
                  "<service name=\"files\" label_prefix=\"debug/\"><channel id=\"2\"/></service>"
                  "<service name=\"files\" label=\"debug\"><parent/></service>"
                  "<service name=\"log\" label=\"app\"><channel id=\"3\"/></service>"
                  "</route></child>\n</manager>\n");
    ASSERT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
    const Child& app = *outcome.config->child(Text("app"));
    const Route* whole = app.route_for(Text("files"), Text("debug"));
    ASSERT_NE(whole, nullptr);
    EXPECT_EQ(whole->target, RouteTarget::Parent); // the whole label beats both prefixes
    const Route* longest = app.route_for(Text("files"), Text("debug/trace"));
    ASSERT_NE(longest, nullptr);
    EXPECT_EQ(longest->target, RouteTarget::Channel); // "debug/" beats "de"
    const Route* shorter = app.route_for(Text("files"), Text("dev"));
    ASSERT_NE(shorter, nullptr);
    EXPECT_STREQ(shorter->child.c_str(), "fs2");
    const Route* any = app.route_for(Text("files"), Text("data"));
    ASSERT_NE(any, nullptr);
    EXPECT_STREQ(any->child.c_str(), "fs");
    const Route* empty = app.route_for(Text("files"), Text(""));
    ASSERT_NE(empty, nullptr);
    EXPECT_STREQ(empty->child.c_str(), "fs");       // "" starts with no prefix
    EXPECT_EQ(app.route_for(Text("files"), Text("d"))->child, Text("fs")); // shorter than "de"
    ASSERT_NE(app.route_for(Text("log"), Text("app")), nullptr);
    EXPECT_EQ(app.route_for(Text("log"), Text("other")), nullptr); // labelled route only
    EXPECT_EQ(app.route_for(Text("log"), Text("app2")), nullptr);  // a label is not a prefix
    EXPECT_EQ(app.route_for(Text("timer"), Text("app")), nullptr); // no route: refused
}

TEST(ManagerConfigRoute, MatchRanksWholeLabelsAbovePrefixesAboveAny)
{
    Route any, prefix, whole;
    ASSERT_TRUE(prefix.label_prefix.assign(Text("ab")));
    ASSERT_TRUE(whole.label.assign(Text("ab")));
    EXPECT_EQ(any.match(Text("abc")), 1u);
    EXPECT_EQ(prefix.match(Text("abc")), 4u);
    EXPECT_EQ(prefix.match(Text("ab")), 4u);
    EXPECT_EQ(prefix.match(Text("a")), 0u);
    EXPECT_EQ(prefix.match(Text("xbc")), 0u);
    EXPECT_EQ(whole.match(Text("abc")), 0u);
    EXPECT_GT(whole.match(Text("ab")), prefix.match(Text("ab")));
    EXPECT_FALSE(any.is_labelled());
    EXPECT_TRUE(prefix.is_labelled());
    EXPECT_TRUE(whole.is_labelled());
}

TEST(ManagerConfigRoute, RejectsALabelAndAPrefixOnOneRoute)
{
    EXPECT_EQ(load_text("<manager ram=\"4M\" caps=\"200\">\n"
                        "<child name=\"app\" binary=\"/app\" ram=\"64K\" caps=\"16\"><route>\n"
                        "<service name=\"log\" label=\"a\" label_prefix=\"a\"><channel id=\"3\"/>"
                        "</service></route></child>\n</manager>\n")
                  .errors,
              (Errors{"3:31: a route matches a whole label or a label prefix, not both"}));
}

TEST(ManagerConfigRoute, RejectsRoutesThatAreNeverTaken)
{
    EXPECT_EQ(load_text("<manager ram=\"4M\" caps=\"200\">\n"
                        "<child name=\"app\" binary=\"/app\" ram=\"64K\" caps=\"16\"><route>\n"
                        "<service name=\"log\" label_prefix=\"x\"><channel id=\"3\"/></service>\n"
                        "<service name=\"log\" label=\"x\"><channel id=\"4\"/></service>\n"
                        "<service name=\"log\" label_prefix=\"x\"><channel id=\"5\"/></service>\n"
                        "<service name=\"log\"><channel id=\"5\"/></service>\n"
                        "<service name=\"log\"><channel id=\"6\"/></service>\n"
                        "</route></child>\n</manager>\n")
                  .errors,
              (Errors{"5:1: a second route for 'log' with label prefix 'x' is never used",
                      "7:1: a second route for 'log' with label '' is never used"}));
}

TEST(ManagerConfigRoute, RejectsLabelledRoutesOfAChildThatRunsAManager)
{
    // A nested manager gets its child's routes as channels: no session request, no label.
    EXPECT_EQ(load_text("<manager ram=\"8M\" caps=\"2000\">\n"
                        "<program name=\"manager\" path=\"manager.elf\"/>\n"
                        "<child name=\"nest\" binary=\"manager\" ram=\"2M\" caps=\"500\"><route>\n"
                        "<service name=\"log\" label=\"debug\"><channel id=\"1\"/></service>\n"
                        "<service name=\"log\"><channel id=\"1\"/></service></route>\n"
                        "<manager ram=\"512K\" caps=\"100\"/></child>\n</manager>\n")
                  .errors,
              (Errors{"4:1: the route for 'log' is never used: a child that runs a manager asks for "
                      "no session by label (its routes are its manager's channels)"}));
}

TEST(ManagerConfigRoute, RequiresOneInterfaceForPrefixAndLabelRoutesOfAService)
{
    auto outcome = load_text("<manager ram=\"4M\" caps=\"200\">\n"
                             "<child name=\"app\" binary=\"/app\" ram=\"64K\" caps=\"16\"><route>\n"
                             "<service name=\"b\" label=\"x\" interface=\"Block\"><channel id=\"3\"/>"
                             "</service>\n"
                             "<service name=\"b\" label_prefix=\"x\" interface=\"Files\"><channel "
                             "id=\"4\"/></service>\n"
                             "</route></child>\n</manager>\n");
    EXPECT_EQ(outcome.errors,
              (Errors{"4:1: the route for 'b' with label prefix 'x' leads to interface 'Files' but "
                      "the one with label 'x' (line 3) to 'Block': one service, one interface, "
                      "whatever the label"}));
}

TEST(ManagerConfigRoute, ALabelOrPrefixChangeRestartsTheChild)
{
    auto text = [](const char* attribute) {
        return std::string("<manager ram=\"4M\" caps=\"200\">\n"
                           "<child name=\"app\" binary=\"/app\" ram=\"64K\" caps=\"16\"><route>"
                           "<service name=\"log\" ") +
               attribute + "><channel id=\"3\"/></service></route></child>\n</manager>\n";
    };
    auto label = load_text(text("label=\"x\"")), prefix = load_text(text("label_prefix=\"x\""));
    ASSERT_TRUE(label.accepted && prefix.accepted);
    const Difference change = difference(*label.config, *prefix.config);
    ASSERT_EQ(change.restart_count, 1u);
    EXPECT_STREQ(change.restart[0].c_str(), "app");
}

} // namespace
} // namespace tessera::manager_config

// Nested managers: a <manager> inside a <child>, read where it is and checked in the world its
// parent gives it (docs/dynamic.md, "Nested managers"). Each bad configuration gets exactly its
// expected errors.
#include <gtest/gtest.h>

#include "config_text.h"

namespace tessera::manager_config {
namespace {

using test::load_text;
using Errors = std::vector<std::string>;

// Line 1 is the parent; the nested <manager> is on line 4, its child on line 5.
std::string parent(const std::string& nested_quotas, const std::string& inner,
                   const std::string& outer_routes = "<service name=\"log\"><channel id=\"1\"/></service>")
{
    return "<manager ram=\"16M\" caps=\"4000\">\n"
           "<program name=\"manager\" path=\"manager.elf\"/><program name=\"beacon\" path=\"b.elf\"/>\n"
           "<child name=\"nest\" binary=\"manager\" ram=\"4M\" caps=\"1500\"><route>" + outer_routes +
           "</route>\n"
           "<manager " + nested_quotas + "><program name=\"beacon\" path=\"x\"/>\n" + inner +
           "</manager></child>\n</manager>\n";
}

const std::string Beacon = "<child name=\"b\" binary=\"beacon\" ram=\"128K\" caps=\"40\"><route>"
                           "<service name=\"log\"><parent/></service></route></child>\n";

TEST(ManagerNested, ReadsWhereTheNestedManagerIsAndChecksIt)
{
    const std::string text = parent("ram=\"512K\" caps=\"200\"", Beacon);
    Environment top;
    top.without_parent = true;
    auto outcome = load_text(text, top);
    ASSERT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
    const Child& nest = outcome.config->children[0];
    ASSERT_TRUE(nest.manager.present);
    EXPECT_EQ(text.substr(nest.manager.offset, nest.manager.length),
              text.substr(text.find("<manager ram=\"512K\""),
                          text.find("</manager></child>") + 10 - text.find("<manager ram=\"512K\"")));
    EXPECT_EQ(nest.manager.where, (Location{4, 1}));

    // Read on its own, it is a configuration of its own.
    auto nested = std::make_unique<Config>();
    auto diagnostics = std::make_unique<Diagnostics>();
    ASSERT_TRUE(read_nested(Text(text.data(), text.size()), *outcome.config, nest, top, *nested, *diagnostics));
    EXPECT_EQ(raw(nested->ram), 512u * 1024);
    EXPECT_EQ(nested->child_count, 1u);
    EXPECT_EQ(nested->children[0].routes[0].target, RouteTarget::Parent);
}

TEST(ManagerNested, RejectsQuotasBeyondTheChildsAndRamThatIsNotWholeChunks)
{
    EXPECT_EQ(load_text(parent("ram=\"4M\" caps=\"200\"", Beacon)).errors,
              (Errors{"4:10: a nested manager's ram must be a multiple of 65536 bytes (its parent's "
                      "chunks), at most 2097152"}));
    EXPECT_EQ(load_text(parent("ram=\"100K\" caps=\"200\"", "")).errors,
              (Errors{"4:10: a nested manager's ram must be a multiple of 65536 bytes (its parent's "
                      "chunks), at most 2097152"}));
    EXPECT_EQ(load_text(parent("ram=\"512K\" caps=\"1490\"", Beacon)).errors,
              (Errors{"4:21: the nested manager's caps 1490 leave too few of its child 'nest''s 1500 "
                      "to run it (at least 16)"}));
    // Its own children within its own quotas, as for any manager.
    EXPECT_EQ(load_text(parent("ram=\"128K\" caps=\"200\"", Beacon + Beacon)).errors,
              (Errors{"6:1: a second child named 'b'",
                      "6:33: the children's ram adds up to 262144 bytes here, more than the "
                      "manager's 131072"}));
}

TEST(ManagerNested, ParentRoutesNeedTheChildsRouteAndProgramsTheParentsFiles)
{
    EXPECT_EQ(load_text(parent("ram=\"512K\" caps=\"200\"", Beacon,
                               "<service name=\"other\"><channel id=\"1\"/></service>"))
                  .errors,
              (Errors{"5:81: the route for 'log' goes to the parent, but its child 'nest' has no "
                      "route for it"}));
    const std::string unknown = "<child name=\"c\" binary=\"crasher\" ram=\"64K\" caps=\"16\"/>\n";
    EXPECT_EQ(load_text(parent("ram=\"512K\" caps=\"200\"", unknown)).errors,
              (Errors{"5:17: unknown binary 'crasher': no <program name='crasher'> and not a "
                      "file-system path"}));
    std::string text = parent("ram=\"512K\" caps=\"200\"", "");
    text.replace(text.find("<program name=\"beacon\" path=\"x\"/>"), 34, "<program name=\"sleeper\" path=\"x\"/>");
    EXPECT_EQ(load_text(text).errors, (Errors{"4:32: the manager's image packs no program 'sleeper'"}));
    // A nested manager has no static channel and no pd.
    text = parent("ram=\"512K\" caps=\"200\" pd=\"x\"",
                  "<child name=\"c\" binary=\"beacon\" ram=\"64K\" caps=\"16\"><route><service "
                  "name=\"log\"><channel id=\"1\"/></service></route></child>\n");
    EXPECT_EQ(load_text(text).errors,
              (Errors{"4:32: a nested manager takes no pd: it runs in its child",
                      "5:80: the manager has no channel with id 1"}));
}

TEST(ManagerNested, AChildThatRunsAManagerServesNoOneAndAChangeRestartsIt)
{
    std::string text = parent("ram=\"512K\" caps=\"200\"", Beacon);
    text.replace(text.find("<route>"), 7, "<provides><service name=\"s\"/></provides><route>");
    EXPECT_EQ(load_text(text).errors,
              (Errors{"4:1: a child that runs a manager takes no <provides>"}));
    // Without room to read it, a nested manager is not accepted unchecked.
    text = parent("ram=\"512K\" caps=\"200\"", Beacon);
    auto config = std::make_unique<Config>();
    auto diagnostics = std::make_unique<Diagnostics>();
    EXPECT_FALSE(load(Text(text.data(), text.size()), {}, *config, *diagnostics));

    auto before = load_text(parent("ram=\"512K\" caps=\"200\"", Beacon));
    auto same = load_text(parent("ram=\"512K\" caps=\"200\"", Beacon));
    auto changed = load_text(parent("ram=\"1M\" caps=\"200\"", Beacon));
    ASSERT_TRUE(before.accepted && same.accepted && changed.accepted);
    EXPECT_TRUE(difference(*before.config, *same.config).is_empty());
    const Difference restart = difference(*before.config, *changed.config);
    EXPECT_EQ(test::names(restart.restart, restart.restart_count), (std::vector<std::string>{"nest"}));
}

} // namespace
} // namespace tessera::manager_config

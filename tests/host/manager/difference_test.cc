// The difference between a running configuration and a new one: which children start, stop,
// restart and keep running.
#include <gtest/gtest.h>

#include "config_text.h"

namespace tessera::manager_config {
namespace {

using test::names;
using Names = std::vector<std::string>;

std::unique_ptr<Config> config(const std::string& body)
{
    auto outcome = test::load_text("<manager ram=\"64M\" caps=\"1000\">\n"
                                   "<program name=\"srv\" path=\"server.elf\"/>\n" +
                                   body + "</manager>\n");
    EXPECT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
    return std::move(outcome.config);
}

const std::string Server = "<child name=\"server\" binary=\"srv\" ram=\"1M\" caps=\"20\">"
                           "<provides><service name=\"s\"/></provides></child>\n";
const std::string Client =
    "<child name=\"client\" binary=\"/c\" ram=\"1M\" caps=\"20\"><route>"
    "<service name=\"s\"><child name=\"server\"/></service></route></child>\n";
const std::string Other = "<child name=\"other\" binary=\"/o\" ram=\"1M\" caps=\"20\"/>\n";

TEST(ManagerConfigDifference, KeepsEverythingWhenNothingChanged)
{
    auto running = config(Server + Client);
    auto next = config("\n\n<!-- only layout and comments differ -->\n" + Server + Client);
    const Difference d = difference(*running, *next);
    EXPECT_TRUE(d.is_empty());
    EXPECT_EQ(names(d.keep, d.keep_count), (Names{"server", "client"}));
}

TEST(ManagerConfigDifference, StartsNewChildrenAndStopsRemovedOnesInReverse)
{
    auto running = config(Other + Server + Client);
    auto next = config(Server);
    const Difference stopped = difference(*running, *next);
    EXPECT_EQ(names(stopped.stop, stopped.stop_count), (Names{"client", "other"}));
    EXPECT_EQ(names(stopped.keep, stopped.keep_count), (Names{"server"}));
    const Difference started = difference(*next, *running);
    EXPECT_EQ(names(started.start, started.start_count), (Names{"other", "client"}));
    EXPECT_EQ(started.stop_count, 0u);
}

TEST(ManagerConfigDifference, RestartsAChildWhoseVersionChanged)
{
    auto running = config(Server + Client);
    std::string bumped = Server;
    bumped.replace(bumped.find("caps=\"20\""), 9, "caps=\"20\" version=\"2\"");
    const Difference d = difference(*running, *config(bumped + Client));
    EXPECT_EQ(names(d.restart, d.restart_count), (Names{"server"}));
    EXPECT_EQ(names(d.keep, d.keep_count), (Names{"client"}));
}

TEST(ManagerConfigDifference, RestartsOnAnyChangeOfQuotaRouteOrPolicy)
{
    auto running = config(Server + Client + Other);
    const std::string changed_route =
        "<child name=\"client\" binary=\"/c\" ram=\"1M\" caps=\"20\"><route>"
        "<service name=\"s\" label=\"x\"><child name=\"server\"/></service></route></child>\n";
    const std::string changed_policy = "<child name=\"other\" binary=\"/o\" ram=\"1M\" caps=\"20\">"
                                       "<restart policy=\"always\"/></child>\n";
    const Difference d = difference(*running, *config(Server + changed_route + changed_policy));
    EXPECT_EQ(names(d.restart, d.restart_count), (Names{"client", "other"}));
    std::string more_ram = Other;
    more_ram.replace(more_ram.find("1M"), 2, "2M");
    const Difference q = difference(*running, *config(Server + Client + more_ram));
    EXPECT_EQ(names(q.restart, q.restart_count), (Names{"other"}));
}

TEST(ManagerConfigDifference, RestartsAChildWhoseProgramFileChanged)
{
    auto running = config(Server);
    auto next = test::load_text("<manager ram=\"64M\" caps=\"1000\">\n"
                                "<program name=\"srv\" path=\"server-v2.elf\"/>\n" +
                                Server + "</manager>\n");
    ASSERT_TRUE(next.accepted);
    const Difference d = difference(*running, *next.config);
    EXPECT_EQ(names(d.restart, d.restart_count), (Names{"server"}));
}

} // namespace
} // namespace tessera::manager_config

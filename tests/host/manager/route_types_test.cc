// Routes are typed (user/lib/manager_config/src/check_types.cc): interface names must be the
// system's, a route's interface must be its target's, and the routes for one service must lead to
// one interface whatever their client labels. Each case gets exactly its expected errors.
#include <gtest/gtest.h>

#include "config_text.h"

namespace tessera::manager_config {
namespace {

using test::load_text;
using Errors = std::vector<std::string>;

// The system around the manager: channels 1 (typed kv), 2 (typed Block) and 3 (plain), and the
// interfaces kv, Block and Files.
struct System {
    uint32_t channels[3] = {1, 2, 3};
    Text carried[3] = {Text("kv"), Text("Block"), Text()};
    Text declared[3] = {Text("kv"), Text("Block"), Text("Files")};

    Environment environment() const
    {
        Environment known{channels, 3, true};
        known.channel_interfaces = carried;
        known.interfaces = declared;
        known.interface_count = 3;
        known.interfaces_known = true;
        return known;
    }
};

std::string manager(const std::string& body)
{
    return "<manager ram=\"4M\" caps=\"200\">\n" + body + "</manager>\n";
}

TEST(ManagerConfigRouteTypes, RejectsInterfaceNamesTheSystemDoesNotDeclare)
{
    const System system;
    auto outcome =
        load_text(manager("<child name=\"s\" binary=\"/s\" ram=\"64K\" caps=\"16\">\n"
                          " <provides><service name=\"a\" interface=\"Files\"/><service name=\"b\" "
                          "interface=\"Blok\"/></provides></child>\n"
                          "<child name=\"c\" binary=\"/c\" ram=\"64K\" caps=\"16\"><route>\n"
                          " <service name=\"x\" interface=\"kvv\"><channel id=\"3\"/></service>\n"
                          "</route></child>\n"),
                  system.environment());
    EXPECT_EQ(
        outcome.errors,
        (Errors{"3:49: interface 'Blok' is not declared in the system (no <interface name=...>)",
                "5:2: interface 'kvv' is not declared in the system (no <interface name=...>)"}));
}

TEST(ManagerConfigRouteTypes, LooksUpNoInterfaceNameWhenTheSystemIsNotKnown)
{
    // A file the manager loads at run time: it knows neither the system's interfaces nor what its
    // channels carry, so only what the configuration itself says is compared.
    auto outcome =
        load_text(manager("<child name=\"c\" binary=\"/c\" ram=\"64K\" caps=\"16\"><route>\n"
                          " <service name=\"x\" interface=\"Anything\"><channel id=\"1\"/>"
                          "</service></route></child>\n"));
    EXPECT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
}

TEST(ManagerConfigRouteTypes, RejectsARouteWhoseInterfaceIsNotItsChannels)
{
    const System system;
    auto outcome =
        load_text(manager("<child name=\"c\" binary=\"/c\" ram=\"64K\" caps=\"16\"><route>\n"
                          " <service name=\"x\" interface=\"Block\"><channel id=\"1\"/></service>\n"
                          " <service name=\"y\" interface=\"Block\"><channel id=\"2\"/></service>\n"
                          " <service name=\"z\" interface=\"Files\"><channel id=\"3\"/></service>\n"
                          "</route></child>\n"),
                  system.environment());
    // Channel 2 carries Block; channel 3 is plain, so its route's interface is taken on trust.
    EXPECT_EQ(outcome.errors,
              (Errors{"3:2: the route wants interface 'Block' but channel 1 carries 'kv'"}));
}

TEST(ManagerConfigRouteTypes, RejectsLabelsOfOneServiceThatLeadToDifferentInterfaces)
{
    const System system;
    auto outcome = load_text(
        manager("<child name=\"s\" binary=\"/s\" ram=\"64K\" caps=\"16\">\n"
                " <provides><service name=\"store\" interface=\"Files\"/></provides></child>\n"
                "<child name=\"c\" binary=\"/c\" ram=\"64K\" caps=\"16\"><route>\n"
                " <service name=\"store\"><channel id=\"1\"/></service>\n"
                " <service name=\"store\" label=\"backup\"><child name=\"s\"/></service>\n"
                " <service name=\"blocks\" label=\"a\" interface=\"Block\"><channel "
                "id=\"3\"/></service>\n"
                " <service name=\"blocks\" label=\"b\"><channel id=\"1\"/></service>\n"
                "</route></child>\n"),
        system.environment());
    // The interfaces come from the targets (channel 1's connection, the child's <provides>) as
    // much as from the routes' own attributes.
    EXPECT_EQ(
        outcome.errors,
        (Errors{"6:2: the route for 'store' with label 'backup' leads to interface 'Files' but "
                "the one without a label (line 5) to 'kv': one service, one interface, "
                "whatever the label",
                "8:2: the route for 'blocks' with label 'b' leads to interface 'kv' but the one "
                "with label 'a' (line 7) to 'Block': one service, one interface, whatever the "
                "label"}));
}

TEST(ManagerConfigRouteTypes, AcceptsLabelledRoutesToOneInterfaceAndUntypedTargets)
{
    const System system;
    auto outcome = load_text(
        manager(
            "<child name=\"s\" binary=\"/s\" ram=\"64K\" caps=\"16\">\n"
            " <provides><service name=\"store\" interface=\"kv\"/><service "
            "name=\"raw\"/></provides>"
            "</child>\n"
            "<child name=\"c\" binary=\"/c\" ram=\"64K\" caps=\"16\"><route>\n"
            " <service name=\"store\"><channel id=\"1\"/></service>\n"
            " <service name=\"store\" label=\"backup\" interface=\"kv\"><child "
            "name=\"s\"/></service>\n"
            " <service name=\"raw\"><channel id=\"3\"/></service>\n"
            " <service name=\"raw\" label=\"x\"><child name=\"s\"/></service>\n"
            " <service name=\"raw\" label=\"y\" interface=\"Block\"><channel id=\"2\"/></service>\n"
            "</route></child>\n"),
        system.environment());
    EXPECT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
}

} // namespace
} // namespace tessera::manager_config

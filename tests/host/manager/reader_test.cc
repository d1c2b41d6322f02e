// Reading <manager>: every element and attribute it names lands in the model, and everything
// else is reported with its line and column.
#include <gtest/gtest.h>

#include "config_text.h"

namespace tessera::manager_config {
namespace {

using test::read_text;
using Errors = std::vector<std::string>;

const char* const Example = R"(<?xml version="1.0"?>
<!-- a file server and a client -->
<manager name="init" ram="16M" caps="1000" max_priority="200">
    <program name="fs" path="ext2_server.elf"/>
    <device name="blk0"/>
    <child name="server" binary="fs" priority="150" ram="2M" caps="0x40" version="3">
        <provides><service name="files" interface="FileSystem"/></provides>
        <route>
            <service name="log" label="server"><channel id="4"/></service>
            <service name="block"><parent/></service>
        </route>
        <restart policy="on-fault" limit="5" backoff_ms="20"/>
        <heartbeat period_ms="100"/>
        <device name="blk0"/>
    </child>
    <child name="client" binary="/bin/cat.elf" ram="256K" caps="32">
        <route><service name="files" interface="FileSystem"><child name="server"/></service></route>
    </child>
</manager>
)";

TEST(ManagerConfigReader, ReadsEveryElementAndAttributeOfTheExample)
{
    auto outcome = read_text(Example);
    ASSERT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
    const Config& config = *outcome.config;
    EXPECT_STREQ(config.name.c_str(), "init");
    EXPECT_EQ(raw(config.ram), 16u << 20);
    EXPECT_EQ(raw(config.caps), 1000u);
    EXPECT_EQ(config.max_priority, 200u);
    ASSERT_EQ(config.program_count, 1u);
    EXPECT_STREQ(config.programs[0].path.c_str(), "ext2_server.elf");
    ASSERT_EQ(config.device_count, 1u);
    ASSERT_EQ(config.child_count, 2u);

    const Child& server = config.children[0];
    EXPECT_STREQ(server.binary.c_str(), "fs");
    EXPECT_EQ(server.priority, 150u);
    EXPECT_EQ(raw(server.ram), 2u << 20);
    EXPECT_EQ(raw(server.caps), 64u);
    EXPECT_STREQ(server.version.c_str(), "3");
    ASSERT_EQ(server.provides_count, 1u);
    EXPECT_STREQ(server.provides[0].interface.c_str(), "FileSystem");
    ASSERT_EQ(server.route_count, 2u);
    EXPECT_EQ(server.routes[0].target, RouteTarget::Channel);
    EXPECT_EQ(server.routes[0].channel, 4u);
    EXPECT_STREQ(server.routes[0].label.c_str(), "server");
    EXPECT_EQ(server.routes[1].target, RouteTarget::Parent);
    EXPECT_EQ(server.restart.policy, RestartPolicy::OnFault);
    EXPECT_EQ(server.restart.limit, 5u);
    EXPECT_EQ(server.restart.backoff_ms, 20u);
    EXPECT_TRUE(server.heartbeat.enabled);
    EXPECT_EQ(server.heartbeat.period_ms, 100u);
    EXPECT_EQ(server.heartbeat.misses, 3u); // the default
    ASSERT_EQ(server.device_count, 1u);
    EXPECT_EQ(server.where, (Location{6, 5}));
    EXPECT_EQ(server.ram_where, (Location{6, 53}));

    const Child& client = config.children[1];
    EXPECT_EQ(client.priority, 0u);
    EXPECT_EQ(raw(client.ram), 256u << 10);
    EXPECT_EQ(client.restart.policy, RestartPolicy::Never);
    EXPECT_FALSE(client.heartbeat.enabled);
    ASSERT_EQ(client.route_count, 1u);
    EXPECT_EQ(client.routes[0].target, RouteTarget::Child);
    EXPECT_STREQ(client.routes[0].child.c_str(), "server");
    EXPECT_TRUE(client.routes[0].label.is_empty());
}

TEST(ManagerConfigReader, RejectsUnknownElementsAndAttributesWithTheirPlace)
{
    auto outcome =
        read_text("<manager ram=\"1M\" caps=\"10\" colour=\"red\">\n"
                  "  <child name=\"a\" binary=\"/a\" ram=\"64K\" caps=\"16\" nice=\"1\">\n"
                  "    <sandbox/>\n"
                  "  </child>\n"
                  "  <timer/>\n"
                  "</manager>\n");
    EXPECT_FALSE(outcome.accepted);
    EXPECT_EQ(
        outcome.errors,
        (Errors{"1:29: unknown attribute 'colour' on <manager>; expected name, pd, ram, caps, "
                "max_priority",
                "2:51: unknown attribute 'nice' on <child>; expected name, binary, pd, priority, "
                "ram, caps, version",
                "3:5: unknown element <sandbox> in <child>; expected provides, route, "
                "restart, heartbeat, device, manager",
                "5:3: unknown element <timer> in <manager>; expected child, program, device"}));
}

TEST(ManagerConfigReader, ReportsMalformedXmlAndStops)
{
    EXPECT_EQ(read_text("<manager ram=\"1M\" caps=\"1\">\n  <child name=a/>\n</manager>").errors,
              (Errors{"2:15: malformed XML: expected a quoted attribute value (no '<'; entities: "
                      "amp lt gt quot apos)"}));
    EXPECT_EQ(
        read_text("<manager ram=\"1M\" caps=\"1\">\n  <program name=\"x\" path=\"y\">\n</manager>")
            .errors,
        (Errors{"3:1: expected </program>, found </manager>"}));
    EXPECT_EQ(read_text("<manager ram=\"1M\" caps=\"1\">").errors,
              (Errors{"1:28: the file ends before </manager>"}));
    EXPECT_EQ(read_text("<manager ram=\"1M\" caps=\"1\">hello</manager>").errors,
              (Errors{"1:28: malformed XML: text is not allowed in a manager configuration"}));
    EXPECT_EQ(read_text("<system/>").errors,
              (Errors{"1:1: root element is <system>, expected <manager>"}));
    EXPECT_EQ(read_text("").errors, (Errors{"1:1: expected <manager>"}));
    EXPECT_EQ(read_text("<manager ram=\"1M\" caps=\"1\"/><manager ram=\"1M\" caps=\"1\"/>").errors,
              (Errors{"1:29: nothing may follow </manager>"}));
    EXPECT_EQ(read_text("<manager ram=\"1M\" ram=\"2M\" caps=\"1\"/>").errors,
              (Errors{"1:19: malformed XML: the same attribute is written twice"}));
}

TEST(ManagerConfigReader, ReportsMissingAndBadValues)
{
    auto outcome =
        read_text("<manager ram=\"lots\" caps=\"-1\">\n"
                  "  <child binary=\"\" ram=\"1T\" caps=\"99999999999\" priority=\"255\"/>\n"
                  "  <child name=\"b\" binary=\"/b\" ram=\"18446744073709551615K\" caps=\"16\">\n"
                  "    <restart policy=\"sometimes\"/>\n"
                  "    <restart policy=\"never\" limit=\"3\"/>\n"
                  "    <heartbeat period_ms=\"0\" misses=\"0\"/>\n"
                  "  </child>\n"
                  "</manager>\n");
    EXPECT_EQ(outcome.errors,
              (Errors{"1:10: ram 'lots' is not a size (bytes, or a number with K, M or G)",
                      "1:21: caps '-1' is not a number from 0 to 4294967295",
                      "2:3: <child> needs the attribute name", "2:10: binary must not be empty",
                      "2:48: priority '255' is not a number from 0 to 254",
                      "2:20: ram '1T' is not a size (bytes, or a number with K, M or G)",
                      "2:29: caps '99999999999' is not a number from 0 to 4294967295",
                      "3:31: ram '18446744073709551615K' is not a size (bytes, or a number with K, "
                      "M or G)",
                      "4:14: policy 'sometimes' is not one of never, always, on-fault",
                      "5:5: a second <restart> in <child>",
                      "5:29: limit has no meaning with policy 'never'",
                      "6:16: period_ms must be at least 1", "6:30: misses must be at least 1"}));
}

// A program is a file (path=) or, in a .system, a template protection domain (pd=).
TEST(ManagerConfigReader, ReadsAProgramFromATemplatePdAndRejectsBothSources)
{
    auto outcome = read_text("<manager ram=\"1M\" caps=\"10\">\n"
                             "  <program name=\"driver\" pd=\"virtio_blk\"/>\n"
                             "</manager>\n");
    ASSERT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
    ASSERT_EQ(outcome.config->program_count, 1u);
    const Program& program = outcome.config->programs[0];
    EXPECT_TRUE(program.is_template());
    EXPECT_STREQ(program.pd.c_str(), "virtio_blk");
    EXPECT_TRUE(program.path.is_empty());
    EXPECT_EQ(program.pd_where.column, 26u);

    outcome = read_text("<manager ram=\"1M\" caps=\"10\">\n"
                        "  <program name=\"a\" pd=\"x\" path=\"a.elf\"/>\n"
                        "  <program name=\"b\"/>\n"
                        "</manager>\n");
    EXPECT_EQ(outcome.errors, (Errors{"2:21: a program takes path= or pd=, not both",
                                      "3:3: <program> needs the attribute path"}));
}

TEST(ManagerConfigReader, ReportsRoutesWithoutOrWithTwoTargets)
{
    auto outcome = read_text("<manager ram=\"1M\" caps=\"100\">\n"
                             " <child name=\"a\" binary=\"/a\" ram=\"64K\" caps=\"16\"><route>\n"
                             "  <service name=\"x\"/>\n"
                             "  <service name=\"y\"><parent/><child name=\"b\"/></service>\n"
                             "  <service name=\"z\"><channel id=\"63\"/></service>\n"
                             " </route></child>\n"
                             "</manager>\n");
    EXPECT_EQ(outcome.errors,
              (Errors{"3:3: the route for 'x' has no target (channel, child or parent)",
                      "4:30: a route's <service> has exactly one target",
                      "5:30: id '63' is not a number from 0 to 62"}));
}

TEST(ManagerConfigReader, DecodesEntitiesAndRejectsOverlongNames)
{
    auto outcome =
        read_text("<manager name=\"a&amp;b&lt;&apos;&quot;&gt;\" ram=\"1M\" caps=\"1\"/>");
    ASSERT_TRUE(outcome.accepted);
    EXPECT_STREQ(outcome.config->name.c_str(), "a&b<'\">");
    EXPECT_EQ(read_text("<manager name=\"&nbsp;\" ram=\"1M\" caps=\"1\"/>").errors.size(), 1u);
    const std::string long_name(NameCapacity + 1, 'n');
    EXPECT_EQ(read_text("<manager name=\"" + long_name + "\" ram=\"1M\" caps=\"1\"/>").errors,
              (Errors{"1:10: name is longer than 47 bytes"}));
}

TEST(ManagerConfigReader, ReportsMoreChildrenThanItHoldsOnceEach)
{
    std::string text = "<manager ram=\"1G\" caps=\"100000\">\n";
    for (size_t i = 0; i <= MaxChildren; ++i)
        text +=
            "<child name=\"c" + std::to_string(i) + "\" binary=\"/c\" ram=\"64K\" caps=\"16\"/>\n";
    text += "</manager>\n";
    auto outcome = read_text(text);
    EXPECT_EQ(outcome.errors, (Errors{"34:1: more than 32 children"}));
    EXPECT_EQ(outcome.config->child_count, MaxChildren);
}

TEST(ManagerConfigReader, ReadsTheElementInsideASystemFileWithTheFilesLocations)
{
    const std::string system =
        "<system>\n"
        "  <protection_domain name=\"manager\"/>\n"
        "  <manager ram=\"1M\" caps=\"100\">\n"
        "    <child name=\"a\" binary=\"/a\" ram=\"64K\" caps=\"16\" bad=\"1\"/>\n"
        "  </manager>\n"
        "</system>\n";
    const size_t offset = system.find("<manager");
    auto config = std::make_unique<Config>();
    auto diagnostics = std::make_unique<Diagnostics>();
    EXPECT_FALSE(read_element(Text(system.data(), system.size()), offset, *config, *diagnostics));
    ASSERT_EQ(diagnostics->kept(), 1u);
    EXPECT_EQ(diagnostics->all()[0].where, (Location{4, 53}));
    EXPECT_EQ(config->child_count, 1u);
    EXPECT_EQ(config->where, (Location{3, 3}));
}

} // namespace
} // namespace tessera::manager_config

// The generator and the interface checks in the tool: golden headers, what connections lower
// into, what strip writes, and a table of broken descriptions with their exact errors.
#include <gtest/gtest.h>

#include <algorithm>

#include "checker.h"
#include "gen.h"
#include "interfaces_fingerprint.h"
#include "parser.h"
#include "strip.h"
#include "test_support.h"

namespace tessera::sdf {
namespace {

const std::string Here = TESSERA_INTERFACES_TEST_DIR;

System load_demo(Diagnostics& diagnostics)
{
    return load_and_check(Here + "/demo.system", diagnostics);
}

TEST(Generator, WritesTheGoldenHeaders)
{
    Diagnostics diagnostics("demo.system");
    const System system = load_demo(diagnostics);
    ASSERT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    const std::vector<GeneratedFile> files = generate_interface_headers(system, "demo.system");
    ASSERT_EQ(files.size(), 4u);
    for (const GeneratedFile& file : files) {
        const std::string golden = test::read_text(Here + "/golden/" + file.name);
        EXPECT_EQ(file.text, golden)
            << file.name << " differs from golden/" << file.name << "; if the change is meant, run "
            << "build/tools/tessera/tessera gen tests/host/tessera/interfaces/demo.system -o "
            << "tests/host/tessera/interfaces/golden";
    }
}

TEST(Generator, SameDescriptionSameHeaders)
{
    Diagnostics first("demo.system"), second("demo.system");
    EXPECT_EQ(generate_interface_headers(load_demo(first), "demo.system")[0].text,
              generate_interface_headers(load_demo(second), "demo.system")[0].text);
}

TEST(Lowering, ConnectionsBecomeChannelsRegionsAndMaps)
{
    Diagnostics diagnostics("demo.system");
    const System system = load_demo(diagnostics);
    ASSERT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    // demo: a call channel and the ping channel per user; calc: one call channel, ids pinned.
    ASSERT_EQ(system.channels.size(), 5u);
    const Channel& call = system.channels[0];
    EXPECT_EQ(call.a.pd, "client1");
    EXPECT_EQ(call.a.id, 0u);
    EXPECT_TRUE(call.a.pp);
    EXPECT_FALSE(call.a.notify);
    EXPECT_EQ(call.b.pd, "server");
    EXPECT_FALSE(call.b.pp);
    EXPECT_FALSE(call.b.notify);
    const Channel& ping = system.channels[1];
    EXPECT_EQ(ping.a.id, 1u);
    EXPECT_FALSE(ping.a.pp);
    EXPECT_TRUE(ping.b.notify);
    EXPECT_FALSE(ping.a.notify);
    EXPECT_EQ(system.channels[2].b.id, 2u); // client2's call, at the server
    EXPECT_EQ(system.channels[4].a.id, 7u);
    EXPECT_EQ(system.channels[4].b.id, 9u);
    // Two dataports per connection of demo, each its own region, mapped at both ends.
    ASSERT_EQ(system.memory_regions.size(), 4u);
    EXPECT_EQ(system.memory_regions[0].name, "client1.demo.xfer");
    EXPECT_EQ(system.memory_regions[0].size, 0x1000u);
    const ProtectionDomain& server = *system.find_pd("server");
    ASSERT_EQ(server.maps.size(), 4u);
    EXPECT_EQ(server.maps[0].vaddr, DataportBase);
    EXPECT_EQ(server.maps[1].vaddr, DataportBase + 0x2000); // a guard page between
    EXPECT_EQ(server.maps[0].perms, PermRead | PermWrite);
    // The restricted user may call add (1) and greet (3) only.
    EXPECT_EQ(system.interfaces.connections[1].allowed_methods, (1ull << 1) | (1ull << 3));
}

TEST(Lowering, DataportsSkipTheProtectionDomainsOwnMaps)
{
    Diagnostics diagnostics("maps.system");
    const System system = parse_system(R"(<system>
  <interface name="i"><dataport name="d" type="uint8[8192]"/></interface>
  <memory_region name="m" size="0x1000"/>
  <protection_domain name="a" priority="1"><program_image path="a.elf"/>
    <map mr="m" vaddr="0x1000001000"/><uses interface="i"/></protection_domain>
  <protection_domain name="b" priority="2"><program_image path="b.elf"/><provides interface="i"/></protection_domain>
  <connection><end pd="a" uses="i"/><end pd="b" provides="i"/></connection>
</system>)", diagnostics);
    check_system(system, diagnostics);
    ASSERT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    // No methods: no call channel; no events: no channel at all; one 2-page region.
    EXPECT_TRUE(system.channels.empty());
    EXPECT_EQ(system.find_pd("a")->maps.back().vaddr, 0x1000003000u);
    EXPECT_EQ(system.find_pd("b")->maps.back().vaddr, DataportBase);
}

TEST(Fingerprint, ChangesWithTheContractNotWithDocumentation)
{
    auto fingerprint = [](const std::string& method) {
        Diagnostics diagnostics("f.system");
        System system = parse_system("<system><interface name=\"i\">" + method + "</interface></system>", diagnostics);
        EXPECT_TRUE(diagnostics.empty()) << diagnostics.format_all();
        return interface_fingerprint(system.interfaces.interfaces.at(0));
    };
    const uint32_t base = fingerprint(R"(<method name="m"><param name="a" type="uint32"/></method>)");
    EXPECT_EQ(base, fingerprint(R"(<method name="m" doc="new words"><param name="a" type="uint32"/></method>)"));
    EXPECT_NE(base, fingerprint(R"(<method name="m"><param name="a" type="int32"/></method>)"));
    EXPECT_NE(base, fingerprint(R"(<method name="m"><param name="b" type="uint32"/></method>)"));
    EXPECT_NE(base, fingerprint(R"(<method name="m"><param name="a" type="uint32" direction="inout"/></method>)"));
    EXPECT_NE(base, fingerprint(R"(<method name="n"><param name="a" type="uint32"/></method>)"));
}

TEST(Generation, ChangesWithChannelIds)
{
    auto generation = [](const std::string& pin) {
        Diagnostics diagnostics("g.system");
        System system = parse_system(R"(<system><interface name="i"><method name="m"/></interface>
  <protection_domain name="a" priority="1"><program_image path="a.elf"/><uses interface="i"/></protection_domain>
  <protection_domain name="b" priority="2"><program_image path="b.elf"/><provides interface="i"/></protection_domain>
  <connection><end pd="a" uses="i")" + pin + R"(/><end pd="b" provides="i"/></connection></system>)",
                                     diagnostics);
        EXPECT_TRUE(diagnostics.empty()) << diagnostics.format_all();
        return interface_generation(system, 0);
    };
    EXPECT_EQ(generation(""), generation(" id=\"0\""));
    EXPECT_NE(generation(""), generation(" id=\"5\""));
}

TEST(Strip, WritesPlainMicrokitThatLowersTheSame)
{
    Diagnostics diagnostics("demo.system");
    const System system = load_demo(diagnostics);
    ASSERT_TRUE(diagnostics.empty());
    std::string why;
    auto plain = strip_system(test::read_text(Here + "/demo.system"), system, "demo.system", why);
    ASSERT_TRUE(plain) << why;
    for (const char* extension : {"<interface", "<connection", "<provides", "<uses"})
        EXPECT_EQ(plain->find(extension), std::string::npos) << extension;

    Diagnostics again("plain.system");
    const System stripped = parse_system(*plain, again);
    check_system(stripped, again);
    ASSERT_TRUE(again.empty()) << again.format_all() << *plain;
    EXPECT_TRUE(stripped.interfaces.empty());
    ASSERT_EQ(stripped.channels.size(), system.channels.size());
    for (size_t i = 0; i < system.channels.size(); ++i)
        for (auto [x, y] : {std::make_pair(&system.channels[i].a, &stripped.channels[i].a),
                            std::make_pair(&system.channels[i].b, &stripped.channels[i].b)}) {
            EXPECT_EQ(x->pd, y->pd);
            EXPECT_EQ(x->id, y->id);
            EXPECT_EQ(x->pp, y->pp);
            EXPECT_EQ(x->notify, y->notify);
        }
    ASSERT_EQ(stripped.memory_regions.size(), system.memory_regions.size());
    for (size_t i = 0; i < system.memory_regions.size(); ++i) {
        EXPECT_EQ(stripped.memory_regions[i].name, system.memory_regions[i].name);
        EXPECT_EQ(stripped.memory_regions[i].size, system.memory_regions[i].size);
    }
    for (size_t p = 0; p < system.protection_domains.size(); ++p) {
        const auto& maps = system.protection_domains[p].maps;
        const auto& plain_maps = stripped.protection_domains[p].maps;
        ASSERT_EQ(maps.size(), plain_maps.size());
        for (size_t m = 0; m < maps.size(); ++m) {
            EXPECT_EQ(maps[m].mr, plain_maps[m].mr);
            EXPECT_EQ(maps[m].vaddr, plain_maps[m].vaddr);
            EXPECT_EQ(maps[m].perms, plain_maps[m].perms);
        }
    }
}

TEST(Strip, PlainDescriptionComesBackUnchangedInMeaning)
{
    Diagnostics diagnostics("pingpong.system");
    const System system = load_and_check(std::string(TESSERA_TEST_SYSTEMS_DIR) + "/pingpong.system", diagnostics);
    ASSERT_TRUE(diagnostics.empty());
    std::string why;
    auto plain = strip_system(test::read_text(std::string(TESSERA_TEST_SYSTEMS_DIR) + "/pingpong.system"), system,
                              "pingpong.system", why);
    ASSERT_TRUE(plain) << why;
    Diagnostics again("plain.system");
    const System stripped = parse_system(*plain, again);
    EXPECT_TRUE(again.empty()) << again.format_all();
    EXPECT_EQ(stripped.channels.size(), system.channels.size());
    EXPECT_EQ(stripped.protection_domains.size(), system.protection_domains.size());
}

// Found by the description fuzzer: the parser skips the XML declaration, so strip must too.
TEST(Strip, MalformedDeclarationIsSkippedAsTheParserSkipsIt)
{
    const std::string text = R"(<?xml version="1.0" <error?>
<system><interface name="i"><method name="m"/></interface>
  <protection_domain name="a" priority="1"><program_image path="a.elf"/><uses interface="i"/></protection_domain>
  <protection_domain name="b" priority="2"><program_image path="b.elf"/><provides interface="i"/></protection_domain>
  <connection><end pd="a" uses="i"/><end pd="b" provides="i"/></connection></system>)";
    Diagnostics diagnostics("declaration.system");
    const System system = parse_system(text, diagnostics);
    ASSERT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    std::string why;
    auto plain = strip_system(text, system, "declaration.system", why);
    ASSERT_TRUE(plain) << why;
    EXPECT_EQ(plain->rfind("<?xml version=\"1.0\"?>", 0), 0u);
    EXPECT_NE(plain->find("<end pd=\"a\" id=\"0\" pp=\"true\" notify=\"false\" />"), std::string::npos) << *plain;
}

std::string check_file(const std::string& name)
{
    Diagnostics diagnostics(name);
    load_and_check(Here + "/bad/" + name, diagnostics);
    return diagnostics.format_all();
}

class BadInterfaceDescription : public ::testing::TestWithParam<const char*> {};

TEST_P(BadInterfaceDescription, ReportsExactlyTheExpectedErrors)
{
    const std::string name = GetParam();
    const std::string expected = test::read_text(Here + "/bad/" + name + ".expected");
    ASSERT_FALSE(expected.empty()) << "missing " << name << ".expected";
    EXPECT_EQ(check_file(name + ".system"), expected);
}

INSTANTIATE_TEST_SUITE_P(Table, BadInterfaceDescription,
                         ::testing::Values("types", "methods", "members", "ports", "connections",
                                           "lowering", "names"));

TEST(InterfaceChecks, MoreThan63MethodsAreRefused)
{
    std::string methods;
    for (int i = 0; i < 64; ++i)
        methods += "<method name=\"m" + std::to_string(i) + "\"/>";
    Diagnostics diagnostics("many.system");
    parse_system("<system><interface name=\"i\">" + methods + "</interface></system>", diagnostics);
    EXPECT_EQ(diagnostics.count(), 1u);
    EXPECT_NE(diagnostics.format_all().find(": error: interface 'i' has more than 63 methods\n"), std::string::npos)
        << diagnostics.format_all();
}

TEST(InterfaceChecks, NoChannelIdLeftIsReported)
{
    std::string irqs;
    for (int i = 0; i <= 61; ++i)
        irqs += "<irq irq=\"" + std::to_string(i % 100) + "\" id=\"" + std::to_string(i) + "\"/>";
    Diagnostics diagnostics("full.system");
    System system = parse_system(R"(<system><interface name="i"><method name="m"/></interface>
<protection_domain name="a" priority="1"><program_image path="a.elf"/>)" + irqs + R"(<uses interface="i"/></protection_domain>
<protection_domain name="b" priority="2"><program_image path="b.elf"/><provides interface="i"/></protection_domain>
<connection><end pd="a" uses="i"/><end pd="b" provides="i"/></connection></system>)",
                                 diagnostics);
    EXPECT_NE(diagnostics.format_all().find("full.system:4:1: error: no channel id is left in protection domain 'a' "
                                            "(ids 0 to 61 are all taken) for this connection"),
              std::string::npos)
        << diagnostics.format_all();
}

} // namespace
} // namespace tessera::sdf

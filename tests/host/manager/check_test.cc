// The checks across elements: binaries, quotas, routes, devices, cycles. Each bad configuration
// gets exactly its expected errors, so a check that stops firing, or fires twice, fails.
#include <gtest/gtest.h>

#include "config_text.h"

namespace tessera::manager_config {
namespace {

using test::load_text;
using Errors = std::vector<std::string>;

std::string manager(const std::string& body, const std::string& quotas = "ram=\"4M\" caps=\"200\"")
{
    return "<manager " + quotas + ">\n" + body + "</manager>\n";
}

TEST(ManagerConfigCheck, AcceptsServersClientsProgramsAndDevices)
{
    const uint32_t channels[] = {1, 4};
    Environment environment{channels, 2, true};
    auto outcome = load_text(
        manager(
            "<program name=\"drv\" path=\"virtio_blk.elf\"/><device name=\"blk0\"/>\n"
            "<child name=\"driver\" binary=\"drv\" ram=\"1M\" caps=\"50\"><device name=\"blk0\"/>\n"
            " <provides><service name=\"block\" interface=\"Block\"/></provides>\n"
            " <route><service name=\"log\"><channel id=\"4\"/></service></route></child>\n"
            "<child name=\"fs\" binary=\"/bin/fs\" ram=\"1M\" caps=\"50\">\n"
            " <provides><service name=\"files\"/></provides>\n"
            " <route><service name=\"block\" interface=\"Block\"><child name=\"driver\"/></service>"
            "</route></child>\n"
            "<child name=\"app\" binary=\"/bin/app\" ram=\"2M\" caps=\"100\">\n"
            " <route><service name=\"files\"><child name=\"fs\"/></service>\n"
            "  <service name=\"files\" label=\"debug\"><child "
            "name=\"fs\"/></service></route></child>\n"),
        environment);
    EXPECT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
}

TEST(ManagerConfigCheck, RejectsUnknownBinaries)
{
    EXPECT_EQ(
        load_text(manager("<child name=\"a\" binary=\"ghost\" ram=\"64K\" caps=\"16\"/>\n")).errors,
        (Errors{"2:17: unknown binary 'ghost': no <program name='ghost'> and not a "
                "file-system path"}));
}

TEST(ManagerConfigCheck, AcceptsAStaticProtectionDomainAsASupervisedChild)
{
    auto outcome = load_text(manager("<child name=\"driver\" pd=\"virtio_blk\" version=\"2\">\n"
                                     " <restart policy=\"on-fault\" limit=\"5\" backoff_ms=\"10\"/>"
                                     "</child>\n"));
    ASSERT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
    const Child& child = outcome.config->children[0];
    EXPECT_TRUE(child.is_static());
    EXPECT_EQ(child.pd.text(), Text("virtio_blk"));
    EXPECT_EQ(child.restart.limit, 5u);
}

TEST(ManagerConfigCheck, RejectsWhatAStaticChildCannotTake)
{
    EXPECT_EQ(load_text(manager("<child name=\"d\" pd=\"blk\" binary=\"x\" priority=\"3\" ram=\"1M\" "
                                "caps=\"20\">\n"
                                " <route><service name=\"log\"><channel id=\"1\"/></service></route>\n"
                                " <heartbeat period_ms=\"10\"/></child>\n"
                                "<child name=\"e\" pd=\"blk\"/>\n"))
                  .errors,
              (Errors{"2:26: a child with pd= takes no binary: the protection domain's is fixed",
                      "2:37: a child with pd= takes no priority: the protection domain's is fixed",
                      "2:50: a child with pd= takes no ram: the protection domain's is fixed",
                      "2:59: a child with pd= takes no caps: the protection domain's is fixed",
                      "3:2: a child with pd= takes only <restart>, not <route>",
                      "4:2: a child with pd= takes only <restart>, not <heartbeat>"}));
    EXPECT_EQ(load_text(manager("<child name=\"d\" pd=\"blk\"/>\n<child name=\"e\" pd=\"blk\"/>\n")).errors,
              (Errors{"3:17: the protection domain 'blk' is already the child 'd'"}));
}

TEST(ManagerConfigCheck, RejectsRoutesToMissingChildrenAndServices)
{
    auto outcome =
        load_text(manager("<child name=\"a\" binary=\"/a\" ram=\"64K\" caps=\"16\"><route>\n"
                          " <service name=\"x\"><child name=\"nobody\"/></service>\n"
                          " <service name=\"y\"><child name=\"b\"/></service>\n"
                          " <service name=\"z\"><child name=\"a\"/></service>\n"
                          " <service name=\"w\" interface=\"Block\"><child name=\"b\"/></service>\n"
                          " <service name=\"x\"><parent/></service>\n"
                          "</route></child>\n"
                          "<child name=\"b\" binary=\"/b\" ram=\"64K\" caps=\"16\">\n"
                          " <provides><service name=\"w\" interface=\"Files\"/><service "
                          "name=\"w\"/></provides></child>\n"));
    EXPECT_EQ(outcome.errors,
              (Errors{"3:20: the route for 'x' names a missing child 'nobody'",
                      "4:20: the child 'b' provides no service 'y'",
                      "5:20: the child 'a' routes to itself",
                      "7:2: a second route for 'x' with label '' is never used",
                      "10:49: the service 'w' is provided twice",
                      "6:2: the route wants interface 'Block' but 'b' provides 'w' as 'Files'"}));
}

TEST(ManagerConfigCheck, RejectsQuotasBeyondWhatTheManagerHolds)
{
    auto outcome = load_text(manager("<child name=\"a\" binary=\"/a\" ram=\"1M\" caps=\"60\"/>\n"
                                     "<child name=\"b\" binary=\"/b\" ram=\"1M\" caps=\"60\"/>\n"
                                     "<child name=\"c\" binary=\"/c\" ram=\"1M\" caps=\"60\"/>\n",
                                     "ram=\"2M\" caps=\"100\""));
    EXPECT_EQ(outcome.errors,
              (Errors{"3:38: the children's caps add up to 120 here, more than the manager's 100",
                      "4:29: the children's ram adds up to 3145728 bytes here, more than the "
                      "manager's 2097152"}));
}

TEST(ManagerConfigCheck, RejectsQuotasBelowWhatStartingAChildCosts)
{
    auto outcome = load_text(
        manager("<child name=\"a\" binary=\"/a\" ram=\"60K\" caps=\"15\"/>\n"
                "<child name=\"b\" binary=\"/b\" ram=\"65537\" caps=\"16\" priority=\"201\"/>\n",
                "ram=\"4097\" caps=\"100\" max_priority=\"200\""));
    EXPECT_EQ(outcome.errors,
              (Errors{"1:10: the manager's ram must be a non-zero multiple of 4096 bytes",
                      "2:29: a child's ram must be a multiple of 4096 bytes and at least 65536 "
                      "(what the manager spends to start it)",
                      "2:39: a child's caps must be at least 16 (what the manager spends to start "
                      "it)",
                      "3:51: priority 201 is above the manager's max_priority 200",
                      "3:29: a child's ram must be a multiple of 4096 bytes and at least 65536 "
                      "(what the manager spends to start it)",
                      "2:29: the children's ram adds up to 61440 bytes here, more than the "
                      "manager's 4097"}));
}

TEST(ManagerConfigCheck, RejectsACycleOfRoutesNamingIt)
{
    auto outcome = load_text(
        manager("<child name=\"a\" binary=\"/a\" ram=\"64K\" caps=\"16\">"
                "<provides><service name=\"s\"/></provides>"
                "<route><service name=\"s\"><child name=\"b\"/></service></route></child>\n"
                "<child name=\"b\" binary=\"/b\" ram=\"64K\" caps=\"16\">"
                "<provides><service name=\"s\"/></provides>"
                "<route><service name=\"s\"><child name=\"c\"/></service></route></child>\n"
                "<child name=\"c\" binary=\"/c\" ram=\"64K\" caps=\"16\">"
                "<provides><service name=\"s\"/></provides>"
                "<route><service name=\"s\"><child name=\"a\"/></service></route></child>\n"));
    EXPECT_EQ(outcome.errors, (Errors{"4:114: the routes form a cycle: a -> b -> c -> a"}));
}

TEST(ManagerConfigCheck, RejectsDuplicateNamesAndDevicesGivenTwiceOrNotHeld)
{
    auto outcome = load_text(manager(
        "<program name=\"p\" path=\"p.elf\"/><program name=\"p\" path=\"q.elf\"/>\n"
        "<device name=\"d\"/><device name=\"d\"/>\n"
        "<child name=\"a\" binary=\"p\" ram=\"64K\" caps=\"16\"><device name=\"d\"/></child>\n"
        "<child name=\"a\" binary=\"p\" ram=\"64K\" caps=\"16\"><device name=\"d\"/>"
        "<device name=\"e\"/></child>\n"));
    EXPECT_EQ(
        outcome.errors,
        (Errors{"2:33: a second program named 'p'", "3:19: a second device named 'd'",
                "5:1: a second child named 'a'", "5:48: the device 'd' is already given to 'a'",
                "5:66: the manager holds no device 'e'"}));
}

TEST(ManagerConfigCheck, ChecksChannelIdsOnlyWhenTheManagersChannelsAreKnown)
{
    const std::string text =
        manager("<child name=\"a\" binary=\"/a\" ram=\"64K\" caps=\"16\"><route>"
                "<service name=\"log\"><channel id=\"7\"/></service></route></child>\n");
    EXPECT_TRUE(load_text(text).accepted);
    const uint32_t channels[] = {1, 2};
    EXPECT_EQ(load_text(text, Environment{channels, 2, true}).errors,
              (Errors{"2:76: the manager has no channel with id 7"}));
}

TEST(ManagerConfigCheck, RejectsParentRoutesWhenTheManagerHasNoParent)
{
    const std::string text =
        manager("<child name=\"a\" binary=\"/a\" ram=\"64K\" caps=\"16\"><route>"
                "<service name=\"log\"><parent/></service></route></child>\n");
    EXPECT_TRUE(load_text(text).accepted);
    Environment top;
    top.without_parent = true;
    EXPECT_EQ(load_text(text, top).errors,
              (Errors{"2:76: the route for 'log' goes to the parent, but this manager has none"}));
}

// The world of a manager at run time, whose image holds `count` things.
Environment holding(const Packed* image, size_t count)
{
    Environment environment;
    environment.packed = image;
    environment.packed_count = count;
    environment.packed_known = true;
    return environment;
}

// At run time the manager knows what its image holds: a <program> naming anything else (a file
// that was never packed, a template under another pd, a file as a template or the reverse) and a
// <child pd> the description does not let it supervise are rejected with the configuration.
TEST(ManagerConfigCheck, RejectsProgramsAndPdsTheManagersImageDoesNotHold)
{
    const std::string text =
        manager("<program name=\"hello\" path=\"any/path.elf\"/>\n"
                "<program name=\"blk\" pd=\"virtio_blk\"/>\n"
                "<child name=\"a\" binary=\"hello\" ram=\"64K\" caps=\"16\"/>\n"
                "<child name=\"b\" binary=\"blk\" ram=\"128K\" caps=\"16\"/>\n"
                "<child name=\"s\" pd=\"timer\"/>\n");
    const Packed image[] = {{PackedKind::File, "hello", {}},
                            {PackedKind::Template, "blk", "virtio_blk"},
                            {PackedKind::Template, "net", "virtio_net"},
                            {PackedKind::StaticPd, "timer", {}}};
    const Environment environment = holding(image, 4);
    auto outcome = load_text(text, environment);
    EXPECT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
    // Not looked up where the image is not known (`tessera check` packs what it names).
    const std::string unknown =
        manager("<program name=\"gone\" path=\"gone.elf\"/>\n"
                "<program name=\"blk\" pd=\"virtio_net\"/>\n"
                "<program name=\"net\" path=\"net.elf\"/>\n"
                "<program name=\"hello\" pd=\"hello\"/>\n"
                "<child name=\"s\" pd=\"serial\"/>\n");
    EXPECT_TRUE(load_text(unknown).accepted);
    EXPECT_EQ(load_text(unknown, environment).errors,
              (Errors{"2:1: the manager's image packs no program 'gone'",
                      "3:21: program 'blk' is the template of pd 'virtio_blk', not 'virtio_net'",
                      "4:1: the manager's image packs no program 'net' (it is the template of pd "
                      "'virtio_net')",
                      "5:23: the manager holds no template 'hello' of pd 'hello' (the "
                      "description's <program pd=> makes one)",
                      "6:17: the manager supervises no protection domain 'serial' (the "
                      "description's <child pd=> names the ones it does)"}));
}

// A device is a template's resources: its pd names a <program pd=> of the configuration; at run
// time the image must hold a device of that name (and pd, when given); a child holds one device,
// and a child running a device's template program must name the device.
TEST(ManagerConfigCheck, DevicesAreTemplatesTheImageHoldsGivenToOneChild)
{
    const std::string good = manager("<program name=\"blk\" pd=\"virtio_blk\"/>\n"
                                     "<device name=\"disk\" pd=\"virtio_blk\" reset=\"virtio\"/>\n"
                                     "<child name=\"a\" binary=\"blk\" ram=\"128K\" caps=\"16\">"
                                     "<device name=\"disk\"/></child>\n");
    const Packed image[] = {{PackedKind::Template, "blk", "virtio_blk"},
                            {PackedKind::Device, "disk", "virtio_blk"},
                            {PackedKind::File, "p", {}}};
    const Environment environment = holding(image, 3);
    auto outcome = load_text(good, environment);
    EXPECT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);
    EXPECT_TRUE(load_text(good).accepted);
    // A file loaded at run time may leave pd out: the image knows the device.
    const std::string no_pd = manager("<program name=\"blk\" pd=\"virtio_blk\"/><device name=\"disk\"/>\n"
                                      "<child name=\"a\" binary=\"/bin/other\" ram=\"128K\" caps=\"16\">"
                                      "<device name=\"disk\"/></child>\n");
    outcome = load_text(no_pd, environment);
    EXPECT_TRUE(outcome.accepted) << ::testing::PrintToString(outcome.errors);

    const std::string bad =
        manager("<program name=\"blk\" pd=\"virtio_blk\"/><program name=\"p\" path=\"p.elf\"/>\n"
                "<device name=\"disk\" pd=\"virtio_net\"/><device name=\"tape\"/>\n"
                "<device name=\"cd\" pd=\"virtio_blk\" reset=\"hard\"/>\n"
                "<child name=\"a\" binary=\"blk\" ram=\"128K\" caps=\"16\"/>\n"
                "<child name=\"b\" binary=\"p\" ram=\"128K\" caps=\"16\"><device name=\"tape\"/>"
                "<device name=\"disk\"/></child>\n"
                "<child name=\"c\" binary=\"p\" ram=\"128K\" caps=\"16\"><device name=\"tape\"/></child>\n");
    EXPECT_EQ(load_text(bad, environment).errors,
              (Errors{"4:35: reset 'hard' is not one of none, virtio"}));
    // Without the bad reset the reader passes it on to the checks.
    std::string bad_checks = bad;
    bad_checks.erase(bad_checks.find(" reset=\"hard\""), 13);
    EXPECT_EQ(load_text(bad_checks, environment).errors,
              (Errors{"3:21: the device's pd 'virtio_net' is the pd of no <program pd=> of this manager",
                      "3:1: the manager's image holds no device 'disk' of pd 'virtio_net' (the description's "
                      "<device pd=> gives one)",
                      "3:38: the manager's image holds no device 'tape' (the description's <device pd=> gives one)",
                      "4:1: the manager's image holds no device 'cd' of pd 'virtio_blk' (the description's "
                      "<device pd=> gives one)",
                      "5:17: its program's template is the device 'cd', which it does not name (<device name='cd'/>)",
                      "6:70: a child holds one device at most (its resources sit at a Microkit PD's slots)",
                      "7:49: the device 'tape' is already given to 'b'"}));
}

TEST(ManagerConfigCheck, KeepsCountingErrorsBeyondItsCapacity)
{
    std::string body;
    for (size_t i = 0; i < MaxChildren; ++i)
        body += "<child name=\"c\" binary=\"ghost\" ram=\"64K\" caps=\"16\"/>\n";
    auto config = std::make_unique<Config>();
    auto diagnostics = std::make_unique<Diagnostics>();
    const std::string text = manager(body, "ram=\"1G\" caps=\"100000\"");
    EXPECT_FALSE(load(Text(text.data(), text.size()), {}, *config, *diagnostics));
    EXPECT_EQ(diagnostics->kept(), MaxDiagnostics);
    EXPECT_EQ(diagnostics->count(), MaxChildren + (MaxChildren - 1)); // binaries + duplicates
}

} // namespace
} // namespace tessera::manager_config

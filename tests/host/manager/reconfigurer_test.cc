// Reconfiguration as a difference, against a fake that records what the manager would do.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "reconfigure/reconfigurer.h"

namespace tessera::manager {
namespace {

using manager_config::Text;

class FakeControl final : public ChildControl {
public:
    libos::Result<void> start(const manager_config::Child& child,
                              const manager_config::Config&) override
    {
        calls.push_back(std::string("start ") + child.name.c_str());
        if (refuse.count(child.name.c_str()))
            return libos::make_error(seL4_NotEnoughMemory, "fake: refused");
        running.insert(child.name.c_str());
        return {};
    }
    void stop(Text name) override
    {
        calls.push_back("stop " + std::string(name.data, name.length));
        running.erase(std::string(name.data, name.length));
    }
    std::vector<std::string> calls;
    std::set<std::string> running;
    std::set<std::string> refuse;
};

struct ReconfigurerFixture : ::testing::Test {
    std::unique_ptr<manager_config::Config> first = std::make_unique<manager_config::Config>();
    std::unique_ptr<manager_config::Config> second = std::make_unique<manager_config::Config>();
    Reconfigurer reconfigurer{*first, *second, manager_config::Environment{}};
    FakeControl control;

    LoadOutcome load(const std::string& children, size_t* errors = nullptr)
    {
        const std::string text = "<manager ram=\"8M\" caps=\"500\">\n" + children + "</manager>\n";
        auto diagnostics = std::make_unique<manager_config::Diagnostics>();
        auto report = std::make_unique<LoadReport>();
        reconfigurer.load(Text(text.data(), text.size()), control, *diagnostics, *report);
        if (errors != nullptr)
            *errors = diagnostics->count();
        last_failed.clear();
        last_why.clear();
        for (size_t i = 0; i < report->failed_count; ++i) {
            last_failed.push_back(report->failed[i].c_str());
            last_why.push_back(report->failed_why[i] != nullptr ? report->failed_why[i] : "(none)");
        }
        return report->outcome;
    }
    std::vector<std::string> last_failed;
    std::vector<std::string> last_why;
};

std::string child(const std::string& name, const std::string& extra = "")
{
    return "<child name=\"" + name + "\" binary=\"/" + name + "\" ram=\"64K\" caps=\"16\"" + extra +
           "/>\n";
}

using Calls = std::vector<std::string>;

TEST_F(ReconfigurerFixture, FirstLoadStartsEveryChildInOrder)
{
    EXPECT_EQ(load(child("a") + child("b")), LoadOutcome::Applied);
    EXPECT_EQ(control.calls, (Calls{"start a", "start b"}));
    EXPECT_EQ(reconfigurer.running().child_count, 2u);
}

TEST_F(ReconfigurerFixture, AppliesOnlyTheDifferenceStoppingBeforeStarting)
{
    ASSERT_EQ(load(child("a") + child("b") + child("c")), LoadOutcome::Applied);
    control.calls.clear();
    EXPECT_EQ(load(child("a") + child("c", " version=\"2\"") + child("d")), LoadOutcome::Applied);
    EXPECT_EQ(control.calls, (Calls{"stop b", "stop c", "start c", "start d"}));
    EXPECT_EQ(control.running, (std::set<std::string>{"a", "c", "d"}));
}

TEST_F(ReconfigurerFixture, ABadConfigurationIsRejectedAndTheRunningOneStays)
{
    ASSERT_EQ(load(child("a")), LoadOutcome::Applied);
    control.calls.clear();
    size_t errors = 0;
    EXPECT_EQ(load(child("a") + child("a") +
                       "<child name=\"x\" binary=\"ghost\" ram=\"64K\" caps=\"16\"/>\n",
                   &errors),
              LoadOutcome::Rejected);
    EXPECT_EQ(errors, 2u);
    EXPECT_TRUE(control.calls.empty());
    ASSERT_EQ(reconfigurer.running().child_count, 1u);
    EXPECT_STREQ(reconfigurer.running().children[0].name.c_str(), "a");
    // And the next good load is diffed against the configuration that really runs.
    EXPECT_EQ(load(child("a") + child("b")), LoadOutcome::Applied);
    EXPECT_EQ(control.calls, (Calls{"start b"}));
}

TEST_F(ReconfigurerFixture, AFailedStartIsReportedAndTheOthersStillStart)
{
    control.refuse.insert("b");
    EXPECT_EQ(load(child("a") + child("b") + child("c")), LoadOutcome::Applied);
    EXPECT_EQ(last_failed, (std::vector<std::string>{"b"}));
    EXPECT_EQ(last_why, (std::vector<std::string>{"fake: refused"}));
    EXPECT_EQ(control.running, (std::set<std::string>{"a", "c"}));
}

TEST_F(ReconfigurerFixture, RemovingEverythingStopsInReverseOrder)
{
    ASSERT_EQ(load(child("a") + child("b") + child("c")), LoadOutcome::Applied);
    control.calls.clear();
    EXPECT_EQ(load(""), LoadOutcome::Applied);
    EXPECT_EQ(control.calls, (Calls{"stop c", "stop b", "stop a"}));
    EXPECT_TRUE(control.running.empty());
}

} // namespace
} // namespace tessera::manager

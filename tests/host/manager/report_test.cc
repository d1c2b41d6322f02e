// The shell's view of the manager: `manager status` columns, `manager load` reports, and a
// buffer that truncates with a visible mark instead of overflowing.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "report/report.h"

namespace tessera::manager {
namespace {

using manager_config::Text;

std::string status(const ChildStatus* children, size_t count)
{
    char buffer[1024];
    ReportBuffer out(buffer, sizeof buffer);
    write_status(out, children, count);
    return std::string(buffer, out.length());
}

TEST(ManagerReport, StatusListsOneChildPerLineInColumns)
{
    const ChildStatus children[] = {
        {Text("driver"), ChildState::Running, 2, 1536 * 1024, 2048 * 1024, 45, 200},
        {Text("a-rather-long-child-name"), ChildState::Failed, 10, 0, 64 * 1024, 0, 16},
    };
    EXPECT_EQ(status(children, 2),
              "NAME             STATE    RESTARTS  RAM_KIB RAM_QUOTA   CAPS CAPS_QUOTA\n"
              "driver           running         2     1536      2048     45        200\n"
              "a-rather-long-child-name failed         10        0        64      0         16\n");
}

TEST(ManagerReport, LoadListsWhatChangedOrSaysUnchanged)
{
    auto d = std::make_unique<manager_config::Difference>();
    char buffer[256];
    ReportBuffer empty(buffer, sizeof buffer);
    write_applied(empty, *d);
    EXPECT_STREQ(buffer, "unchanged\n");
    (void)d->start[d->start_count++].assign(Text("fs"));
    (void)d->start[d->start_count++].assign(Text("app"));
    (void)d->stop[d->stop_count++].assign(Text("old"));
    (void)d->keep[d->keep_count++].assign(Text("driver"));
    ReportBuffer out(buffer, sizeof buffer);
    write_applied(out, *d);
    EXPECT_STREQ(buffer, "stopped old\nstarted fs app\nkept driver\n");
}

TEST(ManagerReport, RejectedLoadNamesEveryErrorAndThatNothingChanged)
{
    auto diagnostics = std::make_unique<manager_config::Diagnostics>();
    manager_config::Message first, second;
    diagnostics->error({3, 7}, first << "unknown binary 'x'");
    diagnostics->error({9, 1}, second << "a second child named 'a'");
    char buffer[512];
    ReportBuffer out(buffer, sizeof buffer);
    write_rejected(out, Text("/etc/init.xml"), *diagnostics);
    EXPECT_STREQ(buffer, "/etc/init.xml: rejected, 2 errors; the running configuration stays\n"
                         "/etc/init.xml:3:7: unknown binary 'x'\n"
                         "/etc/init.xml:9:1: a second child named 'a'\n");
}

TEST(ManagerReport, ATooSmallBufferEndsInAnEllipsisAndNeverOverflows)
{
    char buffer[32 + 8];
    for (char& c : buffer)
        c = '#';
    ReportBuffer out(buffer, 32);
    const ChildStatus child{Text("x"), ChildState::Running, 0, 0, 65536, 0, 16};
    write_status(out, &child, 1);
    EXPECT_TRUE(out.truncated());
    EXPECT_LT(out.length(), 32u);
    const std::string text(buffer, out.length());
    EXPECT_EQ(text.substr(text.size() - 4), "...\n");
    EXPECT_EQ(buffer[out.length()], '\0');
    for (size_t i = 32; i < sizeof buffer; ++i)
        EXPECT_EQ(buffer[i], '#');
}

} // namespace
} // namespace tessera::manager

// The names under /proc the server serves, parsed: "self" is the caller, numbers are pids and
// descriptors, anything else is missing, and what lies below a link is no directory.
#include <gtest/gtest.h>

#include "core/fs/proc_name.h"

namespace tessera::posix::fs {
namespace {

using Kind = ProcName::Kind;

TEST(ProcName, OutsideProcIsNotProc)
{
    for (const char* name : {"", "/", "/bin/sh", "/process", "/procfs/self", "/pro"})
        EXPECT_EQ(parse_proc_name(name, 7).kind, Kind::NotProc) << name;
}

TEST(ProcName, SelfIsTheCallersPid)
{
    EXPECT_EQ(parse_proc_name("/proc", 7).kind, Kind::Root);
    const ProcName self = parse_proc_name("/proc/self", 7);
    EXPECT_EQ(self.kind, Kind::SelfLink);
    EXPECT_EQ(self.pid, 7);
    const ProcName exe = parse_proc_name("/proc/self/exe", 7);
    EXPECT_EQ(exe.kind, Kind::Exe);
    EXPECT_EQ(exe.pid, 7);
    const ProcName fd = parse_proc_name("/proc/self/fd/12", 7);
    EXPECT_EQ(fd.kind, Kind::Fd);
    EXPECT_EQ(fd.pid, 7);
    EXPECT_EQ(fd.fd, 12);
    EXPECT_FALSE(fd.below_link);
}

TEST(ProcName, MountsAndMeminfoAreFiles)
{
    EXPECT_EQ(parse_proc_name("/proc/mounts", 7).kind, Kind::Mounts);
    EXPECT_EQ(parse_proc_name("/proc/meminfo", 7).kind, Kind::Meminfo);
    EXPECT_FALSE(parse_proc_name("/proc/meminfo", 7).below_link);
    EXPECT_TRUE(parse_proc_name("/proc/mounts/x", 7).below_link);
    EXPECT_EQ(parse_proc_name("/proc/mountsx", 7).kind, Kind::Missing);
    EXPECT_EQ(parse_proc_name("/proc/self/mounts", 7).kind, Kind::Missing);
}

TEST(ProcName, NumbersNameOtherProcesses)
{
    const ProcName process = parse_proc_name("/proc/42", 7);
    EXPECT_EQ(process.kind, Kind::Process);
    EXPECT_EQ(process.pid, 42);
    const ProcName fds = parse_proc_name("/proc/42/fd", 7);
    EXPECT_EQ(fds.kind, Kind::FdDirectory);
    EXPECT_EQ(fds.pid, 42);
}

TEST(ProcName, WhatIsNotServedIsMissing)
{
    for (const char* name : {"/proc/0", "/proc/-1", "/proc/12a", "/proc/99999999999", "/proc/self/maps",
                             "/proc/1/fd/x", "/proc/1/fd/-1", "/proc/self/fd/99999999999"})
        EXPECT_EQ(parse_proc_name(name, 7).kind, Kind::Missing) << name;
}

TEST(ProcName, BelowALinkIsNoDirectory)
{
    EXPECT_TRUE(parse_proc_name("/proc/self/exe/x", 7).below_link);
    EXPECT_TRUE(parse_proc_name("/proc/3/fd/0/x", 7).below_link);
    EXPECT_FALSE(parse_proc_name("/proc/3/fd", 7).below_link);
}

TEST(ProcName, DecimalsFitOrAreRefused)
{
    char text[4];
    EXPECT_EQ(format_decimal(0, text, sizeof text), 1u);
    EXPECT_STREQ(text, "0");
    EXPECT_EQ(format_decimal(123, text, sizeof text), 3u);
    EXPECT_STREQ(text, "123");
    EXPECT_EQ(format_decimal(1234, text, sizeof text), 0u); // no room for the NUL
}

} // namespace
} // namespace tessera::posix::fs

// The server's side of the foreign-thread contract (core/syscall): a fault message decodes into
// Linux's number and argument registers, the reply resumes after `syscall` with rax = the result
// (-errno on failure) and rcx/r11 as Linux clobbers them, and calls have their Linux names.
#include <gtest/gtest.h>

#include <string.h>

#include "core/syscall/call_names.h"
#include "core/syscall/linux_call.h"

namespace tessera::posix {
namespace {

struct LinuxCallTest : ::testing::Test {
    uint64_t message[FaultWords];
    void SetUp() override
    {
        for (unsigned i = 0; i < FaultWords; ++i)
            message[i] = 0x1000 + i;
        message[seL4_UnknownSyscall_RAX] = 1; // write
        message[seL4_UnknownSyscall_FaultIP] = 0x401234;
        message[seL4_UnknownSyscall_FLAGS] = 0x246;
    }
};

TEST_F(LinuxCallTest, ArgumentsComeFromLinuxRegistersNotSeL4Ones)
{
    const LinuxCall call = decode_linux_call(message);
    EXPECT_EQ(call.number, 1u);
    EXPECT_EQ(call.args[0], 0x1000u + seL4_UnknownSyscall_RDI);
    EXPECT_EQ(call.args[1], 0x1000u + seL4_UnknownSyscall_RSI);
    EXPECT_EQ(call.args[2], 0x1000u + seL4_UnknownSyscall_RDX);
    EXPECT_EQ(call.args[3], 0x1000u + seL4_UnknownSyscall_R10); // not rcx
    EXPECT_EQ(call.args[4], 0x1000u + seL4_UnknownSyscall_R8);
    EXPECT_EQ(call.args[5], 0x1000u + seL4_UnknownSyscall_R9);
    EXPECT_EQ(call.stack_pointer(), 0x1000u + seL4_UnknownSyscall_SP);
}

TEST_F(LinuxCallTest, ReplyResumesAfterSyscallWithResultAndLinuxClobbers)
{
    const LinuxCall call = decode_linux_call(message);
    uint64_t reply[ReplyWords];
    encode_linux_reply(call, 42, reply);
    EXPECT_EQ(reply[seL4_UnknownSyscall_RAX], 42u);
    EXPECT_EQ(reply[seL4_UnknownSyscall_FaultIP], 0x401236u);
    EXPECT_EQ(reply[seL4_UnknownSyscall_RCX], 0x401236u);
    EXPECT_EQ(reply[seL4_UnknownSyscall_R11], 0x246u);
    for (unsigned i : {seL4_UnknownSyscall_RBX, seL4_UnknownSyscall_RDX, seL4_UnknownSyscall_RSI,
                       seL4_UnknownSyscall_RDI, seL4_UnknownSyscall_RBP, seL4_UnknownSyscall_R8,
                       seL4_UnknownSyscall_R9, seL4_UnknownSyscall_R10, seL4_UnknownSyscall_R12,
                       seL4_UnknownSyscall_R15, seL4_UnknownSyscall_SP, seL4_UnknownSyscall_FLAGS})
        EXPECT_EQ(reply[i], message[i]) << i;
}

TEST_F(LinuxCallTest, ErrorsBecomeNegativeErrno)
{
    EXPECT_EQ(linux_return(Errno::Fault), -14);
    EXPECT_EQ(linux_return(Result<uint64_t>(Errno::NoSys)), -38);
    EXPECT_EQ(linux_return(Result<uint64_t>(uint64_t{7})), 7);
    EXPECT_EQ(linux_return(Result<void>()), 0);
    uint64_t reply[ReplyWords];
    encode_linux_reply(decode_linux_call(message), linux_return(Errno::BadF), reply);
    EXPECT_EQ(int64_t(reply[seL4_UnknownSyscall_RAX]), -9);
}

TEST(LinuxCallNames, NumbersHaveLinuxNames)
{
    EXPECT_STREQ(linux_call_name(0), "read");
    EXPECT_STREQ(linux_call_name(59), "execve");
    EXPECT_STREQ(linux_call_name(231), "exit_group");
    EXPECT_STREQ(linux_call_name(435), "clone3");
    EXPECT_EQ(linux_call_name(400), nullptr); // a hole in the table
    EXPECT_EQ(linux_call_name(~uint64_t{0}), nullptr);
}

} // namespace
} // namespace tessera::posix

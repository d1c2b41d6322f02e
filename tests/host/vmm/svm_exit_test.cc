// SVM exit information: IOIO and nested-page-fault EXITINFO layouts, and the next-RIP rule for
// the intercepted instructions without NRIP save.
#include "svm_exit.h"

#include <gtest/gtest.h>

namespace tessera::services::vmm {
namespace {

TEST(SvmExit, DecodesPortSizeDirectionAndNextRip)
{
    IoExit io{};
    // outb to 0x3f8: SZ8, port in bits 31:16, OUT.
    ASSERT_TRUE(decode_io_exit((0x3f8ull << 16) | (1u << 4), 0x1000123, io));
    EXPECT_EQ(io.port, 0x3f8);
    EXPECT_EQ(io.size, 1);
    EXPECT_FALSE(io.is_in);
    EXPECT_EQ(io.next_rip, 0x1000123u);
    // inl from 0xcfc.
    ASSERT_TRUE(decode_io_exit((0xcfcull << 16) | (1u << 6) | 1u, 0, io));
    EXPECT_EQ(io.size, 4);
    EXPECT_TRUE(io.is_in);
    // rep outsw.
    ASSERT_TRUE(decode_io_exit((0x1f0ull << 16) | (1u << 5) | (1u << 3) | (1u << 2), 0, io));
    EXPECT_TRUE(io.is_string);
    EXPECT_TRUE(io.has_rep);
    EXPECT_EQ(io.size, 2);
    EXPECT_FALSE(decode_io_exit(0x3f8ull << 16, 0, io));               // no size
    EXPECT_FALSE(decode_io_exit((0x3f8ull << 16) | (3u << 4), 0, io)); // two sizes
}

TEST(SvmExit, DecodesNestedPageFaults)
{
    NestedFault write = decode_nested_fault((1ull << 32) | 0x2, 0xfee000b0);
    EXPECT_EQ(write.guest_physical, 0xfee000b0u);
    EXPECT_TRUE(write.write);
    EXPECT_FALSE(write.present);
    EXPECT_FALSE(write.during_table_walk);
    NestedFault walk = decode_nested_fault((1ull << 33) | 0x1, 0x9000);
    EXPECT_TRUE(walk.during_table_walk);
    EXPECT_TRUE(walk.present);
    EXPECT_TRUE(decode_nested_fault(0x10, 0).fetch);
}

TEST(SvmExit, ChecksTheInterceptedInstructionBeforeSkippingIt)
{
    const uint8_t cpuid[] = {0x0f, 0xa2, 0x90};
    const uint8_t rdmsr[] = {0x0f, 0x32};
    const uint8_t wrmsr[] = {0x0f, 0x30};
    const uint8_t hlt[] = {0xf4};
    const uint8_t vmmcall[] = {0x0f, 0x01, 0xd9};
    EXPECT_EQ(intercepted_instruction_length(svm_exit_code::Cpuid, 0, cpuid, 3), 2u);
    EXPECT_EQ(intercepted_instruction_length(svm_exit_code::Msr, 0, rdmsr, 2), 2u);
    EXPECT_EQ(intercepted_instruction_length(svm_exit_code::Msr, 1, wrmsr, 2), 2u);
    EXPECT_EQ(intercepted_instruction_length(svm_exit_code::Msr, 1, rdmsr, 2), 0u);
    EXPECT_EQ(intercepted_instruction_length(svm_exit_code::Hlt, 0, hlt, 1), 1u);
    EXPECT_EQ(intercepted_instruction_length(svm_exit_code::Vmmcall, 0, vmmcall, 3), 3u);
    EXPECT_EQ(intercepted_instruction_length(svm_exit_code::Vmmcall, 0, vmmcall, 2), 0u);
    EXPECT_EQ(intercepted_instruction_length(svm_exit_code::Cpuid, 0, hlt, 1), 0u);
    EXPECT_EQ(intercepted_instruction_length(svm_exit_code::IoPort, 0, cpuid, 3), 0u);
    EXPECT_EQ(intercepted_instruction_length(svm_exit_code::Hlt, 0, nullptr, 0), 0u);
}

} // namespace
} // namespace tessera::services::vmm

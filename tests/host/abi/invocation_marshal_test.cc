// Checks the generated libsel4 client stubs against libsel4's own message layout, case by case,
// with the system call replaced by the recording fake kernel. Expected words are written out by
// hand from libsel4's packing rules, independent of the generator.
#include <gtest/gtest.h>

#include "invocation_fake_kernel.h"

namespace {

class InvocationMarshalFixture : public ::testing::Test {
protected:
    void SetUp() override { fake_kernel::reset(); }
    const fake_kernel::Message& sent() const { return fake_kernel::state.sent; }
    seL4_Word label() const { return seL4_MessageInfo_get_label(sent().tag); }
    seL4_Word length() const { return seL4_MessageInfo_get_length(sent().tag); }
    seL4_Word extra_caps() const { return seL4_MessageInfo_get_extraCaps(sent().tag); }
};

}  // namespace

TEST_F(InvocationMarshalFixture, UntypedRetypeSendsSixWordsAndTheRootAsExtraCap)
{
    EXPECT_EQ(seL4_Untyped_Retype(100, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 7, 64, 30, 2),
              seL4_NoError);
    EXPECT_EQ(sent().dest, 100u);
    EXPECT_EQ(label(), 1u);
    EXPECT_EQ(length(), 6u);
    EXPECT_EQ(extra_caps(), 1u);
    EXPECT_EQ(seL4_MessageInfo_get_capsUnwrapped(sent().tag), 0u);
    EXPECT_EQ(sent().caps[0], 2u);
    const seL4_Word expected[] = {1, 0, 7, 64, 30, 2};
    for (unsigned i = 0; i < 6; ++i) EXPECT_EQ(sent().mr[i], expected[i]) << "MR" << i;
}

TEST_F(InvocationMarshalFixture, CNodeMintPacksDepthsIntoTheirOwnWords)
{
    EXPECT_EQ(seL4_CNode_Mint(2, 0x55, 0xfe, 3, 0x66, 0x40, seL4_CanRead, 0xbadbadull),
              seL4_NoError);
    EXPECT_EQ(label(), 21u);
    EXPECT_EQ(length(), 6u);
    EXPECT_EQ(extra_caps(), 1u);
    EXPECT_EQ(sent().caps[0], 3u);
    EXPECT_EQ(sent().mr[0], 0x55u);
    EXPECT_EQ(sent().mr[1], 0xfeu);  // a seL4_Uint8 alone in its word
    EXPECT_EQ(sent().mr[2], 0x66u);
    EXPECT_EQ(sent().mr[3], 0x40u);
    EXPECT_EQ(sent().mr[4], 0x2u);
    EXPECT_EQ(sent().mr[5], 0xbadbadu);
}

TEST_F(InvocationMarshalFixture, TcbCopyRegistersPacksFlagsAsBitsThenArchFlagsAtBitEight)
{
    EXPECT_EQ(seL4_TCB_CopyRegisters(10, 11, 1, 0, 1, 1, 0xab), seL4_NoError);
    EXPECT_EQ(label(), 4u);
    EXPECT_EQ(length(), 1u);
    EXPECT_EQ(sent().caps[0], 11u);
    EXPECT_EQ(sent().mr[0], 0x1ull | (1ull << 2) | (1ull << 3) | (0xabull << 8));
}

TEST_F(InvocationMarshalFixture, TcbWriteRegistersSendsTheContextAfterTwoWords)
{
    seL4_UserContext regs{};
    regs.rip = 0x401000;
    regs.rsp = 0x7fff0000;
    regs.gs_base = 0x1234;
    EXPECT_EQ(seL4_TCB_WriteRegisters(10, 1, 0, 20, &regs), seL4_NoError);
    EXPECT_EQ(label(), 3u);
    EXPECT_EQ(length(), 22u);
    EXPECT_EQ(sent().mr[0], 1u);
    EXPECT_EQ(sent().mr[1], 20u);
    EXPECT_EQ(sent().mr[2], 0x401000u);
    EXPECT_EQ(sent().mr[3], 0x7fff0000u);
    EXPECT_EQ(sent().mr[21], 0x1234u);
}

TEST_F(InvocationMarshalFixture, TcbReadRegistersReadsTheReplyIntoTheContext)
{
    for (unsigned i = 0; i < 20; ++i) fake_kernel::state.reply.mr[i] = 0x100 + i;
    seL4_UserContext regs{};
    EXPECT_EQ(seL4_TCB_ReadRegisters(10, 1, 0, 20, &regs), seL4_NoError);
    EXPECT_EQ(sent().mr[0], 1u);
    EXPECT_EQ(sent().mr[1], 20u);
    EXPECT_EQ(regs.rip, 0x100u);
    EXPECT_EQ(regs.rax, 0x103u);
    EXPECT_EQ(regs.rbx, 0x104u);  // first register read from the IPC buffer
    EXPECT_EQ(regs.gs_base, 0x113u);
}

TEST_F(InvocationMarshalFixture, TcbConfigureSendsThreeCapsInDeclarationOrder)
{
    EXPECT_EQ(seL4_TCB_Configure(1, 5, 6, 7, 8, 9, 0x10000, 12), seL4_NoError);
    EXPECT_EQ(label(), 5u);
    EXPECT_EQ(length(), 4u);
    EXPECT_EQ(extra_caps(), 3u);
    EXPECT_EQ(sent().caps[0], 6u);
    EXPECT_EQ(sent().caps[1], 8u);
    EXPECT_EQ(sent().caps[2], 12u);
    EXPECT_EQ(sent().mr[0], 5u);
    EXPECT_EQ(sent().mr[1], 7u);
    EXPECT_EQ(sent().mr[2], 9u);
    EXPECT_EQ(sent().mr[3], 0x10000u);
}

TEST_F(InvocationMarshalFixture, X86PageMapSendsVaddrRightsAttributes)
{
    EXPECT_EQ(seL4_X86_Page_Map(40, seL4_CapInitThreadVSpace, 0x400000, seL4_ReadWrite,
                                seL4_X86_WriteCombining),
              seL4_NoError);
    EXPECT_EQ(label(), 39u);
    EXPECT_EQ(length(), 3u);
    EXPECT_EQ(sent().caps[0], 3u);
    EXPECT_EQ(sent().mr[0], 0x400000u);
    EXPECT_EQ(sent().mr[1], 3u);
    EXPECT_EQ(sent().mr[2], 4u);
}

TEST_F(InvocationMarshalFixture, IrqControlGetIoapicUsesSevenWords)
{
    EXPECT_EQ(seL4_IRQControl_GetIOAPIC(4, 2, 50, 64, 0, 4, 1, 0, 3), seL4_NoError);
    EXPECT_EQ(label(), 51u);
    EXPECT_EQ(length(), 7u);
    const seL4_Word expected[] = {50, 64, 0, 4, 1, 0, 3};
    for (unsigned i = 0; i < 7; ++i) EXPECT_EQ(sent().mr[i], expected[i]) << "MR" << i;
}

TEST_F(InvocationMarshalFixture, IoPortIn8ReturnsTheLowByteOfTheReply)
{
    fake_kernel::state.reply.mr[0] = 0x1234;
    const seL4_X86_IOPort_In8_t result = seL4_X86_IOPort_In8(30, 0x3f8 + 5);
    EXPECT_EQ(result.error, seL4_NoError);
    EXPECT_EQ(result.result, 0x34u);
    EXPECT_EQ(label(), 45u);
    EXPECT_EQ(sent().mr[0], 0x3fdu);
}

TEST_F(InvocationMarshalFixture, PageGetAddressReturnsTheReplyWord)
{
    fake_kernel::state.reply.mr[0] = 0x12345000;
    const seL4_X86_Page_GetAddress_t result = seL4_X86_Page_GetAddress(40);
    EXPECT_EQ(result.error, seL4_NoError);
    EXPECT_EQ(result.paddr, 0x12345000u);
    EXPECT_EQ(length(), 0u);
}

TEST_F(InvocationMarshalFixture, ErrorReplyLeavesDetailWordsInTheIpcBuffer)
{
    fake_kernel::state.reply.tag = seL4_MessageInfo_new(seL4_RangeError, 0, 0, 2);
    fake_kernel::state.reply.mr[0] = 1;
    fake_kernel::state.reply.mr[1] = 64;
    EXPECT_EQ(seL4_CNode_Delete(2, 5, 65), seL4_RangeError);
    EXPECT_EQ(seL4_GetMR(0), 1u);
    EXPECT_EQ(seL4_GetMR(1), 64u);
}

TEST_F(InvocationMarshalFixture, ErrorReplySkipsResultUnmarshalling)
{
    fake_kernel::state.reply.tag = seL4_MessageInfo_new(seL4_IllegalOperation, 0, 0, 0);
    fake_kernel::state.reply.mr[0] = 0x99;
    const seL4_TCB_SetFlags_t result = seL4_TCB_SetFlags(1, 0, 1);
    EXPECT_EQ(result.error, seL4_IllegalOperation);
    EXPECT_EQ(label(), 16u);
}

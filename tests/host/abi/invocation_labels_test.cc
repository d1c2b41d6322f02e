// Pins the generated invocation labels to libsel4's numbering for x86_64 non-MCS with IOMMU and
// VT-x off: generic labels (sel4.xml), then x86_64 (sel4_arch), then x86 (arch), each layer
// continuing from the previous one. Expected numbers are written out by hand.
#include <gtest/gtest.h>
#include <tessera/abi/invocation_decode.h>
#include <tessera/abi/invocation_labels.h>

#include <string>
#include <vector>

namespace {

struct Expected {
    long long label;
    long long number;
};

}  // namespace

TEST(InvocationLabels, GenericLabelsNumberedAsLibsel4)
{
    const Expected table[] = {
        {InvalidInvocation, 0},      {UntypedRetype, 1},          {TCBReadRegisters, 2},
        {TCBWriteRegisters, 3},      {TCBCopyRegisters, 4},       {TCBConfigure, 5},
        {TCBSetPriority, 6},         {TCBSetMCPriority, 7},       {TCBSetSchedParams, 8},
        {TCBSetIPCBuffer, 9},        {TCBSetSpace, 10},           {TCBSuspend, 11},
        {TCBResume, 12},             {TCBBindNotification, 13},   {TCBUnbindNotification, 14},
        {TCBSetTLSBase, 15},         {TCBSetFlags, 16},           {CNodeRevoke, 17},
        {CNodeDelete, 18},           {CNodeCancelBadgedSends, 19}, {CNodeCopy, 20},
        {CNodeMint, 21},             {CNodeMove, 22},             {CNodeMutate, 23},
        {CNodeRotate, 24},           {CNodeSaveCaller, 25},       {IRQIssueIRQHandler, 26},
        {IRQAckIRQ, 27},             {IRQSetIRQHandler, 28},      {IRQClearIRQHandler, 29},
        {DomainSetSet, 30},          {nInvocationLabels, 33},
    };
    for (const Expected& e : table) {
        EXPECT_EQ(e.label, e.number);
    }
}

TEST(InvocationLabels, ArchLabelsContinueAfterGenericOnes)
{
    EXPECT_EQ(X86PDPTMap, nInvocationLabels);
    EXPECT_EQ(X86PDPTMap, 33);
    EXPECT_EQ(X86PDPTUnmap, 34);
    EXPECT_EQ(nSeL4ArchInvocationLabels, 35);
    EXPECT_EQ(X86PageDirectoryMap, nSeL4ArchInvocationLabels);
    EXPECT_EQ(X86PageDirectoryUnmap, 36);
    EXPECT_EQ(X86PageTableMap, 37);
    EXPECT_EQ(X86PageTableUnmap, 38);
    // IOPageTable Map/Unmap exist only with an IOMMU: Page labels follow PageTable directly.
    EXPECT_EQ(X86PageMap, 39);
    EXPECT_EQ(X86PageUnmap, 40);
    EXPECT_EQ(X86PageGetAddress, 41);
    EXPECT_EQ(X86ASIDControlMakePool, 42);
    EXPECT_EQ(X86ASIDPoolAssign, 43);
    EXPECT_EQ(X86IOPortControlIssue, 44);
    EXPECT_EQ(X86IOPortIn8, 45);
    EXPECT_EQ(X86IOPortOut32, 50);
    EXPECT_EQ(X86IRQIssueIRQHandlerIOAPIC, 51);
    EXPECT_EQ(X86IRQIssueIRQHandlerMSI, 52);
    EXPECT_EQ(nArchInvocationLabels, 53);
}

TEST(InvocationDecode, DescriptorsAgreeWithLabelsAndAreInOrder)
{
    using namespace tessera::abi::invocation;
    std::vector<seL4_Word> labels;
    std::vector<std::string> names;
    for_each([&]<class Inv>() {
        labels.push_back(Inv::label);
        names.push_back(Inv::name);
    });
    ASSERT_EQ(labels.size(), count);
    ASSERT_EQ(labels.size(), static_cast<std::size_t>(nArchInvocationLabels - 1));
    for (std::size_t i = 0; i < labels.size(); ++i) {
        EXPECT_EQ(labels[i], i + 1) << names[i];
    }
    EXPECT_EQ(CNodeCopy::label, static_cast<seL4_Word>(::CNodeCopy));
    EXPECT_EQ(std::string(X86IOPortIn8::name), "seL4_X86_IOPort_In8");
}

TEST(InvocationDecode, ArgumentCountsMatchLibsel4Stubs)
{
    using namespace tessera::abi::invocation;
    // (label, message words, extra caps) as libsel4's generated stubs send them.
    EXPECT_EQ(UntypedRetype::word_count, 6u);
    EXPECT_EQ(UntypedRetype::cap_count, 1u);
    EXPECT_EQ(TCBWriteRegisters::word_count, 22u);
    EXPECT_EQ(TCBConfigure::word_count, 4u);
    EXPECT_EQ(TCBConfigure::cap_count, 3u);
    EXPECT_EQ(TCBConfigure::bufferFrame_cap, 2u);
    EXPECT_EQ(CNodeCopy::word_count, 5u);
    EXPECT_EQ(CNodeMint::word_count, 6u);
    EXPECT_EQ(CNodeRotate::word_count, 8u);
    EXPECT_EQ(CNodeRotate::cap_count, 2u);
    EXPECT_EQ(CNodeRotate::src_root_cap, 1u);
    EXPECT_EQ(X86PageMap::word_count, 3u);
    EXPECT_EQ(X86ASIDControlMakePool::cap_count, 2u);
    EXPECT_EQ(X86IRQIssueIRQHandlerIOAPIC::word_count, 7u);
    EXPECT_EQ(X86IOPortControlIssue::word_count, 4u);
    EXPECT_EQ(TCBReadRegisters::reply_word_count, 20u);
}

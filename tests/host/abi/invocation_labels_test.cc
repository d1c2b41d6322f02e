// The generated invocation descriptors agree with the labels (whose numbers sel4_pinned_test.cc
// pins to the pinned seL4) and carry libsel4's argument counts.
#include <gtest/gtest.h>
#include <tessera/abi/invocation_decode.h>
#include <tessera/abi/invocation_labels.h>

#include <string>
#include <vector>

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

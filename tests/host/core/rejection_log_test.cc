// The debug kernel's line for a refused invocation (kernel/core/debug/rejection_log.h).

#include <gtest/gtest.h>

#include <string>

#include <tessera/abi/invocation_labels.h>

#include "base/syscall_error.h"
#include "debug/rejection_log.h"

namespace tessera::core {
namespace {

std::string line_for(const char* thread, Word label, const SyscallError& error, size_t size = 256)
{
    std::string out(size, '\xff');
    const size_t needed = format_rejection(out.data(), size, thread, label, error);
    const size_t written = out.find('\0');
    EXPECT_NE(written, std::string::npos) << "the line is always NUL-terminated";
    EXPECT_EQ(written, needed < size ? needed : size - 1);
    out.resize(written);
    return out;
}

TEST(RejectionLog, NamesThreadMethodErrorAndReason)
{
    const SyscallError error = SyscallError::invalid_capability(1).because("TCB: the CSpace root is not a CNode");
    EXPECT_EQ(line_for("rootserver", TCBConfigure, error),
              "tessera: rejected seL4_TCB_Configure (label 5) from thread 'rootserver': "
              "seL4_InvalidCapability, TCB: the CSpace root is not a CNode");
}

TEST(RejectionLog, NamesArchMethodsFromTheSameTable)
{
    const SyscallError error = SyscallError::alignment_error().because("Map: vaddr not aligned");
    EXPECT_EQ(line_for("driver", X86PageMap, error),
              "tessera: rejected seL4_X86_Page_Map (label 39) from thread 'driver': seL4_AlignmentError, "
              "Map: vaddr not aligned");
}

TEST(RejectionLog, SaysSoWhenTheLabelOrReasonIsMissing)
{
    EXPECT_EQ(line_for("t", 9999, SyscallError::illegal_operation()),
              "tessera: rejected an unknown method (label 9999) from thread 't': seL4_IllegalOperation, "
              "no reason given");
}

TEST(RejectionLog, CutsALongLineAtTheBufferAndReportsItsFullLength)
{
    const SyscallError error = SyscallError::range_error(0, 255).because("priority above the MCP");
    const std::string whole = line_for("a-thread", TCBSetPriority, error);
    const std::string cut = line_for("a-thread", TCBSetPriority, error, 20);
    EXPECT_EQ(cut, whole.substr(0, 19));
    char none[1] = {'x'};
    EXPECT_EQ(format_rejection(none, 1, "a-thread", TCBSetPriority, error), whole.size());
    EXPECT_EQ(none[0], '\0');
}

TEST(RejectionLog, EveryErrorCodeHasItsSeL4Name)
{
    EXPECT_STREQ(error_name(seL4_InvalidArgument), "seL4_InvalidArgument");
    EXPECT_STREQ(error_name(seL4_FailedLookup), "seL4_FailedLookup");
    EXPECT_STREQ(error_name(seL4_NotEnoughMemory), "seL4_NotEnoughMemory");
    EXPECT_STREQ(error_name(seL4_Error(77)), "an unknown error");
}

TEST(RejectionLog, MethodNamesComeFromTheInvocationTable)
{
    EXPECT_STREQ(method_name(UntypedRetype), "seL4_Untyped_Retype");
    EXPECT_STREQ(method_name(CNodeMint), "seL4_CNode_Mint");
    EXPECT_STREQ(method_name(InvalidInvocation), "an unknown method");
}

} // namespace
} // namespace tessera::core

// The pinned seL4 (1326364b, docs/abi.md "The pinned seL4") as facts: every system-call number,
// invocation label and fault-message index, transcribed by hand from that commit's
// libsel4/include/api/syscall.xml, the interface XML (numbered as tools/invocation_header_gen.py
// numbers them for x86_64 non-MCS without IOMMU, VT-x, SMP or the hardware debug API) and
// sel4_arch/constants.h and shared_types.bf. Each table is compared with abi/ and with the
// generator's output (invocation_labels.h), so a number that drifts from the pinned seL4 fails.
#include <gtest/gtest.h>
#include <tessera/abi/abi.h>
#include <tessera/abi/invocation_labels.h>

#include <string>

namespace {

struct Pinned {
    const char* name;
    long long actual;   // what abi/ or the generator says
    long long expected; // what the pinned seL4 says
};

void expect_table(const Pinned* begin, const Pinned* end)
{
    for (const Pinned* p = begin; p != end; ++p) {
        EXPECT_EQ(p->actual, p->expected) << p->name;
    }
}

template <std::size_t N> void expect_table(const Pinned (&table)[N])
{
    expect_table(table, table + N);
}

}  // namespace

TEST(Sel4Pinned, CommitIsTheOneInSharedSel4)
{
    EXPECT_EQ(std::string(TESSERA_SEL4_PINNED_COMMIT), "1326364bc9135d9445d936ebc01e38a402c1f4c6");
}

// syscall.xml: api-master, then every <debug> entry whatever its condition, from -1 down.
TEST(Sel4Pinned, SystemCallNumbers)
{
    const Pinned table[] = {
        {"Call", seL4_SysCall, -1},
        {"ReplyRecv", seL4_SysReplyRecv, -2},
        {"Send", seL4_SysSend, -3},
        {"NBSend", seL4_SysNBSend, -4},
        {"Recv", seL4_SysRecv, -5},
        {"Reply", seL4_SysReply, -6},
        {"Yield", seL4_SysYield, -7},
        {"NBRecv", seL4_SysNBRecv, -8},
        {"DebugPutChar", seL4_SysDebugPutChar, -9},
        {"DebugDumpScheduler", seL4_SysDebugDumpScheduler, -10},
        {"DebugHalt", seL4_SysDebugHalt, -11},
        {"DebugCapIdentify", seL4_SysDebugCapIdentify, -12},
        {"DebugSnapshot", seL4_SysDebugSnapshot, -13},
        {"DebugNameThread", seL4_SysDebugNameThread, -14},
        {"DebugSendIPI", seL4_SysDebugSendIPI, -15},
        {"DebugGetThreadAffinity", seL4_SysDebugGetThreadAffinity, -16},
        {"DebugRun", seL4_SysDebugRun, -17},
        {"BenchmarkFlushCaches", seL4_SysBenchmarkFlushCaches, -18},
        {"BenchmarkResetLog", seL4_SysBenchmarkResetLog, -19},
        {"BenchmarkFinalizeLog", seL4_SysBenchmarkFinalizeLog, -20},
        {"BenchmarkSetLogBuffer", seL4_SysBenchmarkSetLogBuffer, -21},
        {"BenchmarkNullSyscall", seL4_SysBenchmarkNullSyscall, -22},
        {"BenchmarkGetThreadUtilisation", seL4_SysBenchmarkGetThreadUtilisation, -23},
        {"BenchmarkResetThreadUtilisation", seL4_SysBenchmarkResetThreadUtilisation, -24},
        {"BenchmarkDumpAllThreadsUtilisation", seL4_SysBenchmarkDumpAllThreadsUtilisation, -25},
        {"BenchmarkResetAllThreadsUtilisation", seL4_SysBenchmarkResetAllThreadsUtilisation, -26},
        {"X86DangerousWRMSR", seL4_SysX86DangerousWRMSR, -27},
        {"X86DangerousRDMSR", seL4_SysX86DangerousRDMSR, -28},
        {"VMEnter", seL4_SysVMEnter, -29},
        {"SetTLSBase", seL4_SysSetTLSBase, -30},
        {"API range top", TESSERA_SYSCALL_API_MAX, -1},
        {"API range bottom", TESSERA_SYSCALL_API_MIN, -8},
        {"lowest seL4 number", TESSERA_SYSCALL_MIN, -30},
    };
    expect_table(table);
}

// object-api.xml, then object-api-sel4-arch.xml (x86_64), then object-api-arch.xml (x86);
// conditional methods that this configuration leaves out take no number.
TEST(Sel4Pinned, InvocationLabels)
{
    const Pinned table[] = {
        {"InvalidInvocation", InvalidInvocation, 0},
        {"UntypedRetype", UntypedRetype, 1},
        {"TCBReadRegisters", TCBReadRegisters, 2},
        {"TCBWriteRegisters", TCBWriteRegisters, 3},
        {"TCBCopyRegisters", TCBCopyRegisters, 4},
        {"TCBConfigure", TCBConfigure, 5},
        {"TCBSetPriority", TCBSetPriority, 6},
        {"TCBSetMCPriority", TCBSetMCPriority, 7},
        {"TCBSetSchedParams", TCBSetSchedParams, 8},
        {"TCBSetIPCBuffer", TCBSetIPCBuffer, 9},
        {"TCBSetSpace", TCBSetSpace, 10},
        {"TCBSuspend", TCBSuspend, 11},
        {"TCBResume", TCBResume, 12},
        {"TCBBindNotification", TCBBindNotification, 13},
        {"TCBUnbindNotification", TCBUnbindNotification, 14},
        {"TCBSetTLSBase", TCBSetTLSBase, 15},
        {"TCBSetFlags", TCBSetFlags, 16},
        {"CNodeRevoke", CNodeRevoke, 17},
        {"CNodeDelete", CNodeDelete, 18},
        {"CNodeCancelBadgedSends", CNodeCancelBadgedSends, 19},
        {"CNodeCopy", CNodeCopy, 20},
        {"CNodeMint", CNodeMint, 21},
        {"CNodeMove", CNodeMove, 22},
        {"CNodeMutate", CNodeMutate, 23},
        {"CNodeRotate", CNodeRotate, 24},
        {"CNodeSaveCaller", CNodeSaveCaller, 25},
        {"IRQIssueIRQHandler", IRQIssueIRQHandler, 26},
        {"IRQAckIRQ", IRQAckIRQ, 27},
        {"IRQSetIRQHandler", IRQSetIRQHandler, 28},
        {"IRQClearIRQHandler", IRQClearIRQHandler, 29},
        {"DomainSetSet", DomainSetSet, 30},
        {"DomainScheduleConfigure", DomainScheduleConfigure, 31},
        {"DomainScheduleSetStart", DomainScheduleSetStart, 32},
        {"nInvocationLabels", nInvocationLabels, 33},
        {"X86PDPTMap", X86PDPTMap, 33},
        {"X86PDPTUnmap", X86PDPTUnmap, 34},
        {"nSeL4ArchInvocationLabels", nSeL4ArchInvocationLabels, 35},
        {"X86PageDirectoryMap", X86PageDirectoryMap, 35},
        {"X86PageDirectoryUnmap", X86PageDirectoryUnmap, 36},
        {"X86PageTableMap", X86PageTableMap, 37},
        {"X86PageTableUnmap", X86PageTableUnmap, 38},
        {"X86PageMap", X86PageMap, 39},
        {"X86PageUnmap", X86PageUnmap, 40},
        {"X86PageGetAddress", X86PageGetAddress, 41},
        {"X86ASIDControlMakePool", X86ASIDControlMakePool, 42},
        {"X86ASIDPoolAssign", X86ASIDPoolAssign, 43},
        {"X86IOPortControlIssue", X86IOPortControlIssue, 44},
        {"X86IOPortIn8", X86IOPortIn8, 45},
        {"X86IOPortIn16", X86IOPortIn16, 46},
        {"X86IOPortIn32", X86IOPortIn32, 47},
        {"X86IOPortOut8", X86IOPortOut8, 48},
        {"X86IOPortOut16", X86IOPortOut16, 49},
        {"X86IOPortOut32", X86IOPortOut32, 50},
        {"X86IRQIssueIRQHandlerIOAPIC", X86IRQIssueIRQHandlerIOAPIC, 51},
        {"X86IRQIssueIRQHandlerMSI", X86IRQIssueIRQHandlerMSI, 52},
        {"nArchInvocationLabels", nArchInvocationLabels, 53},
    };
    expect_table(table);
}

// shared_types.bf (x86, non-MCS, no debug API) and the message enums of shared_types.h and
// sel4_arch/constants.h.
TEST(Sel4Pinned, FaultLabelsAndMessages)
{
    const Pinned table[] = {
        {"NullFault", seL4_Fault_NullFault, 0},
        {"CapFault", seL4_Fault_CapFault, 1},
        {"UnknownSyscall", seL4_Fault_UnknownSyscall, 2},
        {"UserException", seL4_Fault_UserException, 3},
        {"VMFault", seL4_Fault_VMFault, 5},
        {"CapFault_IP", seL4_CapFault_IP, 0},
        {"CapFault_Addr", seL4_CapFault_Addr, 1},
        {"CapFault_InRecvPhase", seL4_CapFault_InRecvPhase, 2},
        {"CapFault_LookupFailureType", seL4_CapFault_LookupFailureType, 3},
        {"CapFault_BitsLeft", seL4_CapFault_BitsLeft, 4},
        {"CapFault_DepthMismatch_BitsFound", seL4_CapFault_DepthMismatch_BitsFound, 5},
        {"CapFault_GuardMismatch_GuardFound", seL4_CapFault_GuardMismatch_GuardFound, 5},
        {"CapFault_GuardMismatch_BitsFound", seL4_CapFault_GuardMismatch_BitsFound, 6},
        {"VMFault_IP", seL4_VMFault_IP, 0},
        {"VMFault_Addr", seL4_VMFault_Addr, 1},
        {"VMFault_PrefetchFault", seL4_VMFault_PrefetchFault, 2},
        {"VMFault_FSR", seL4_VMFault_FSR, 3},
        {"VMFault_Length", seL4_VMFault_Length, 4},
        {"UnknownSyscall_RAX", seL4_UnknownSyscall_RAX, 0},
        {"UnknownSyscall_RBX", seL4_UnknownSyscall_RBX, 1},
        {"UnknownSyscall_RCX", seL4_UnknownSyscall_RCX, 2},
        {"UnknownSyscall_RDX", seL4_UnknownSyscall_RDX, 3},
        {"UnknownSyscall_RSI", seL4_UnknownSyscall_RSI, 4},
        {"UnknownSyscall_RDI", seL4_UnknownSyscall_RDI, 5},
        {"UnknownSyscall_RBP", seL4_UnknownSyscall_RBP, 6},
        {"UnknownSyscall_R8", seL4_UnknownSyscall_R8, 7},
        {"UnknownSyscall_R9", seL4_UnknownSyscall_R9, 8},
        {"UnknownSyscall_R10", seL4_UnknownSyscall_R10, 9},
        {"UnknownSyscall_R11", seL4_UnknownSyscall_R11, 10},
        {"UnknownSyscall_R12", seL4_UnknownSyscall_R12, 11},
        {"UnknownSyscall_R13", seL4_UnknownSyscall_R13, 12},
        {"UnknownSyscall_R14", seL4_UnknownSyscall_R14, 13},
        {"UnknownSyscall_R15", seL4_UnknownSyscall_R15, 14},
        {"UnknownSyscall_FaultIP", seL4_UnknownSyscall_FaultIP, 15},
        {"UnknownSyscall_SP", seL4_UnknownSyscall_SP, 16},
        {"UnknownSyscall_FLAGS", seL4_UnknownSyscall_FLAGS, 17},
        {"UnknownSyscall_Syscall", seL4_UnknownSyscall_Syscall, 18},
        {"UnknownSyscall_Length", seL4_UnknownSyscall_Length, 19},
        {"UserException_FaultIP", seL4_UserException_FaultIP, 0},
        {"UserException_SP", seL4_UserException_SP, 1},
        {"UserException_FLAGS", seL4_UserException_FLAGS, 2},
        {"UserException_Number", seL4_UserException_Number, 3},
        {"UserException_Code", seL4_UserException_Code, 4},
        {"UserException_Length", seL4_UserException_Length, 5},
    };
    expect_table(table);
}

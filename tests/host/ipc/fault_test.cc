// Faults as messages: each layout, the reply's restart rules, and faults with no handler.

#include <gtest/gtest.h>

#include <tessera/abi/faults.h>

#include "ipc/fault.h"
#include "ipc_world.h"

namespace tessera::core::test {
namespace {

struct FaultFixture : ::testing::Test {
    IpcWorld w;
    Tcb& faulter = w.thread(10);
    Tcb& handler = w.thread(10);
    EndpointCap ep = w.endpoint(5);

    void SetUp() override
    {
        insert_derived(ep.with_badge(Badge{0xfa}).cap(), w.root_slot(5), w.root_slot(6));
        faulter.thread.fault_endpoint = CPtr{6};
        w.arch.of(faulter).fault_ip = 0x401000;
        for (size_t r = 0; r < UserRegisterCount; ++r)
            w.arch.of(faulter).registers[r] = 0x100 + r;
        recv(w.ctx, handler, ep, Blocking::Yes);
    }
    Word mr(size_t i) { return w.mr(handler, i); }
    Word info() { return w.arch.of(handler).info; }
};

TEST_F(FaultFixture, CapFaultMessage)
{
    auto f = cap_fault(CPtr{0x33}, true, LookupFailure::depth_mismatch(12, 8));
    EXPECT_EQ(handle_fault(w.ctx, faulter, f), FaultOutcome::SentToHandler);
    EXPECT_EQ(faulter.state(), ThreadState::BlockedOnReply);
    EXPECT_EQ(info_label(info()), Word{seL4_Fault_CapFault});
    EXPECT_EQ(info_length(info()), 6u);
    EXPECT_EQ(w.arch.of(handler).badge, 0xfau);
    EXPECT_EQ(mr(seL4_CapFault_IP), 0x401000u);
    EXPECT_EQ(mr(seL4_CapFault_Addr), 0x33u);
    EXPECT_EQ(mr(seL4_CapFault_InRecvPhase), 1u);
    EXPECT_EQ(mr(seL4_CapFault_LookupFailureType), Word{seL4_DepthMismatch});
    EXPECT_EQ(mr(seL4_CapFault_BitsLeft), 12u);
    EXPECT_EQ(mr(seL4_CapFault_DepthMismatch_BitsFound), 8u);
}

TEST_F(FaultFixture, UnknownSyscallMessageHasRegisters)
{
    EXPECT_EQ(handle_fault(w.ctx, faulter, unknown_syscall_fault(Word(-20))),
              FaultOutcome::SentToHandler);
    EXPECT_EQ(info_label(info()), Word{seL4_Fault_UnknownSyscall});
    EXPECT_EQ(info_length(info()), Word{seL4_UnknownSyscall_Length});
    auto reg = [&](UserRegister r) { return 0x100 + Word(r); };
    EXPECT_EQ(mr(seL4_UnknownSyscall_RAX), reg(UserRegister::Rax));
    EXPECT_EQ(mr(seL4_UnknownSyscall_RDI), reg(UserRegister::Rdi));
    EXPECT_EQ(mr(seL4_UnknownSyscall_R15), reg(UserRegister::R15));
    EXPECT_EQ(mr(seL4_UnknownSyscall_FaultIP), 0x401000u);
    EXPECT_EQ(mr(seL4_UnknownSyscall_SP), reg(UserRegister::Rsp));
    EXPECT_EQ(mr(seL4_UnknownSyscall_FLAGS), reg(UserRegister::Rflags));
    EXPECT_EQ(mr(seL4_UnknownSyscall_Syscall), Word(-20));
}

TEST_F(FaultFixture, UserExceptionMessage)
{
    (void)handle_fault(w.ctx, faulter, user_exception_fault(13, 0x18));
    EXPECT_EQ(info_label(info()), Word{seL4_Fault_UserException});
    EXPECT_EQ(info_length(info()), Word{seL4_UserException_Length});
    EXPECT_EQ(mr(seL4_UserException_FaultIP), 0x401000u);
    EXPECT_EQ(mr(seL4_UserException_Number), 13u);
    EXPECT_EQ(mr(seL4_UserException_Code), 0x18u);
}

TEST_F(FaultFixture, VmFaultMessage)
{
    (void)handle_fault(w.ctx, faulter, vm_fault(VAddr{0xdead000}, true, 0x15));
    EXPECT_EQ(info_label(info()), Word{seL4_Fault_VMFault});
    EXPECT_EQ(info_length(info()), Word{seL4_VMFault_Length});
    EXPECT_EQ(mr(seL4_VMFault_IP), 0x401000u);
    EXPECT_EQ(mr(seL4_VMFault_Addr), 0xdead000u);
    EXPECT_EQ(mr(seL4_VMFault_PrefetchFault), 1u);
    EXPECT_EQ(mr(seL4_VMFault_FSR), 0x15u);
}

TEST_F(FaultFixture, VmFaultReplyRestartsWhateverTheLabel)
{
    (void)handle_fault(w.ctx, faulter, vm_fault(VAddr{0x1000}, false, 4));
    w.load(handler, 99, {});
    reply(w.ctx, handler);
    EXPECT_EQ(faulter.state(), ThreadState::Restart);
    EXPECT_EQ(faulter.thread.fault.kind, FaultKind::None);
}

TEST_F(FaultFixture, UnknownSyscallReplyWithLabelZeroWritesRegistersAndRestarts)
{
    (void)handle_fault(w.ctx, faulter, unknown_syscall_fault(7));
    std::vector<Word> regs(18);
    for (size_t i = 0; i < regs.size(); ++i)
        regs[i] = 0x9000 + i;
    w.load(handler, 0, regs);
    reply(w.ctx, handler);
    EXPECT_EQ(faulter.state(), ThreadState::Restart);
    EXPECT_EQ(w.arch.of(faulter).registers[size_t(UserRegister::Rax)], 0x9000u);
    EXPECT_EQ(w.arch.of(faulter).registers[size_t(UserRegister::R15)], 0x9000u + 14);
    EXPECT_EQ(w.arch.of(faulter).fault_ip, 0x9000u + 15);
    EXPECT_EQ(w.arch.of(faulter).registers[size_t(UserRegister::Rsp)], 0x9000u + 16);
}

TEST_F(FaultFixture, UserExceptionReplyWithNonZeroLabelStopsThread)
{
    (void)handle_fault(w.ctx, faulter, user_exception_fault(6, 0));
    w.load(handler, 1, {0x5555});
    reply(w.ctx, handler);
    EXPECT_EQ(faulter.state(), ThreadState::Inactive);
    EXPECT_EQ(w.arch.of(faulter).fault_ip, 0x401000u);
}

TEST_F(FaultFixture, NoHandlerStopsThreadAndReportsOneLine)
{
    faulter.thread.fault_endpoint = CPtr{200}; // empty slot
    EXPECT_EQ(handle_fault(w.ctx, faulter, user_exception_fault(0, 0)), FaultOutcome::NoHandler);
    EXPECT_EQ(faulter.state(), ThreadState::Inactive);
    ASSERT_EQ(w.reporter.lines.size(), 1u);
    EXPECT_EQ(w.reporter.lines[0].first, &faulter);
    EXPECT_NE(w.reporter.lines[0].second.find("user exception"), std::string::npos);
}

TEST_F(FaultFixture, HandlerWithoutGrantRightsIsNoHandler)
{
    insert_derived(ep.with_rights(CapRights::from_word(CapRights::Write::mask)).cap(),
                   w.root_slot(5), w.root_slot(7));
    faulter.thread.fault_endpoint = CPtr{7};
    EXPECT_EQ(handle_fault(w.ctx, faulter, vm_fault(VAddr{0}, false, 0)), FaultOutcome::NoHandler);
    EXPECT_EQ(w.object(ep).state(), EndpointState::Receive);
}

} // namespace
} // namespace tessera::core::test

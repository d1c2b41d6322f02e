// TCB invocations: seL4's checks (truncation, MCP, rights, types) and what each one performs.

#include <gtest/gtest.h>

#include "cap/cap_arch_kinds.h"
#include "ipc_world.h"
#include "tcb/tcb_invocation.h"

namespace tessera::core::test {
namespace {

struct TcbInvocationFixture : ::testing::Test {
    IpcWorld w;
    Tcb& caller = w.thread(100);
    Tcb& target = w.thread(10);
    TcbCap target_cap = TcbCap::make(w.core.window.physical(&target));

    void SetUp() override
    {
        w.make_current(caller);
        insert_root_cap(w.root_slot(40), TcbCap::make(w.core.window.physical(&caller)).cap());
    }
    Result<TcbPlan> decode(TcbMethod m, std::vector<Word> words, std::vector<Slot*> caps = {})
    {
        words_ = std::move(words);
        caps_ = std::move(caps);
        Invocation inv{words_.data(), words_.size(), caps_.data(), caps_.size()};
        return decode_tcb_invocation(w.ctx, m, inv, target_cap, caller);
    }
    TcbReply invoke(TcbMethod m, std::vector<Word> words, std::vector<Slot*> caps = {})
    {
        auto plan = decode(m, std::move(words), std::move(caps));
        EXPECT_TRUE(plan.is_ok()) << plan.error().reason();
        TcbReply reply;
        if (plan) {
            EXPECT_EQ(perform_tcb_invocation(w.ctx, plan.value(), reply), Progress::Done);
        }
        return reply;
    }
    std::vector<Word> words_;
    std::vector<Slot*> caps_;
};

TEST_F(TcbInvocationFixture, SetPriorityAboveAuthorityMcpIsRangeError)
{
    caller.thread.max_controlled_priority = 50;
    auto r = decode(TcbMethod::SetPriority, {51}, {&w.root_slot(40)});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), SyscallError::range_error(0, 50));
    invoke(TcbMethod::SetPriority, {50}, {&w.root_slot(40)});
    EXPECT_EQ(target.thread.priority, 50);
    EXPECT_EQ(w.scheduler.queues(Domain{}).head(50), &target);
}

TEST_F(TcbInvocationFixture, SetPriorityNeedsTcbAuthorityAndArguments)
{
    EXPECT_EQ(decode(TcbMethod::SetPriority, {1}).error(), SyscallError::truncated_message());
    w.endpoint(41);
    EXPECT_EQ(decode(TcbMethod::SetPriority, {1}, {&w.root_slot(41)}).error(),
              SyscallError::invalid_capability(1));
}

TEST_F(TcbInvocationFixture, SetSchedParamsChecksMcpThenPriority)
{
    caller.thread.max_controlled_priority = 30;
    EXPECT_EQ(decode(TcbMethod::SetSchedParams, {31, 1}, {&w.root_slot(40)}).error(),
              SyscallError::range_error(0, 30));
    EXPECT_EQ(decode(TcbMethod::SetSchedParams, {1, 31}, {&w.root_slot(40)}).error(),
              SyscallError::range_error(0, 30));
    invoke(TcbMethod::SetSchedParams, {20, 15}, {&w.root_slot(40)});
    EXPECT_EQ(target.thread.max_controlled_priority, 20);
    EXPECT_EQ(target.thread.priority, 15);
}

TEST_F(TcbInvocationFixture, SetMCPrioritySetsOnlyMcp)
{
    invoke(TcbMethod::SetMCPriority, {77}, {&w.root_slot(40)});
    EXPECT_EQ(target.thread.max_controlled_priority, 77);
    EXPECT_EQ(target.thread.priority, 10);
}

TEST_F(TcbInvocationFixture, SuspendAndResume)
{
    invoke(TcbMethod::Suspend, {});
    EXPECT_EQ(target.state(), ThreadState::Inactive);
    EXPECT_FALSE(target.thread.in_ready_queue);
    invoke(TcbMethod::Resume, {});
    EXPECT_EQ(target.state(), ThreadState::Restart);
}

TEST_F(TcbInvocationFixture, ReadRegistersChecksCountAndSelf)
{
    EXPECT_EQ(decode(TcbMethod::ReadRegisters, {0, 0}).error(), SyscallError::range_error(1, 20));
    EXPECT_EQ(decode(TcbMethod::ReadRegisters, {0, 21}).error(), SyscallError::range_error(1, 20));
    EXPECT_EQ(decode(TcbMethod::ReadRegisters, {0}).error(), SyscallError::truncated_message());
    w.arch.of(target).fault_ip = 0x1234;
    w.arch.of(target).registers[size_t(UserRegister::Rsp)] = 0x8000;
    TcbReply reply = invoke(TcbMethod::ReadRegisters, {SuspendSourceFlag, 2});
    EXPECT_EQ(reply.length, 2u);
    EXPECT_EQ(reply.words[0], 0x1234u);
    EXPECT_EQ(reply.words[1], 0x8000u);
    EXPECT_EQ(target.state(), ThreadState::Inactive);
    target_cap = TcbCap::make(w.core.window.physical(&caller));
    EXPECT_EQ(decode(TcbMethod::ReadRegisters, {0, 1}).error(), SyscallError::illegal_operation());
}

TEST_F(TcbInvocationFixture, WriteRegistersNeedsAllWordsAndCanResume)
{
    EXPECT_EQ(decode(TcbMethod::WriteRegisters, {0, 3, 1, 2}).error(),
              SyscallError::truncated_message());
    invoke(TcbMethod::Suspend, {});
    invoke(TcbMethod::WriteRegisters, {ResumeTargetFlag, 3, 0x4000, 0x9000, 0x202});
    EXPECT_EQ(w.arch.of(target).fault_ip, 0x4000u);
    EXPECT_EQ(w.arch.of(target).registers[size_t(UserRegister::Rsp)], 0x9000u);
    EXPECT_EQ(w.arch.of(target).registers[size_t(UserRegister::Rflags)], 0x202u);
    EXPECT_EQ(target.state(), ThreadState::Restart);
}

// seL4 Arch_postModifyRegisters on x86_64: another thread's written registers come back by a
// full restore; the caller's own (CopyRegisters into itself) leave by sysret like any system call.
TEST_F(TcbInvocationFixture, WritingAnotherThreadsRegistersAsksForAFullRestore)
{
    invoke(TcbMethod::WriteRegisters, {0, 1, 0x4000});
    EXPECT_EQ(w.arch.of(target).written_from_outside, 1);
    target_cap = TcbCap::make(w.core.window.physical(&caller));
    EXPECT_EQ(decode(TcbMethod::WriteRegisters, {0, 1, 0x4000}).error(), SyscallError::illegal_operation());
}

TEST_F(TcbInvocationFixture, CopyRegistersIntoAnotherThreadAsksForAFullRestore)
{
    Tcb& source = w.thread(10);
    insert_root_cap(w.root_slot(42), TcbCap::make(w.core.window.physical(&source)).cap());
    invoke(TcbMethod::CopyRegisters, {TransferFrameFlag}, {&w.root_slot(42)});
    EXPECT_EQ(w.arch.of(target).written_from_outside, 1);
    EXPECT_EQ(w.arch.of(source).written_from_outside, 0);
    target_cap = TcbCap::make(w.core.window.physical(&caller));
    invoke(TcbMethod::CopyRegisters, {TransferFrameFlag}, {&w.root_slot(42)});
    EXPECT_EQ(w.arch.of(caller).written_from_outside, 0);
}

TEST_F(TcbInvocationFixture, CopyRegistersTransfersChosenGroups)
{
    Tcb& source = w.thread(10);
    insert_root_cap(w.root_slot(42), TcbCap::make(w.core.window.physical(&source)).cap());
    w.arch.of(source).registers[size_t(UserRegister::Rax)] = 7;
    w.arch.of(source).registers[size_t(UserRegister::FsBase)] = 9;
    invoke(TcbMethod::CopyRegisters, {TransferFrameFlag}, {&w.root_slot(42)});
    EXPECT_EQ(w.arch.of(target).registers[size_t(UserRegister::Rax)], 7u);
    EXPECT_EQ(w.arch.of(target).registers[size_t(UserRegister::FsBase)], 0u);
    invoke(TcbMethod::CopyRegisters, {TransferIntegerFlag | SuspendSourceFlag}, {&w.root_slot(42)});
    EXPECT_EQ(w.arch.of(target).registers[size_t(UserRegister::FsBase)], 9u);
    EXPECT_EQ(source.state(), ThreadState::Inactive);
    w.endpoint(43);
    EXPECT_EQ(decode(TcbMethod::CopyRegisters, {0}, {&w.root_slot(43)}).error(),
              SyscallError::invalid_capability(1));
}

TEST_F(TcbInvocationFixture, SetIPCBufferChecksFrameAndAlignment)
{
    insert_root_cap(
        w.root_slot(44),
        FrameCap::make(PAddr{0x200000}, FrameSize::Small, VmRights::ReadWrite, Device::No).cap());
    EXPECT_EQ(decode(TcbMethod::SetIPCBuffer, {0x10010}, {&w.root_slot(44)}).error(),
              SyscallError::alignment_error());
    w.endpoint(45);
    EXPECT_EQ(decode(TcbMethod::SetIPCBuffer, {0x10000}, {&w.root_slot(45)}).error(),
              SyscallError::illegal_operation());
    invoke(TcbMethod::SetIPCBuffer, {0x10400}, {&w.root_slot(44)});
    EXPECT_EQ(target.thread.ipc_buffer, VAddr{0x10400});
    EXPECT_TRUE(FrameCap::is(target.slot(TcbSlot::Buffer).cap));
    invoke(TcbMethod::SetIPCBuffer, {0}, {&w.root_slot(44)});
    EXPECT_TRUE(target.slot(TcbSlot::Buffer).is_empty());
}

TEST_F(TcbInvocationFixture, SetSpaceNeedsCNodeAndMappedPml4)
{
    insert_root_cap(w.root_slot(46), Pml4Cap::make(PAddr{0x300000}).cap());
    insert_root_cap(w.root_slot(47),
                    Pml4Cap::make(PAddr{0x301000}).with_mapping(Asid{1}, VAddr{0}).cap());
    EXPECT_EQ(decode(TcbMethod::SetSpace, {5, 0, 0}, {&w.root_slot(0), &w.root_slot(46)}).error(),
              SyscallError::illegal_operation());
    EXPECT_EQ(decode(TcbMethod::SetSpace, {5, 0, 0}, {&w.root_slot(47), &w.root_slot(47)}).error(),
              SyscallError::illegal_operation());
    EXPECT_EQ(decode(TcbMethod::SetSpace, {5, 0}, {&w.root_slot(0), &w.root_slot(47)}).error(),
              SyscallError::truncated_message());
    invoke(TcbMethod::SetSpace, {5, 0, 0}, {&w.root_slot(0), &w.root_slot(47)});
    EXPECT_EQ(target.thread.fault_endpoint, CPtr{5});
    EXPECT_TRUE(CNodeCap::is(target.slot(TcbSlot::CSpace).cap));
    EXPECT_TRUE(Pml4Cap::is(target.slot(TcbSlot::VSpace).cap));
}

// The architecture keeps what it resolved from a thread's VSpace slot (x86_64: the PML4, checked
// with one word on every switch): SetSpace must tell it, for the target only, and a method that
// leaves the slot alone must not (a missed call would run the thread in its old address space).
TEST_F(TcbInvocationFixture, SetSpaceTellsTheArchitectureTheVSpaceChanged)
{
    insert_root_cap(w.root_slot(47),
                    Pml4Cap::make(PAddr{0x301000}).with_mapping(Asid{1}, VAddr{0}).cap());
    EXPECT_EQ(w.arch.of(target).vspace_changes, 0);
    invoke(TcbMethod::SetSpace, {5, 0, 0}, {&w.root_slot(0), &w.root_slot(47)});
    EXPECT_EQ(w.arch.of(target).vspace_changes, 1);
    EXPECT_EQ(w.arch.of(caller).vspace_changes, 0);
    // Again with the same capability: the slot is emptied and written again.
    invoke(TcbMethod::SetSpace, {5, 0, 0}, {&w.root_slot(0), &w.root_slot(47)});
    EXPECT_EQ(w.arch.of(target).vspace_changes, 2);
    invoke(TcbMethod::SetIPCBuffer, {0}, {&w.root_slot(44)});
    invoke(TcbMethod::SetPriority, {50}, {&w.root_slot(40)});
    EXPECT_EQ(w.arch.of(target).vspace_changes, 2);
}

TEST_F(TcbInvocationFixture, BindNotificationRules)
{
    NotificationCap n = w.notification(48);
    insert_derived(n.with_rights(CapRights::from_word(CapRights::Write::mask)).cap(),
                   w.root_slot(48), w.root_slot(49));
    EXPECT_EQ(decode(TcbMethod::BindNotification, {}).error(), SyscallError::truncated_message());
    EXPECT_EQ(decode(TcbMethod::BindNotification, {}, {&w.root_slot(49)}).error(),
              SyscallError::illegal_operation());
    EXPECT_EQ(decode(TcbMethod::UnbindNotification, {}).error(), SyscallError::illegal_operation());
    invoke(TcbMethod::BindNotification, {}, {&w.root_slot(48)});
    EXPECT_EQ(target.thread.bound_notification, &w.object(n));
    EXPECT_EQ(decode(TcbMethod::BindNotification, {}, {&w.root_slot(48)}).error(),
              SyscallError::illegal_operation());
    invoke(TcbMethod::UnbindNotification, {});
    EXPECT_EQ(w.object(n).bound_tcb(), nullptr);
}

TEST_F(TcbInvocationFixture, SetTLSBaseWritesFsBase)
{
    EXPECT_EQ(decode(TcbMethod::SetTLSBase, {}).error(), SyscallError::truncated_message());
    invoke(TcbMethod::SetTLSBase, {0x7000});
    EXPECT_EQ(target.thread.tls_base, VAddr{0x7000});
    EXPECT_EQ(w.arch.of(target).registers[size_t(UserRegister::FsBase)], 0x7000u);
}

} // namespace
} // namespace tessera::core::test

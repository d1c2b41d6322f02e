// The fault fastpath against the slow path, in two identical worlds: a fault sent to a handler
// waiting in Recv (fastpath_fault against handle_fault) and the handler's ReplyRecv that resumes
// the faulted thread (fastpath_reply_recv against reply + recv) must leave the same message,
// registers, states, fault records, queues and reply capabilities. Every case the fastpath
// declines must leave everything as it was for handle_fault.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <tessera/abi/faults.h>

#include "ipc/fastpath.h"
#include "ipc/fault.h"
#include "ipc_world.h"

namespace tessera::core::test {
namespace {

constexpr Word EndpointSlot = 5;
constexpr Word FaultEndpointSlot = 6; // a badged copy: the handler learns who faulted
constexpr Word FaultIp = 0x401000;

// A handler blocked in Recv on its endpoint and a thread about to fault, as the kernel sees
// them: the faulting thread is current.
struct Scene {
    IpcWorld w;
    Tcb& faulter = w.thread(10);
    Tcb& handler = w.thread(10);
    EndpointCap ep = w.endpoint(EndpointSlot);

    explicit Scene(CapRights fault_rights = CapRights::all())
    {
        insert_derived(ep.with_badge(Badge{0xfa}).with_rights(fault_rights).cap(), w.root_slot(EndpointSlot),
                       w.root_slot(FaultEndpointSlot));
        faulter.thread.fault_endpoint = CPtr{FaultEndpointSlot};
        w.arch.of(faulter).fault_ip = FaultIp;
        for (size_t r = 0; r < UserRegisterCount; ++r)
            w.arch.of(faulter).registers[r] = 0x100 + r;
        w.make_current(handler);
        recv(w.ctx, handler, ep, Blocking::Yes);
        w.scheduler.schedule();
        w.make_current(faulter);
    }
};

// One fault of each kind seL4 sends as a message.
PendingFault fault_of(FaultKind kind)
{
    switch (kind) {
    case FaultKind::CapFault:
        return cap_fault(CPtr{0x33}, true, LookupFailure::depth_mismatch(12, 8));
    case FaultKind::UnknownSyscall:
        return unknown_syscall_fault(0x1234);
    case FaultKind::UserException:
        return user_exception_fault(13, 0x18);
    case FaultKind::VmFault:
        return vm_fault(VAddr{0xdead000}, true, 0x15);
    case FaultKind::None:
        break;
    }
    return {};
}

// The records' other words mean something only with a kind (tcb.h): a reply may clear the kind alone.
void expect_same_fault(const PendingFault& a, const PendingFault& b)
{
    EXPECT_EQ(a.kind, b.kind);
    if (a.kind == FaultKind::None)
        return;
    EXPECT_EQ(a.address, b.address);
    EXPECT_EQ(a.in_receive, b.in_receive);
    EXPECT_EQ(a.detail_words, b.detail_words);
    for (size_t i = 0; i < 4; ++i)
        EXPECT_EQ(a.detail[i], b.detail[i]) << "detail word " << i;
}

// The faulted thread as both worlds leave it: state, every user register, the fault IP and
// where it restarted.
void expect_same_faulter(Scene& a, Scene& b)
{
    EXPECT_EQ(a.faulter.state(), b.faulter.state());
    const FakeThread& fa = a.w.arch.of(a.faulter);
    const FakeThread& fb = b.w.arch.of(b.faulter);
    for (size_t r = 0; r < UserRegisterCount; ++r)
        EXPECT_EQ(fa.registers[r], fb.registers[r]) << "user register " << r;
    EXPECT_EQ(fa.fault_ip, fb.fault_ip);
    EXPECT_EQ(fa.restarted_at, fb.restarted_at);
    expect_same_fault(a.faulter.thread.fault, b.faulter.thread.fault);
}

class FaultFastpathKinds : public ::testing::TestWithParam<FaultKind> {};

TEST_P(FaultFastpathKinds, FaultAndItsReplyMatchTheSlowPath)
{
    const PendingFault fault = fault_of(GetParam());
    Scene fast, slow;
    ASSERT_TRUE(fastpath_fault(fast.w.ctx, fast.faulter, fault));
    EXPECT_EQ(handle_fault(slow.w.ctx, slow.faulter, fault), FaultOutcome::SentToHandler);
    slow.w.scheduler.schedule();

    EXPECT_EQ(fast.w.scheduler.current(), &fast.handler);
    EXPECT_EQ(slow.w.scheduler.current(), &slow.handler);
    EXPECT_EQ(fast.faulter.state(), ThreadState::BlockedOnReply);
    expect_same_faulter(fast, slow);
    EXPECT_EQ(fast.handler.state(), slow.handler.state());
    EXPECT_EQ(fast.w.arch.of(fast.handler).info, slow.w.arch.of(slow.handler).info);
    EXPECT_EQ(fast.w.arch.of(fast.handler).badge, 0xfau);
    EXPECT_EQ(slow.w.arch.of(slow.handler).badge, 0xfau);
    for (size_t i = 0; i < seL4_MsgMaxLength; ++i)
        EXPECT_EQ(fast.w.mr(fast.handler, i), slow.w.mr(slow.handler, i)) << "message register " << i;
    EXPECT_EQ(fast.handler.slot(TcbSlot::Caller).cap, slow.handler.slot(TcbSlot::Caller).cap);
    EXPECT_EQ(fast.handler.slot(TcbSlot::Caller).mdb.prev(), &fast.faulter.slot(TcbSlot::Reply));
    EXPECT_EQ(slow.handler.slot(TcbSlot::Caller).mdb.prev(), &slow.faulter.slot(TcbSlot::Reply));
    EXPECT_EQ(fast.w.object(fast.ep).state(), slow.w.object(slow.ep).state());

    // The handler answers as an emulator does: label 0, every register it may write, the fault
    // IP moved on; for a capability or VM fault the words are ignored and the thread restarts.
    std::vector<Word> reply_words(seL4_UnknownSyscall_Length);
    for (size_t i = 0; i < reply_words.size(); ++i)
        reply_words[i] = 0x9000 + i;
    for (Scene* s : {&fast, &slow})
        s->w.load(s->handler, 0, reply_words);
    const Word info = fast.w.arch.of(fast.handler).info;
    ASSERT_TRUE(fastpath_reply_recv(fast.w.ctx, fast.handler, CPtr{EndpointSlot}, info));
    reply(slow.w.ctx, slow.handler);
    recv(slow.w.ctx, slow.handler, slow.ep, Blocking::Yes);
    slow.w.scheduler.schedule();
    slow.w.scheduler.activate_current();

    EXPECT_EQ(fast.w.scheduler.current(), &fast.faulter);
    EXPECT_EQ(slow.w.scheduler.current(), &slow.faulter);
    EXPECT_EQ(fast.faulter.state(), ThreadState::Running);
    EXPECT_EQ(fast.faulter.thread.fault.kind, FaultKind::None);
    expect_same_faulter(fast, slow);
    EXPECT_EQ(fast.handler.state(), ThreadState::BlockedOnReceive);
    EXPECT_EQ(slow.handler.state(), ThreadState::BlockedOnReceive);
    EXPECT_EQ(fast.w.object(fast.ep).head(), &fast.handler);
    EXPECT_EQ(slow.w.object(slow.ep).head(), &slow.handler);
    for (Scene* s : {&fast, &slow}) {
        EXPECT_TRUE(s->handler.slot(TcbSlot::Caller).is_empty());
        EXPECT_TRUE(s->handler.slot(TcbSlot::Caller).mdb.is_empty());
        EXPECT_EQ(s->faulter.slot(TcbSlot::Reply).mdb.next(), nullptr);
    }
}

std::string kind_name(const ::testing::TestParamInfo<FaultKind>& info)
{
    switch (info.param) {
    case FaultKind::CapFault:
        return "CapFault";
    case FaultKind::UnknownSyscall:
        return "UnknownSyscall";
    case FaultKind::UserException:
        return "UserException";
    case FaultKind::VmFault:
        return "VmFault";
    case FaultKind::None:
        break;
    }
    return "None";
}

INSTANTIATE_TEST_SUITE_P(Kinds, FaultFastpathKinds,
                         ::testing::Values(FaultKind::CapFault, FaultKind::UnknownSyscall,
                                           FaultKind::UserException, FaultKind::VmFault),
                         kind_name);

// Each declined fault leaves the world as it was: no fault recorded, nothing sent.
void expect_untouched(Scene& s)
{
    EXPECT_EQ(s.faulter.state(), ThreadState::Running);
    EXPECT_EQ(s.faulter.thread.fault.kind, FaultKind::None);
    EXPECT_EQ(s.handler.state(), ThreadState::BlockedOnReceive);
    EXPECT_EQ(s.w.scheduler.current(), &s.faulter);
    EXPECT_TRUE(s.handler.slot(TcbSlot::Caller).is_empty());
    EXPECT_EQ(s.w.arch.of(s.handler).info, 0u);
}

// An UnknownSyscall message and its reply go through the architecture's one pass
// (ArchThread::set_syscall_fault_message, apply_syscall_fault_reply) only when the buffers are
// there and the reply names every register and the fault IP (a reply through FaultIP or SP
// leaves the registers past it as they were); a handler without an IPC buffer (four words reach
// it), a short reply (only the registers it names change) and a long reply from a handler
// without a buffer (clamped to four words) go the general way. The fast world's fault takes the
// kernel's own shape (fastpath_syscall_fault: the message in one pass, the record written in
// place), which declines a handler without a buffer unwritten: handle_fault then sends it, as the
// kernel's decline does. Fastpath and slow path must agree in each, and with the words seL4's
// layout puts where.
struct SyscallShape {
    const char* name;
    bool handler_buffer;
    size_t reply_length;
};

class SyscallFaultShapes : public ::testing::TestWithParam<SyscallShape> {};

TEST_P(SyscallFaultShapes, MatchTheSlowPath)
{
    const SyscallShape shape = GetParam();
    const PendingFault fault = fault_of(FaultKind::UnknownSyscall);
    Scene fast, slow;
    for (Scene* s : {&fast, &slow})
        s->w.arch.of(s->handler).has_buffer = shape.handler_buffer;
    if (shape.handler_buffer) {
        ASSERT_TRUE(fastpath_syscall_fault(fast.w.ctx, fast.faulter, fault.detail[0]));
    } else {
        EXPECT_FALSE(fastpath_syscall_fault(fast.w.ctx, fast.faulter, fault.detail[0]));
        expect_untouched(fast);
        EXPECT_EQ(handle_fault(fast.w.ctx, fast.faulter, fault), FaultOutcome::SentToHandler);
        fast.w.scheduler.schedule();
    }
    EXPECT_EQ(handle_fault(slow.w.ctx, slow.faulter, fault), FaultOutcome::SentToHandler);
    slow.w.scheduler.schedule();
    EXPECT_EQ(fast.w.scheduler.current(), &fast.handler);
    EXPECT_EQ(fast.faulter.state(), ThreadState::BlockedOnReply);
    expect_same_faulter(fast, slow);
    EXPECT_EQ(fast.handler.slot(TcbSlot::Caller).cap, slow.handler.slot(TcbSlot::Caller).cap);
    EXPECT_EQ(fast.handler.slot(TcbSlot::Caller).mdb.prev(), &fast.faulter.slot(TcbSlot::Reply));
    EXPECT_EQ(fast.w.arch.of(fast.handler).badge, slow.w.arch.of(slow.handler).badge);
    EXPECT_EQ(fast.w.arch.of(fast.handler).info, slow.w.arch.of(slow.handler).info);
    for (size_t i = 0; i < seL4_MsgMaxLength; ++i)
        EXPECT_EQ(fast.w.mr(fast.handler, i), slow.w.mr(slow.handler, i)) << "message register " << i;
    // The words seL4's layout puts where, as far as the handler can receive them.
    const size_t received = shape.handler_buffer ? size_t{seL4_UnknownSyscall_Length} : size_t{seL4_FastMessageRegisters};
    const Word expected[seL4_UnknownSyscall_Length] = {
        0x100 + Word(UserRegister::Rax), 0x100 + Word(UserRegister::Rbx), 0x100 + Word(UserRegister::Rcx),
        0x100 + Word(UserRegister::Rdx), 0x100 + Word(UserRegister::Rsi), 0x100 + Word(UserRegister::Rdi),
        0x100 + Word(UserRegister::Rbp), 0x100 + Word(UserRegister::R8),  0x100 + Word(UserRegister::R9),
        0x100 + Word(UserRegister::R10), 0x100 + Word(UserRegister::R11), 0x100 + Word(UserRegister::R12),
        0x100 + Word(UserRegister::R13), 0x100 + Word(UserRegister::R14), 0x100 + Word(UserRegister::R15),
        FaultIp,                         0x100 + Word(UserRegister::Rsp), 0x100 + Word(UserRegister::Rflags),
        0x1234};
    for (size_t i = 0; i < received; ++i)
        EXPECT_EQ(fast.w.mr(fast.handler, i), expected[i]) << "message word " << i;

    std::vector<Word> reply_words(shape.reply_length);
    for (size_t i = 0; i < reply_words.size(); ++i)
        reply_words[i] = 0x7000 + i;
    for (Scene* s : {&fast, &slow})
        s->w.load(s->handler, 0, reply_words);
    ASSERT_TRUE(fastpath_reply_recv(fast.w.ctx, fast.handler, CPtr{EndpointSlot}, fast.w.arch.of(fast.handler).info));
    reply(slow.w.ctx, slow.handler);
    recv(slow.w.ctx, slow.handler, slow.ep, Blocking::Yes);
    slow.w.scheduler.schedule();
    slow.w.scheduler.activate_current();
    EXPECT_EQ(fast.w.scheduler.current(), &fast.faulter);
    expect_same_faulter(fast, slow);
    // What the reply wrote: the registers its words name (all but four are lost without the
    // handler's buffer); the others keep the thread's own.
    const size_t used = shape.handler_buffer ? shape.reply_length : std::min<size_t>(shape.reply_length, 4);
    const FakeThread& f = fast.w.arch.of(fast.faulter);
    for (size_t i = 0; i < SyscallMessageRegisterCount; ++i) {
        const size_t r = size_t(SyscallMessageRegisters[i]);
        EXPECT_EQ(f.registers[r], i < used ? 0x7000 + i : 0x100 + r) << "reply word " << i;
    }
    EXPECT_EQ(f.fault_ip, used > seL4_UnknownSyscall_FaultIP ? 0x7000 + seL4_UnknownSyscall_FaultIP : FaultIp);
    EXPECT_EQ(f.registers[size_t(UserRegister::Rsp)],
              used > seL4_UnknownSyscall_SP ? 0x7000 + seL4_UnknownSyscall_SP : 0x100 + Word(UserRegister::Rsp));
    EXPECT_EQ(f.registers[size_t(UserRegister::Rflags)],
              used > seL4_UnknownSyscall_FLAGS ? 0x7000 + seL4_UnknownSyscall_FLAGS
                                               : 0x100 + Word(UserRegister::Rflags));
}

INSTANTIATE_TEST_SUITE_P(Shapes, SyscallFaultShapes,
                         ::testing::Values(SyscallShape{"WholeReply", true, seL4_UnknownSyscall_FLAGS + 1},
                                           SyscallShape{"ReplyWithTheNumber", true, seL4_UnknownSyscall_Length},
                                           SyscallShape{"ReplyThroughSP", true, seL4_UnknownSyscall_SP + 1},
                                           SyscallShape{"ReplyThroughFaultIP", true, seL4_UnknownSyscall_FaultIP + 1},
                                           SyscallShape{"ShortReply", true, seL4_UnknownSyscall_FaultIP},
                                           SyscallShape{"OneWordReply", true, 1},
                                           SyscallShape{"NoHandlerBuffer", false, seL4_UnknownSyscall_Length}),
                         [](const ::testing::TestParamInfo<SyscallShape>& info) { return std::string(info.param.name); });

TEST(FaultFastpath, LeavesAMissingFaultEndpointToTheSlowPath)
{
    Scene s;
    s.faulter.thread.fault_endpoint = CPtr{200}; // an empty slot
    EXPECT_FALSE(fastpath_fault(s.w.ctx, s.faulter, fault_of(FaultKind::UnknownSyscall)));
    expect_untouched(s);
    EXPECT_FALSE(fastpath_syscall_fault(s.w.ctx, s.faulter, 0x1234));
    expect_untouched(s);
    EXPECT_EQ(handle_fault(s.w.ctx, s.faulter, fault_of(FaultKind::UnknownSyscall)), FaultOutcome::NoHandler);
}

TEST(FaultFastpath, LeavesAFaultEndpointWithoutGrantToTheSlowPath)
{
    Scene s(CapRights::from_word(CapRights::Write::mask | CapRights::Read::mask));
    EXPECT_FALSE(fastpath_fault(s.w.ctx, s.faulter, fault_of(FaultKind::VmFault)));
    expect_untouched(s);
}

TEST(FaultFastpath, LeavesANotificationAsFaultEndpointToTheSlowPath)
{
    Scene s;
    (void)s.w.notification(7);
    s.faulter.thread.fault_endpoint = CPtr{7};
    EXPECT_FALSE(fastpath_fault(s.w.ctx, s.faulter, fault_of(FaultKind::UserException)));
    expect_untouched(s);
}

TEST(FaultFastpath, LeavesAnIdleHandlerToTheSlowPath)
{
    Scene s;
    Tcb& other = s.w.thread(10);
    s.w.make_current(other);
    const EndpointCap idle = s.w.endpoint(8); // nobody waits on it
    insert_derived(idle.cap(), s.w.root_slot(8), s.w.root_slot(9));
    s.w.make_current(s.faulter);
    s.faulter.thread.fault_endpoint = CPtr{9};
    EXPECT_FALSE(fastpath_fault(s.w.ctx, s.faulter, fault_of(FaultKind::UnknownSyscall)));
    expect_untouched(s);
    EXPECT_FALSE(fastpath_syscall_fault(s.w.ctx, s.faulter, 0x1234));
    expect_untouched(s);
}

TEST(FaultFastpath, LeavesAHandlerBelowAReadyThreadToTheSlowPath)
{
    Scene s;
    s.handler.thread.priority = 5; // blocked, so in no queue: below the faulter
    (void)s.w.thread(200);         // ready and above the handler
    EXPECT_FALSE(fastpath_fault(s.w.ctx, s.faulter, fault_of(FaultKind::UnknownSyscall)));
    expect_untouched(s);
    EXPECT_FALSE(fastpath_syscall_fault(s.w.ctx, s.faulter, 0x1234));
    expect_untouched(s);
}

// A reply that stops the faulted thread (a nonzero label to an unknown system call or a user
// exception) leaves the scheduler a choice: the fastpath declines it unwritten.
TEST(FaultFastpath, LeavesAReplyThatStopsTheThreadToTheSlowPath)
{
    for (FaultKind kind : {FaultKind::UnknownSyscall, FaultKind::UserException}) {
        Scene s;
        ASSERT_TRUE(fastpath_fault(s.w.ctx, s.faulter, fault_of(kind)));
        s.w.load(s.handler, 1, {0x5555, 0x6666});
        EXPECT_FALSE(fastpath_reply_recv(s.w.ctx, s.handler, CPtr{EndpointSlot}, s.w.arch.of(s.handler).info));
        EXPECT_EQ(s.faulter.state(), ThreadState::BlockedOnReply);
        EXPECT_EQ(s.faulter.thread.fault.kind, kind);
        EXPECT_EQ(s.w.arch.of(s.faulter).registers[size_t(UserRegister::Rax)], 0x100 + Word(UserRegister::Rax));
        EXPECT_EQ(s.w.arch.of(s.faulter).fault_ip, FaultIp);
        EXPECT_EQ(s.handler.slot(TcbSlot::Caller).cap.type(), CapType::Reply);
        EXPECT_EQ(s.w.scheduler.current(), &s.handler);
    }
}

TEST(FaultFastpath, VmFaultReplyRestartsWhateverTheLabel)
{
    Scene s;
    ASSERT_TRUE(fastpath_fault(s.w.ctx, s.faulter, fault_of(FaultKind::VmFault)));
    s.w.load(s.handler, 99, {});
    EXPECT_TRUE(fastpath_reply_recv(s.w.ctx, s.handler, CPtr{EndpointSlot}, s.w.arch.of(s.handler).info));
    EXPECT_EQ(s.faulter.state(), ThreadState::Running);
    EXPECT_EQ(s.w.arch.of(s.faulter).restarted_at, FaultIp);
    EXPECT_EQ(s.w.scheduler.current(), &s.faulter);
}

} // namespace
} // namespace tessera::core::test

// The foreign-thread flag (TESSERA_TCBFlag_foreignSyscalls, issue 23): TCB_SetFlags keeps it
// beside seL4's own flag, and a foreign thread's unknown-syscall fault round trip gives every
// register back, the stack pointer included, as a Linux `syscall` expects. The arch half (every
// rdx is a fault) is swept in-system by system.posix.foreign_flag.

#include <gtest/gtest.h>

#include <tessera/abi/faults.h>
#include <tessera/abi/tcb_flags.h>

#include "ipc/fault.h"
#include "ipc_world.h"
#include "tcb/tcb_invocation.h"

namespace tessera::core::test {
namespace {

struct ForeignThreadFixture : ::testing::Test {
    IpcWorld w;
    Tcb& caller = w.thread(100);
    Tcb& target = w.thread(10);
    TcbCap target_cap = TcbCap::make(w.core.window.physical(&target));

    void SetUp() override { w.make_current(caller); }

    TcbReply set_flags(Word clear, Word set)
    {
        std::vector<Word> words{clear, set};
        Invocation inv{words.data(), words.size(), nullptr, 0};
        auto plan = decode_tcb_invocation(w.ctx, TcbMethod::SetFlags, inv, target_cap, caller);
        EXPECT_TRUE(plan.is_ok());
        TcbReply reply;
        if (plan) {
            EXPECT_EQ(perform_tcb_invocation(w.ctx, plan.value(), reply), Progress::Done);
        }
        return reply;
    }
};

TEST_F(ForeignThreadFixture, SetFlagsKeepsTheForeignBitAndDropsBitsNobodyDefines)
{
    const TcbReply reply = set_flags(0, TESSERA_TCBFlag_foreignSyscalls | 0x8000 | 0x2);
    ASSERT_EQ(reply.length, 1u);
    EXPECT_EQ(reply.words[0], Word{TESSERA_TCBFlag_foreignSyscalls});
    EXPECT_TRUE(target.is_foreign());
    EXPECT_FALSE(caller.is_foreign());
}

TEST_F(ForeignThreadFixture, ForeignAndFpuFlagsAreIndependent)
{
    set_flags(0, TESSERA_TCBFlag_foreignSyscalls | TESSERA_TCBFlag_fpuDisabled);
    const TcbReply reply = set_flags(TESSERA_TCBFlag_fpuDisabled, 0);
    EXPECT_EQ(reply.words[0], Word{TESSERA_TCBFlag_foreignSyscalls});
    EXPECT_TRUE(target.is_foreign());
}

TEST_F(ForeignThreadFixture, ClearingTheFlagMakesTheThreadNativeAgain)
{
    set_flags(0, TESSERA_TCBFlag_foreignSyscalls);
    const TcbReply reply = set_flags(TESSERA_TCBFlag_foreignSyscalls, 0);
    EXPECT_EQ(reply.words[0], 0u);
    EXPECT_FALSE(target.is_foreign());
}

// What the POSIX server does for every Linux call: a reply of the fault's 18 words with rax set
// to the result and FaultIP moved past `syscall`; every other register comes back unchanged.
TEST(ForeignThreadRoundTrip, ReplyGivesBackEveryRegisterWithTheResultAndTheNextInstruction)
{
    IpcWorld w;
    Tcb& program = w.thread(10);
    Tcb& server = w.thread(10);
    EndpointCap ep = w.endpoint(5);
    insert_derived(ep.with_badge(Badge{0x11}).cap(), w.root_slot(5), w.root_slot(6));
    program.thread.fault_endpoint = CPtr{6};
    program.thread.flags = TcbFlagForeignSyscalls;
    for (size_t r = 0; r < UserRegisterCount; ++r)
        w.arch.of(program).registers[r] = 0x700 + r;
    w.arch.of(program).fault_ip = 0x401000;
    recv(w.ctx, server, ep, Blocking::Yes);

    ASSERT_EQ(handle_fault(w.ctx, program, unknown_syscall_fault(Word(-1))),
              FaultOutcome::SentToHandler);
    ASSERT_EQ(info_length(w.arch.of(server).info), Word{seL4_UnknownSyscall_Length});
    std::vector<Word> reply(seL4_UnknownSyscall_Syscall);
    for (size_t i = 0; i < reply.size(); ++i)
        reply[i] = w.mr(server, i);
    reply[seL4_UnknownSyscall_RAX] = Word(-14); // -EFAULT
    reply[seL4_UnknownSyscall_FaultIP] += 2;
    w.load(server, 0, reply);
    core::reply(w.ctx, server);

    EXPECT_EQ(program.state(), ThreadState::Restart);
    const FakeThread& t = w.arch.of(program);
    EXPECT_EQ(t.registers[size_t(UserRegister::Rax)], Word(-14));
    EXPECT_EQ(t.fault_ip, 0x401002u);
    for (UserRegister r : {UserRegister::Rbx, UserRegister::Rcx, UserRegister::Rdx,
                           UserRegister::Rsi, UserRegister::Rdi, UserRegister::Rbp,
                           UserRegister::R8, UserRegister::R11, UserRegister::R15,
                           UserRegister::Rsp, UserRegister::Rflags})
        EXPECT_EQ(t.registers[size_t(r)], 0x700 + Word(r)) << "register " << size_t(r);
}

} // namespace
} // namespace tessera::core::test

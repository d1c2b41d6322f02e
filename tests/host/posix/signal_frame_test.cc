// Signal frames (core/signal/signal_frame): the handler is entered as Linux enters it (arguments,
// an aligned stack with the restorer as return address, the frame below the red zone), the frame
// holds the interrupted registers and mask where glibc's and musl's ucontext readers look, and
// rt_sigreturn gives back exactly what was interrupted, flags only in their user bits.
#include <gtest/gtest.h>

#include <string.h>

#include "core/signal/signal_frame.h"
#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "test_memory.h"

namespace tessera::posix {
namespace {

constexpr uint64_t StackTop = 0x7ffffffde000;
constexpr uint64_t StackSize = 4 * PageSize;
constexpr uint64_t Handler = 0x401234, Restorer = 0x405678;

struct SignalFrameTest : ::testing::Test {
    test::TestPool pool{16};
    test::RecordingBackend backend;
    AddressSpace space{pool, backend, backend.create_space().value()};
    UserRegisters interrupted;
    SignalDelivery delivery{};

    void SetUp() override
    {
        auto r = space.map(StackTop - StackSize, StackSize,
                           linux::mman::ProtRead | linux::mman::ProtWrite, false, nullptr, 0,
                           AddressSpace::Placement::Fixed, TagStack);
        ASSERT_TRUE(r.is_ok());
        for (unsigned i = 0; i < ReplyWords; ++i)
            interrupted.words[i] = 0x1000 + i;
        interrupted.words[seL4_UnknownSyscall_SP] = StackTop - 0x123;
        interrupted.words[seL4_UnknownSyscall_FaultIP] = 0x402000;
        interrupted.words[seL4_UnknownSyscall_FLAGS] = 0x202 | 0x400; // IF, DF
        delivery.action = {Handler, linux::signal::Restorer | linux::signal::SigInfo, Restorer, 0};
        delivery.info.signo = linux::signal::Usr1;
        delivery.info.code = linux::signal::CodeTkill;
        delivery.saved_mask = 0x5;
    }
    uint64_t word(uint64_t at)
    {
        uint64_t value = 0;
        EXPECT_TRUE(space.read(at, &value, sizeof value).is_ok());
        return value;
    }
};

TEST_F(SignalFrameTest, TheHandlerIsEnteredAsIfCalledWithItsThreeArguments)
{
    auto pushed = push_signal_frame(space, interrupted, delivery);
    ASSERT_TRUE(pushed);
    const UserRegisters& h = pushed.value();
    const uint64_t sp = h.words[seL4_UnknownSyscall_SP];
    EXPECT_EQ(h.words[seL4_UnknownSyscall_FaultIP], Handler);
    EXPECT_EQ((sp + 8) % 16, 0u) << "rsp + 8 must be 16-aligned at a function's entry";
    EXPECT_LE(sp + sizeof(linux::RtSigFrame), StackTop - 0x123 - 128) << "the red zone is kept";
    EXPECT_EQ(word(sp), Restorer);
    EXPECT_EQ(h.words[seL4_UnknownSyscall_RDI], uint64_t(linux::signal::Usr1));
    EXPECT_EQ(h.words[seL4_UnknownSyscall_RSI], sp + offsetof(linux::RtSigFrame, info));
    EXPECT_EQ(h.words[seL4_UnknownSyscall_RDX], sp + offsetof(linux::RtSigFrame, context));
    EXPECT_EQ(h.words[seL4_UnknownSyscall_FLAGS] & 0x400, 0u) << "DF is clear in a handler";
    linux::SigInfo info{};
    ASSERT_TRUE(space.read(h.words[seL4_UnknownSyscall_RSI], &info, sizeof info).is_ok());
    EXPECT_EQ(info.signo, linux::signal::Usr1);
    EXPECT_EQ(info.code, linux::signal::CodeTkill);
}

TEST_F(SignalFrameTest, TheUcontextHoldsTheInterruptedRegistersAndMask)
{
    auto pushed = push_signal_frame(space, interrupted, delivery);
    ASSERT_TRUE(pushed);
    linux::UContext uc{};
    ASSERT_TRUE(space.read(pushed.value().words[seL4_UnknownSyscall_RDX], &uc, sizeof uc).is_ok());
    EXPECT_EQ(uc.context.rip, 0x402000u);
    EXPECT_EQ(uc.context.rsp, StackTop - 0x123);
    EXPECT_EQ(uc.context.rax, interrupted.words[seL4_UnknownSyscall_RAX]);
    EXPECT_EQ(uc.context.r15, interrupted.words[seL4_UnknownSyscall_R15]);
    EXPECT_EQ(uc.context.rbx, interrupted.words[seL4_UnknownSyscall_RBX]);
    EXPECT_EQ(uc.context.cs, 0x33);
    EXPECT_EQ(uc.context.fpstate, 0u);
    EXPECT_EQ(uc.signal_mask, 0x5u);
}

TEST_F(SignalFrameTest, SigreturnRestoresEveryRegisterAndTheMask)
{
    auto pushed = push_signal_frame(space, interrupted, delivery);
    ASSERT_TRUE(pushed);
    // The handler returns: its `ret` pops the restorer, whose rt_sigreturn comes with rsp there.
    UserRegisters at_call = pushed.value();
    at_call.words[seL4_UnknownSyscall_SP] += 8;
    at_call.words[seL4_UnknownSyscall_FLAGS] = 0x202;
    auto restored = pop_signal_frame(space, at_call);
    ASSERT_TRUE(restored);
    for (unsigned i = 0; i < ReplyWords; ++i)
        EXPECT_EQ(restored.value().registers.words[i], interrupted.words[i]) << "word " << i;
    EXPECT_EQ(restored.value().mask, 0x5u);
}

TEST_F(SignalFrameTest, AHandlersChangesToPrivilegedFlagsAreNotTakenBack)
{
    auto pushed = push_signal_frame(space, interrupted, delivery);
    ASSERT_TRUE(pushed);
    UserRegisters at_call = pushed.value();
    at_call.words[seL4_UnknownSyscall_SP] += 8;
    linux::UContext uc{};
    const uint64_t where = at_call.words[seL4_UnknownSyscall_SP];
    ASSERT_TRUE(space.read(where, &uc, sizeof uc).is_ok());
    uc.context.eflags = 0x3000 | 0x1; // IOPL 3 and CF
    uc.context.rip = 0x409999;
    ASSERT_TRUE(space.write(where, &uc, sizeof uc).is_ok());
    at_call.words[seL4_UnknownSyscall_FLAGS] = 0x202;
    auto restored = pop_signal_frame(space, at_call);
    ASSERT_TRUE(restored);
    EXPECT_EQ(restored.value().registers.words[seL4_UnknownSyscall_FLAGS], 0x203u);
    EXPECT_EQ(restored.value().registers.words[seL4_UnknownSyscall_FaultIP], 0x409999u);
}

TEST_F(SignalFrameTest, NoRestorerOrNoStackIsEfault)
{
    delivery.action.flags &= ~linux::signal::Restorer;
    EXPECT_EQ(push_signal_frame(space, interrupted, delivery).error(), Errno::Fault);
    delivery.action.flags |= linux::signal::Restorer;
    interrupted.words[seL4_UnknownSyscall_SP] = 0x10000; // nothing mapped there
    EXPECT_EQ(push_signal_frame(space, interrupted, delivery).error(), Errno::Fault);
    interrupted.words[seL4_UnknownSyscall_SP] = 0x40; // would wrap below zero
    EXPECT_EQ(push_signal_frame(space, interrupted, delivery).error(), Errno::Fault);
    UserRegisters at_call;
    at_call.words[seL4_UnknownSyscall_SP] = 0x10000;
    EXPECT_EQ(pop_signal_frame(space, at_call).error(), Errno::Fault);
}

// With the trampoline mapped, the frame has a zeroed, 64-aligned fxsave area between it and the
// red zone, named by uc_mcontext.fpstate; the thread enters the trampoline with the handler in
// rax; rt_sigreturn goes back through the trampoline's return half (rdi the fpstate, rax
// rt_sigreturn again for the second half), MXCSR kept to its defined bits.
TEST_F(SignalFrameTest, TheTrampolineSavesAndLoadsTheFpuStateInTheFrame)
{
    constexpr uint64_t Trampoline = 0x7f0000001000;
    delivery.trampoline = Trampoline;
    const uint64_t sp = StackTop - 0x123;
    ASSERT_TRUE(space.fill(StackTop - StackSize, 0xee, StackSize));
    auto pushed = push_signal_frame(space, interrupted, delivery);
    ASSERT_TRUE(pushed);
    const UserRegisters& h = pushed.value();
    const uint64_t frame = h.words[seL4_UnknownSyscall_SP];
    EXPECT_EQ((frame + 8) % 16, 0u);
    EXPECT_EQ(h.words[seL4_UnknownSyscall_FaultIP], Trampoline + SignalTrampoline::Enter);
    EXPECT_EQ(h.words[seL4_UnknownSyscall_RAX], Handler);
    const uint64_t uc = h.words[seL4_UnknownSyscall_RDX];
    const uint64_t fpstate = word(uc + offsetof(linux::UContext, context) +
                                  offsetof(linux::SigContext, fpstate));
    EXPECT_EQ(fpstate % 64, 0u);
    EXPECT_GE(fpstate, frame + sizeof(linux::RtSigFrame));
    EXPECT_LE(fpstate + SignalTrampoline::FpStateSize, sp - 128) << "the red zone is kept";
    for (uint64_t at = fpstate; at < fpstate + SignalTrampoline::FpStateSize; at += 8)
        ASSERT_EQ(word(at), 0u) << "zeroed: no xsave magic in sw_reserved";
    // The trampoline's first instruction reads the fpstate where the frame keeps it.
    uint32_t displacement = 0;
    memcpy(&displacement, SignalTrampoline::code + 3, sizeof displacement);
    EXPECT_EQ(uc + displacement, uc + offsetof(linux::UContext, context) +
                                     offsetof(linux::SigContext, fpstate));

    // The handler left a reserved MXCSR bit set; rt_sigreturn at the ucontext.
    const uint32_t mxcsr = 0x80001f80;
    ASSERT_TRUE(space.write(fpstate + 24, &mxcsr, sizeof mxcsr));
    UserRegisters at_call = h;
    at_call.words[seL4_UnknownSyscall_SP] = frame + 8;
    auto restored = pop_signal_frame(space, at_call);
    ASSERT_TRUE(restored);
    EXPECT_EQ(restored.value().fpstate, fpstate);
    auto through = return_through(space, restored.value(), Trampoline);
    ASSERT_TRUE(through);
    const UserRegisters& t = through.value();
    EXPECT_EQ(t.words[seL4_UnknownSyscall_FaultIP], Trampoline + SignalTrampoline::Return);
    EXPECT_EQ(t.words[seL4_UnknownSyscall_RDI], fpstate);
    EXPECT_EQ(t.words[seL4_UnknownSyscall_RAX], uint64_t(linux::nr::RtSigreturn));
    EXPECT_EQ(t.words[seL4_UnknownSyscall_SP], sp) << "the interrupted stack: nothing written";
    EXPECT_EQ(t.words[seL4_UnknownSyscall_R11], interrupted.words[seL4_UnknownSyscall_R11]);
    // The return half is fxrstor64 [rdi] and then the second rt_sigreturn at Finish.
    const uint8_t fxrstor_rdi[] = {0x48, 0x0f, 0xae, 0x0f}, syscall[] = {0x0f, 0x05};
    EXPECT_EQ(memcmp(SignalTrampoline::code + SignalTrampoline::Return, fxrstor_rdi, 4), 0);
    EXPECT_EQ(memcmp(SignalTrampoline::code + SignalTrampoline::Finish, syscall, 2), 0);
    uint32_t kept = 0;
    ASSERT_TRUE(space.read(fpstate + 24, &kept, sizeof kept));
    EXPECT_EQ(kept, 0x1f80u);

    // No trampoline, or an fpstate a handler made null or misaligned: the registers as restored.
    Restored plain = restored.value();
    for (uint64_t trampoline : {uint64_t{0}, Trampoline}) {
        for (uint64_t given : {uint64_t{0}, fpstate + 8}) {
            plain.fpstate = trampoline == 0 ? fpstate : given;
            auto direct = return_through(space, plain, trampoline);
            ASSERT_TRUE(direct);
            EXPECT_EQ(direct.value().words[seL4_UnknownSyscall_FaultIP],
                      interrupted.words[seL4_UnknownSyscall_FaultIP]);
        }
    }
    plain.fpstate = 0x10000; // unmapped
    EXPECT_EQ(return_through(space, plain, Trampoline).error(), Errno::Fault);
}

TEST(SignalRestart, ARestartedCallResumesAtItsSyscallWithItsNumber)
{
    uint64_t message[FaultWords] = {};
    message[seL4_UnknownSyscall_RAX] = 0; // read
    message[seL4_UnknownSyscall_FaultIP] = 0x401000;
    const LinuxCall call = decode_linux_call(message);
    const UserRegisters r = registers_restarting(call);
    EXPECT_EQ(r.words[seL4_UnknownSyscall_FaultIP], 0x401000u);
    EXPECT_EQ(r.words[seL4_UnknownSyscall_RAX], 0u);
    const UserRegisters after = registers_after(call, -4);
    EXPECT_EQ(after.words[seL4_UnknownSyscall_FaultIP], 0x401002u);
    EXPECT_EQ(after.words[seL4_UnknownSyscall_RAX], uint64_t(-4));
}

} // namespace
} // namespace tessera::posix

// Fault signals (core/signal/fault_signal) and the alternate signal stack
// (core/signal/alternate_stack): the signal, si_code and si_addr Linux gives each fault;
// sigaltstack's rules; and a handler with SA_ONSTACK entered on the alternate stack, its frame
// saying so.
#include <gtest/gtest.h>

#include "core/signal/alternate_stack.h"
#include "core/signal/fault_signal.h"
#include "core/signal/signal_frame.h"
#include "linux/constants.h"
#include "test_memory.h"

namespace tessera::posix {
namespace {

using namespace linux::signal;

TEST(FaultSignal, PageFaultsAreSegvWithMapOrAccessErrorsAndBusPastAFile)
{
    const FaultSignal unmapped = page_fault_signal(FaultResult::NotMapped, 0x1234, 0x6);
    EXPECT_EQ(unmapped.signal, Segv);
    EXPECT_EQ(unmapped.code, SegvMapErr);
    EXPECT_EQ(unmapped.address, 0x1234u);
    EXPECT_EQ(unmapped.trap_number, 14u);
    EXPECT_EQ(unmapped.error, 0x6u | 4u) << "a user fault's error code has the user bit";
    EXPECT_EQ(unmapped.cr2, 0x1234u);
    const FaultSignal denied = page_fault_signal(FaultResult::AccessDenied, 0x400000, 0x7);
    EXPECT_EQ(denied.signal, Segv);
    EXPECT_EQ(denied.code, SegvAccErr);
    const FaultSignal past = page_fault_signal(FaultResult::BeyondObject, 0x7000, 0x4);
    EXPECT_EQ(past.signal, Bus);
    EXPECT_EQ(past.code, BusAdrErr);
    EXPECT_EQ(past.address, 0x7000u);
    EXPECT_EQ(page_fault_signal(FaultResult::OutOfMemory, 0x7000, 0x4).signal, Kill);
}

TEST(FaultSignal, ExceptionsAreLinuxsSignalsWithTheInstructionWhereLinuxGivesIt)
{
    constexpr uint64_t Ip = 0x401abc;
    const FaultSignal divide = exception_signal(0, 0, Ip);
    EXPECT_EQ(divide.signal, Fpe);
    EXPECT_EQ(divide.code, FpeIntDiv);
    EXPECT_EQ(divide.address, Ip);
    const FaultSignal opcode = exception_signal(6, 0, Ip);
    EXPECT_EQ(opcode.signal, Ill);
    EXPECT_EQ(opcode.code, IllOpn);
    EXPECT_EQ(opcode.address, Ip);
    const FaultSignal protection = exception_signal(13, 0x18, Ip);
    EXPECT_EQ(protection.signal, Segv);
    EXPECT_EQ(protection.code, CodeKernel);
    EXPECT_EQ(protection.address, 0u) << "a #GP has no address on Linux";
    EXPECT_EQ(protection.error, 0x18u);
    EXPECT_EQ(protection.trap_number, 13u);
    EXPECT_EQ(exception_signal(3, 0, Ip).signal, Trap);
    EXPECT_EQ(exception_signal(17, 0, Ip).signal, Bus);
    EXPECT_EQ(exception_signal(17, 0, Ip).code, BusAdrAln);
    EXPECT_EQ(exception_signal(12, 0, Ip).signal, Bus);
    EXPECT_EQ(exception_signal(19, 0, Ip).signal, Fpe);
}

constexpr uint64_t AltBase = 0x600000, AltSize = 0x4000;

TEST(AlternateStack, DisabledUntilSetAndReportedAsLinuxReportsIt)
{
    AlternateStack stack;
    linux::StackT old = stack.describe(0x7fff0000);
    EXPECT_EQ(old.flags, StackDisable);
    EXPECT_EQ(old.base, 0u);
    EXPECT_EQ(old.size, 0u);
    ASSERT_TRUE(stack.change({AltBase, 0, 0, AltSize}, 0x7fff0000));
    old = stack.describe(0x7fff0000);
    EXPECT_EQ(old.flags, 0);
    EXPECT_EQ(old.base, AltBase);
    EXPECT_EQ(old.size, AltSize);
    EXPECT_EQ(stack.describe(AltBase + 0x100).flags, StackOnStack);
    EXPECT_EQ(stack.describe(AltBase + AltSize).flags, StackOnStack) << "its top is on it";
    EXPECT_EQ(stack.describe(AltBase).flags, 0) << "its base is below it";
    ASSERT_TRUE(stack.change({0, StackDisable, 0, 0}, 0x7fff0000));
    EXPECT_EQ(stack.describe(0x7fff0000).flags, StackDisable);
}

TEST(AlternateStack, ChangesAreRefusedOnTheStackAndForBadFlagsOrSizes)
{
    AlternateStack stack;
    EXPECT_EQ(stack.change({AltBase, 0, 0, MinStackSize - 1}, 0x7fff0000).error(), Errno::NoMem);
    EXPECT_EQ(stack.change({AltBase, 4, 0, AltSize}, 0x7fff0000).error(), Errno::Inval);
    ASSERT_TRUE(stack.change({AltBase, StackOnStack, 0, AltSize}, 0x7fff0000))
        << "SS_ONSTACK is accepted as 0";
    EXPECT_EQ(stack.change({0, StackDisable, 0, 0}, AltBase + 0x10).error(), Errno::Perm);
    EXPECT_EQ(stack.size, AltSize) << "a refused change changes nothing";
    ASSERT_TRUE(stack.change({AltBase, StackAutoDisarm, 0, AltSize}, 0x7fff0000));
    EXPECT_EQ(stack.describe(AltBase + 0x10).flags, StackAutoDisarm)
        << "SS_AUTODISARM: never reported on it";
    ASSERT_TRUE(stack.change({0, StackDisable, 0, 0}, AltBase + 0x10))
        << "and so changeable from it";
}

struct OnStackFixture : ::testing::Test {
    test::TestPool pool{16};
    test::RecordingBackend backend;
    AddressSpace space{pool, backend, backend.create_space().value()};
    static constexpr uint64_t StackTop = 0x7ffffffde000;
    UserRegisters interrupted;
    SignalDelivery delivery{};

    void SetUp() override
    {
        constexpr uint32_t ReadWrite = linux::mman::ProtRead | linux::mman::ProtWrite;
        ASSERT_TRUE(space.map(StackTop - 0x4000, 0x4000, ReadWrite, false, nullptr, 0,
                              AddressSpace::Placement::Fixed, TagStack));
        ASSERT_TRUE(space.map(AltBase, AltSize, ReadWrite, false, nullptr, 0,
                              AddressSpace::Placement::Fixed, TagStack));
        interrupted.words[seL4_UnknownSyscall_SP] = StackTop - 0x100;
        interrupted.words[seL4_UnknownSyscall_FaultIP] = 0x402000;
        delivery.action = {0x401000, Restorer | SigInfo | OnStack, 0x401100, 0};
        delivery.info.signo = Segv;
        delivery.info.code = SegvMapErr;
        delivery.info.fields.fault.address = 0xdead000;
        delivery.trap_number = 14;
        delivery.cr2 = 0xdead000;
        ASSERT_TRUE(delivery.stack.change({AltBase, 0, 0, AltSize}, StackTop - 0x100));
    }
    linux::UContext context_of(const UserRegisters& handler)
    {
        linux::UContext uc{};
        EXPECT_TRUE(space.read(handler.words[seL4_UnknownSyscall_RDX], &uc, sizeof uc));
        return uc;
    }
};

TEST_F(OnStackFixture, SaOnstackRunsTheHandlerAtTheTopOfTheAlternateStack)
{
    auto pushed = push_signal_frame(space, interrupted, delivery);
    ASSERT_TRUE(pushed);
    const uint64_t sp = pushed.value().words[seL4_UnknownSyscall_SP];
    EXPECT_GT(sp, AltBase);
    EXPECT_LE(sp + sizeof(linux::RtSigFrame), AltBase + AltSize);
    EXPECT_GE(sp + sizeof(linux::RtSigFrame) + 32, AltBase + AltSize)
        << "at its very top (less the alignment)";
    EXPECT_EQ((sp + 8) % 16, 0u);
    const linux::UContext uc = context_of(pushed.value());
    EXPECT_EQ(uc.stack.base, AltBase);
    EXPECT_EQ(uc.stack.size, AltSize);
    EXPECT_EQ(uc.stack.flags, 0) << "the interrupted code was not on it";
    EXPECT_EQ(uc.context.rsp, StackTop - 0x100);
    EXPECT_EQ(uc.context.trap_number, 14u);
    EXPECT_EQ(uc.context.cr2, 0xdead000u);
    linux::SigInfo info{};
    ASSERT_TRUE(space.read(pushed.value().words[seL4_UnknownSyscall_RSI], &info, sizeof info));
    EXPECT_EQ(info.fields.fault.address, 0xdead000u);
    EXPECT_EQ(info.code, SegvMapErr);
}

TEST_F(OnStackFixture, ANestedSignalOnTheAlternateStackStaysBelowItsFrame)
{
    interrupted.words[seL4_UnknownSyscall_SP] = AltBase + 0x2000;
    auto pushed = push_signal_frame(space, interrupted, delivery);
    ASSERT_TRUE(pushed);
    const uint64_t sp = pushed.value().words[seL4_UnknownSyscall_SP];
    EXPECT_LE(sp + sizeof(linux::RtSigFrame), AltBase + 0x2000 - 128) << "red zone kept";
    EXPECT_EQ(context_of(pushed.value()).stack.flags, StackOnStack);
}

TEST_F(OnStackFixture, WithoutSaOnstackTheHandlerStaysOnTheInterruptedStack)
{
    delivery.action.flags &= ~OnStack;
    auto pushed = push_signal_frame(space, interrupted, delivery);
    ASSERT_TRUE(pushed);
    const uint64_t sp = pushed.value().words[seL4_UnknownSyscall_SP];
    EXPECT_LT(sp, StackTop - 0x100 - 128);
    EXPECT_GT(sp, StackTop - 0x1000);
}

TEST_F(OnStackFixture, SigreturnGivesBackTheSavedStack)
{
    auto pushed = push_signal_frame(space, interrupted, delivery);
    ASSERT_TRUE(pushed);
    UserRegisters at_call = pushed.value();
    at_call.words[seL4_UnknownSyscall_SP] += 8;
    auto restored = pop_signal_frame(space, at_call);
    ASSERT_TRUE(restored);
    EXPECT_EQ(restored.value().stack.base, AltBase);
    EXPECT_EQ(restored.value().stack.size, AltSize);
    EXPECT_EQ(restored.value().registers.words[seL4_UnknownSyscall_SP], StackTop - 0x100);
}

} // namespace
} // namespace tessera::posix

// The exit loop body: each served exit with its exact effect on registers, RIP and devices, the
// refusals that stop a guest, #GP for unknown MSRs, interrupt injection only when the guest can
// take one, the exit-storm stop, and the message layout both ways.
#include "exit_handler.h"

#include "acpi_tables.h"
#include "svm_exit.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::services::vmm {
namespace {

struct StringSink final : ByteSink {
    std::string text;
    void transmit(uint8_t byte) override { text.push_back(static_cast<char>(byte)); }
};

struct ZeroHost final : HostCpuid {
    CpuidRegisters query(uint32_t leaf, uint32_t) const override
    {
        return leaf == 0 ? CpuidRegisters{0xd, 0x68747541, 0x444d4163, 0x69746e65}
                         : CpuidRegisters{};
    }
};

constexpr uint64_t Rip = 0x1000;
constexpr uint64_t Cr0ProtectedNoPaging = 0x11;
constexpr uint64_t RflagsIf = 0x202;

struct ExitFixture : ::testing::Test {
    std::vector<uint8_t> memory = std::vector<uint8_t>(1 << 20);
    StringSink console;
    Platform platform{console};
    ZeroHost host;
    ExitStormGuard storm{ExitStormLimits{1000000000, 1000}};
    ExitHandler handler{platform, GuestRam{memory.data(), memory.size()}, host, storm, 0};
    VcpuEntry entry{};

    VcpuExit exit_at(uint64_t code, std::initializer_list<uint8_t> bytes, uint64_t info1 = 0,
                     uint64_t info2 = 0)
    {
        std::copy(bytes.begin(), bytes.end(), memory.begin() + Rip);
        VcpuExit e{};
        e.code = code;
        e.info1 = info1;
        e.info2 = info2;
        e.rip = Rip;
        e.rflags = 2;
        e.cr0 = Cr0ProtectedNoPaging;
        return e;
    }
    static uint64_t io_info(uint16_t port, unsigned size, bool in)
    {
        return (uint64_t{port} << 16) | (size == 1 ? 0x10 : size == 2 ? 0x20 : 0x40) | (in ? 1 : 0);
    }
};

TEST_F(ExitFixture, CpuidAnswersFromThePolicyAndSkipsTheInstruction)
{
    VcpuExit e = exit_at(svm_exit_code::Cpuid, {0x0f, 0xa2});
    e.registers.gpr[reg::Rax] = HypervisorLeaf;
    e.registers.gpr[reg::Rbx] = ~0ull;
    EXPECT_EQ(handler.handle(e, 0, entry).action, ExitAction::Resume);
    EXPECT_EQ(entry.rip, Rip + 2);
    EXPECT_EQ(entry.registers.gpr[reg::Rbx], 0x73736554u) << "Tess, upper half cleared";
    EXPECT_EQ(entry.registers.gpr[reg::Rcx], 0x56617265u);
    EXPECT_EQ(entry.registers.gpr[reg::Rdx], 0x4d4du);
}

TEST_F(ExitFixture, AnInterceptWithOtherBytesAtRipStops)
{
    const VcpuExit e = exit_at(svm_exit_code::Cpuid, {0x90, 0x90});
    const ExitOutcome outcome = handler.handle(e, 0, entry);
    EXPECT_EQ(outcome.action, ExitAction::Stop);
    EXPECT_STREQ(outcome.reason, "CPUID exit without CPUID at RIP");
}

TEST_F(ExitFixture, OutToCom1ReachesTheConsoleAndRipIsExitInfo2)
{
    VcpuExit e = exit_at(svm_exit_code::IoPort, {0xee}, io_info(0x3f8, 1, false), Rip + 1);
    e.registers.gpr[reg::Rax] = 0x1234'5641; // only AL goes out
    EXPECT_EQ(handler.handle(e, 0, entry).action, ExitAction::Resume);
    EXPECT_EQ(console.text, "A");
    EXPECT_EQ(entry.rip, Rip + 1);
}

TEST_F(ExitFixture, InMergesNarrowReadsAndZeroExtendsDwords)
{
    VcpuExit e =
        exit_at(svm_exit_code::IoPort, {0xec}, io_info(0x2e8, 1, true), Rip + 1); // nobody there
    e.registers.gpr[reg::Rax] = 0x1111'2222'3333'4400;
    handler.handle(e, 0, entry);
    EXPECT_EQ(entry.registers.gpr[reg::Rax], 0x1111'2222'3333'44ffu);
    e.info1 = io_info(0x2e8, 4, true);
    handler.handle(e, 0, entry);
    EXPECT_EQ(entry.registers.gpr[reg::Rax], 0xffff'ffffu);
}

TEST_F(ExitFixture, StringPortIoStops)
{
    const VcpuExit e =
        exit_at(svm_exit_code::IoPort, {0xf3, 0x6e}, io_info(0x3f8, 1, false) | 0xc, Rip + 2);
    EXPECT_EQ(handler.handle(e, 0, entry).action, ExitAction::Stop);
}

TEST_F(ExitFixture, Pm1aSleepTypeFivePowersOff)
{
    VcpuExit e = exit_at(svm_exit_code::IoPort, {0x66, 0xef}, io_info(0x604, 2, false), Rip + 2);
    e.registers.gpr[reg::Rax] = (5u << 10) | (1u << 13);
    EXPECT_EQ(handler.handle(e, 0, entry).action, ExitAction::PowerOff);
}

TEST_F(ExitFixture, MmioReadOfTheLocalApicCompletesTheRegister)
{
    // mov (%rax), %eax with RAX = the local APIC's version register.
    VcpuExit e = exit_at(svm_exit_code::NestedPageFault, {0x8b, 0x00}, 0x4, 0xfee00030);
    e.registers.gpr[reg::Rax] = 0xfee00030;
    const uint32_t expected = platform.mmio(AccessKind::Read, 0xfee00030, 4, 0, 0).value;
    EXPECT_EQ(handler.handle(e, 0, entry).action, ExitAction::Resume);
    EXPECT_EQ(entry.registers.gpr[reg::Rax], expected);
    EXPECT_EQ(entry.rip, Rip + 2);
}

TEST_F(ExitFixture, MmioWriteReachesTheDevice)
{
    // movl $0x1ff, (%rbx): the spurious-vector register, which enables the local APIC.
    VcpuExit e = exit_at(svm_exit_code::NestedPageFault, {0xc7, 0x03, 0xff, 0x01, 0x00, 0x00}, 0x6,
                         0xfee000f0);
    e.registers.gpr[reg::Rbx] = 0xfee000f0;
    EXPECT_EQ(handler.handle(e, 0, entry).action, ExitAction::Resume);
    EXPECT_EQ(platform.mmio(AccessKind::Read, 0xfee000f0, 4, 0, 0).value, 0x1ffu);
    EXPECT_EQ(entry.rip, Rip + 6);
}

TEST_F(ExitFixture, NestedFaultsThatAreNotMmioStop)
{
    EXPECT_EQ(
        handler.handle(exit_at(svm_exit_code::NestedPageFault, {0x8b, 0x00}, 0x6, 0x2000), 0, entry)
            .action,
        ExitAction::Stop)
        << "inside RAM";
    EXPECT_EQ(handler
                  .handle(exit_at(svm_exit_code::NestedPageFault, {0x8b, 0x00}, 0x14, 0xf0000000),
                          0, entry)
                  .action,
              ExitAction::Stop)
        << "a fetch from MMIO";
    EXPECT_EQ(handler
                  .handle(exit_at(svm_exit_code::NestedPageFault, {0x0f, 0x0b}, 0x4, 0xf0000000), 0,
                          entry)
                  .action,
              ExitAction::Stop)
        << "an instruction the decoder refuses";
}

TEST_F(ExitFixture, UnknownMsrInjectsGpAndKeepsRip)
{
    VcpuExit e = exit_at(svm_exit_code::Msr, {0x0f, 0x32}, 0);
    e.registers.gpr[reg::Rcx] = 0xc0011234;
    EXPECT_EQ(handler.handle(e, 0, entry).action, ExitAction::Resume);
    EXPECT_EQ(entry.rip, Rip);
    EXPECT_EQ(entry.event, EventValid | (3u << 8) | (1u << 11) | 13u);
}

TEST_F(ExitFixture, ApicBaseReadsIntoEdxEax)
{
    VcpuExit e = exit_at(svm_exit_code::Msr, {0x0f, 0x32}, 0);
    e.registers.gpr[reg::Rcx] = 0x1b;
    handler.handle(e, 0, entry);
    EXPECT_EQ(entry.rip, Rip + 2);
    EXPECT_EQ(entry.registers.gpr[reg::Rax], 0xfee00900u);
    EXPECT_EQ(entry.registers.gpr[reg::Rdx], 0u);
}

TEST_F(ExitFixture, EferReadsWithoutSvmeAndWritesGoToTheVcpu)
{
    VcpuExit e = exit_at(svm_exit_code::Msr, {0x0f, 0x32}, 0);
    e.registers.gpr[reg::Rcx] = 0xc0000080;
    e.efer = 0x1d01; // SCE, LME, LMA, NXE and the host's SVME
    EXPECT_EQ(handler.handle(e, 0, entry).action, ExitAction::Resume);
    EXPECT_EQ(entry.registers.gpr[reg::Rax], 0xd01u) << "SVME is the host's";
    EXPECT_EQ(entry.rip, Rip + 2);
    EXPECT_FALSE(entry.write_efer);

    e = exit_at(svm_exit_code::Msr, {0x0f, 0x30}, 1);
    e.registers.gpr[reg::Rcx] = 0xc0000080;
    e.efer = 0x1100;                   // LME, paging off: LMA clear
    e.registers.gpr[reg::Rax] = 0x501; // SCE, LME and an attempt at LMA
    EXPECT_EQ(handler.handle(e, 0, entry).action, ExitAction::Resume);
    EXPECT_TRUE(entry.write_efer);
    EXPECT_EQ(entry.efer, 0x101u) << "LMA stays the processor's";
    EXPECT_EQ(entry.rip, Rip + 2);
}

TEST_F(ExitFixture, EferWritesOfReservedBitsOrSvmeAreGp)
{
    for (const uint64_t value : {0x1000ull, 0x2ull, 0x1ull << 32}) {
        VcpuExit e = exit_at(svm_exit_code::Msr, {0x0f, 0x30}, 1);
        e.registers.gpr[reg::Rcx] = 0xc0000080;
        e.registers.gpr[reg::Rax] = uint32_t(value);
        e.registers.gpr[reg::Rdx] = value >> 32;
        EXPECT_EQ(handler.handle(e, 0, entry).action, ExitAction::Resume);
        EXPECT_FALSE(entry.write_efer) << value;
        EXPECT_EQ(entry.rip, Rip) << value;
        EXPECT_EQ(entry.event, EventValid | (3u << 8) | (1u << 11) | 13u) << value;
    }
}

TEST_F(ExitFixture, PatReadsWhatTheGuestWroteAndRefusesReservedTypes)
{
    VcpuExit e = exit_at(svm_exit_code::Msr, {0x0f, 0x32}, 0);
    e.registers.gpr[reg::Rcx] = 0x277;
    handler.handle(e, 0, entry);
    EXPECT_EQ(entry.registers.gpr[reg::Rax], 0x00070406u) << "the reset PAT";
    EXPECT_EQ(entry.registers.gpr[reg::Rdx], 0x00070406u);

    e = exit_at(svm_exit_code::Msr, {0x0f, 0x30}, 1);
    e.registers.gpr[reg::Rcx] = 0x277;
    e.registers.gpr[reg::Rax] = 0x00010406; // WC in entry 2, as Linux sets it
    e.registers.gpr[reg::Rdx] = 0x00070406;
    handler.handle(e, 0, entry);
    EXPECT_TRUE(entry.write_pat);
    EXPECT_EQ(entry.pat, 0x0007040600010406u);
    EXPECT_EQ(entry.rip, Rip + 2);

    e.registers.gpr[reg::Rax] = 0x00020406; // type 2 is reserved
    handler.handle(e, 0, entry);
    EXPECT_FALSE(entry.write_pat);
    EXPECT_EQ(entry.event, EventValid | (3u << 8) | (1u << 11) | 13u);

    e = exit_at(svm_exit_code::Msr, {0x0f, 0x32}, 0);
    e.registers.gpr[reg::Rcx] = 0x277;
    handler.handle(e, 0, entry);
    EXPECT_EQ(entry.registers.gpr[reg::Rax], 0x00010406u) << "the last accepted value";
}

TEST_F(ExitFixture, HltHaltsAndVmmcallAnswersUnknownHypercall)
{
    EXPECT_EQ(handler.handle(exit_at(svm_exit_code::Hlt, {0xf4}), 0, entry).action,
              ExitAction::Halt);
    EXPECT_EQ(entry.rip, Rip + 1);
    EXPECT_EQ(handler.handle(exit_at(svm_exit_code::Vmmcall, {0x0f, 0x01, 0xd9}), 0, entry).action,
              ExitAction::Resume);
    EXPECT_EQ(entry.rip, Rip + 3);
    EXPECT_EQ(int64_t(entry.registers.gpr[reg::Rax]), -1000);
}

TEST_F(ExitFixture, TripleFaultAndRefusedStateStop)
{
    EXPECT_EQ(handler.handle(exit_at(svm_exit_code::Shutdown, {}), 0, entry).action,
              ExitAction::Stop);
    EXPECT_EQ(handler.handle(exit_at(svm_exit_code::Invalid, {}), 0, entry).action,
              ExitAction::Stop);
    EXPECT_EQ(handler.handle(exit_at(0x65, {}), 0, entry).action, ExitAction::Stop)
        << "unknown exit";
}

TEST_F(ExitFixture, InterruptsAreInjectedOnlyWhenTheGuestCanTakeThem)
{
    platform.mmio(AccessKind::Write, 0xfee000f0, 4, 0x1ff, 0); // APIC on
    platform.local_apic().deliver(InterruptMessage{0x40, DeliveryMode::Fixed, false, false, 0});
    VcpuExit e = exit_at(svm_exit_code::Hlt, {0xf4});
    e.rflags = 2; // IF clear
    handler.handle(e, 0, entry);
    EXPECT_EQ(entry.event, 0u);
    EXPECT_TRUE(entry.interrupt_window);
    e.rflags = RflagsIf;
    e.interrupt_shadow = true;
    handler.handle(e, 0, entry);
    EXPECT_EQ(entry.event, 0u) << "STI's shadow";
    e.interrupt_shadow = false;
    handler.handle(e, 0, entry);
    EXPECT_EQ(entry.event, EventValid | 0x40);
    EXPECT_FALSE(entry.interrupt_window);
    handler.handle(e, 0, entry);
    EXPECT_EQ(entry.event, 0u) << "acknowledged once";
}

TEST_F(ExitFixture, AnInterruptedEventIsDeliveredAgainFirst)
{
    platform.mmio(AccessKind::Write, 0xfee000f0, 4, 0x1ff, 0);
    platform.local_apic().deliver(InterruptMessage{0x40, DeliveryMode::Fixed, false, false, 0});
    VcpuExit e = exit_at(svm_exit_code::Hlt, {0xf4});
    e.rflags = RflagsIf;
    e.pending_event = exception_with_code(14, 2);
    handler.handle(e, 0, entry);
    EXPECT_EQ(entry.event, exception_with_code(14, 2));
}

TEST_F(ExitFixture, AnExitStormStopsTheGuest)
{
    const VcpuExit e = exit_at(svm_exit_code::Hlt, {0xf4});
    ExitOutcome outcome{ExitAction::Resume, nullptr};
    for (int i = 0; i < 1001 && outcome.action != ExitAction::Stop; i++)
        outcome = handler.handle(e, 10, entry);
    EXPECT_EQ(outcome.action, ExitAction::Stop);
    EXPECT_STREQ(outcome.reason, "exit storm: the guest exits faster than the VMM's limit");
}

TEST(VcpuMessage, RegistersMapBetweenMessageAndEncodingOrder)
{
    uint64_t words[VmEnterWords] = {};
    for (unsigned i = 0; i < VmEnterWords; i++)
        words[i] = 100 + i;
    const VcpuExit e = exit_from_message(words);
    EXPECT_EQ(e.rip, 100u);
    EXPECT_EQ(e.code, 100u + TESSERA_VMEnter_ExitCode);
    EXPECT_EQ(e.registers.gpr[reg::Rax], 100u + TESSERA_VMEnter_RAX);
    EXPECT_EQ(e.registers.gpr[reg::Rbx], 100u + TESSERA_VMEnter_RAX + TESSERA_SVMField_RBX);
    EXPECT_EQ(e.registers.gpr[reg::Rsi], 100u + TESSERA_VMEnter_RAX + TESSERA_SVMField_RSI);
    EXPECT_EQ(e.registers.gpr[reg::Rsp], 100u + TESSERA_VMEnter_RSP);
    EXPECT_EQ(e.registers.gpr[15], 100u + TESSERA_VMEnter_RAX + TESSERA_SVMField_R15);

    VcpuEntry entry{0x5000, external_interrupt(0x30), true, false, 0, false, 0, false, e.registers};
    uint64_t out[VmEnterWords];
    entry_to_message(entry, out);
    EXPECT_EQ(out[TESSERA_VMEnter_RIP], 0x5000u);
    EXPECT_EQ(out[TESSERA_VMEnter_Control], uint64_t(TESSERA_VMEnterControl_RegistersInMessage |
                                                     TESSERA_VMEnterControl_InterruptWindow));
    EXPECT_EQ(out[TESSERA_VMEnter_Event], EventValid | 0x30);
    for (unsigned i = TESSERA_VMEnter_RSP; i < VmEnterWords; i++)
        EXPECT_EQ(out[i], words[i]) << i;

    // After a notification the registers stay in the VCPU: the entry must not overwrite them.
    entry.registers_in_vcpu = true;
    entry_to_message(entry, out);
    EXPECT_EQ(out[TESSERA_VMEnter_Control], uint64_t(TESSERA_VMEnterControl_InterruptWindow));
}

} // namespace
} // namespace tessera::services::vmm

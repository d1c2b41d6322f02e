#include "guest_run.h"

#include <sel4/tessera_svm.h>

#include <stdio.h>

namespace tessera::services::vmm {
namespace {

// Every exit on the debug console, for bringing up a guest.
constexpr bool TraceExits = false;

constexpr uint64_t RflagsInterrupt = 1u << 9;
// CR0: PE, MP, ET, NE, PG. CR4: PAE. EFER: LME, LMA (the kernel keeps SVME).
constexpr seL4_Word EntryCr0 = 0x80000033, EntryCr4 = 0x20, EntryEfer = 0x500;
// VMCB attribute encoding (type, S, DPL, P, AVL, L, D/B, G): 64-bit code, flat data, busy TSS,
// LDT.
constexpr seL4_Word Code64 = 0xa9b, FlatData = 0xc93, BusyTss = 0x8b, Ldt = 0x82;

libos::Result<void> write(seL4_CPtr vcpu, seL4_Word field, seL4_Word value)
{
    return libos::check(tessera_X86_SVMVCPU_WriteState(vcpu, field, value),
                        "WriteState refused the Linux entry state");
}

libos::Result<void> write_segment(seL4_CPtr vcpu, seL4_Word segment, seL4_Word selector,
                                  seL4_Word attributes, seL4_Word limit)
{
    const seL4_Word first = TESSERA_SVMField_ES + 4 * segment;
    const seL4_Word values[4] = {selector, attributes, limit, 0};
    for (seL4_Word part = 0; part < 4; part++)
        if (auto r = write(vcpu, first + part, values[part]); !r)
            return r;
    return {};
}

seL4_Word send_entry(const VcpuEntry& entry, seL4_Word& badge)
{
    uint64_t words[VmEnterWords];
    entry_to_message(entry, words);
    for (unsigned i = 0; i < VmEnterWords; i++)
        seL4_SetMR(i, words[i]);
    return tessera_VMEnter(&badge);
}

VcpuExit receive_exit()
{
    uint64_t words[VmEnterWords];
    for (unsigned i = 0; i < VmEnterWords; i++)
        words[i] = seL4_GetMR(i);
    return exit_from_message(words);
}

// After a notification instead of an exit. If the kernel restarted seL4_VMEnter after a host
// interrupt, the guest ran: its registers are in the VCPU, MR0 is its RIP and MR2 an event it
// interrupted, and MR1 lost RegistersInMessage. Otherwise the guest did not run and `entry`
// still holds. Either way pending interrupts are looked at again.
void resume_after_notification(seL4_CPtr vcpu, ExitHandler& handler, const GuestClock& clock,
                               VcpuExit& last, VcpuEntry& entry)
{
    if ((seL4_GetMR(TESSERA_VMEnter_Control) & TESSERA_VMEnterControl_RegistersInMessage) == 0) {
        entry.rip = seL4_GetMR(TESSERA_VMEnter_RIP);
        const uint64_t pending = seL4_GetMR(TESSERA_VMEnter_Event);
        entry.event = (pending & EventValid) ? pending : 0;
        entry.interrupt_window = false;
        entry.write_efer = false;
        entry.write_pat = false;
        entry.registers_in_vcpu = true;
        last.rflags = tessera_X86_SVMVCPU_ReadState(vcpu, TESSERA_SVMField_RFLAGS).value;
        last.interrupt_shadow =
            (tessera_X86_SVMVCPU_ReadState(vcpu, TESSERA_SVMField_InterruptShadow).value & 1) != 0;
    }
    handler.inject_pending(last, clock.now_ns(), entry);
}

// After HLT: the VMM blocks until the host wakes it (the guest's next timer interrupt is due, or
// a host device has something for it). A halted guest with interrupts enabled waits for input as
// long as it takes.
ExitOutcome wait_while_halted(ExitHandler& handler, Platform& platform, const GuestClock& clock,
                              GuestHost& host, const VcpuExit& exit, VcpuEntry& entry)
{
    if ((exit.rflags & RflagsInterrupt) == 0)
        return {ExitAction::Stop, "the guest halted with interrupts disabled"};
    while ((entry.event & EventValid) == 0 && !entry.interrupt_window) {
        if (host.arm(platform.next_deadline_ns(clock.now_ns())))
            host.notified(host.wait(), clock.now_ns());
        host.poll(clock.now_ns());
        handler.inject_pending(exit, clock.now_ns(), entry);
    }
    return {ExitAction::Resume, nullptr};
}

} // namespace

libos::Result<void> set_linux_entry_state(seL4_CPtr vcpu, const LinuxBootPlan& plan)
{
    const auto code = write_segment(vcpu, TESSERA_SVMSegment_CS, guest_layout::BootCodeSelector,
                                    Code64, 0xffffffff);
    if (!code)
        return code;
    static constexpr seL4_Word data_segments[] = {TESSERA_SVMSegment_ES, TESSERA_SVMSegment_SS,
                                                  TESSERA_SVMSegment_DS, TESSERA_SVMSegment_FS,
                                                  TESSERA_SVMSegment_GS};
    for (const seL4_Word s : data_segments)
        if (auto r = write_segment(vcpu, s, guest_layout::BootDataSelector, FlatData, 0xffffffff);
            !r)
            return r;
    if (auto r = write_segment(vcpu, TESSERA_SVMSegment_TR, 0, BusyTss, 0x67); !r)
        return r;
    if (auto r = write_segment(vcpu, TESSERA_SVMSegment_LDTR, 0, Ldt, 0); !r)
        return r;
    const struct {
        seL4_Word field, value;
    } state[] = {
        {TESSERA_SVMField_CR0, EntryCr0},
        {TESSERA_SVMField_CR3, plan.entry_cr3},
        {TESSERA_SVMField_CR4, EntryCr4},
        {TESSERA_SVMField_EFER, EntryEfer},
        {TESSERA_SVMField_CPL, 0},
        {TESSERA_SVMField_RFLAGS, 2},
        {TESSERA_SVMField_GDTRBase, guest_layout::Gdt},
        {TESSERA_SVMField_GDTRLimit, guest_layout::BootDataSelector + 7},
        {TESSERA_SVMField_IDTRBase, 0},
        {TESSERA_SVMField_IDTRLimit, 0},
    };
    for (const auto& s : state)
        if (auto r = write(vcpu, s.field, s.value); !r)
            return r;
    return {};
}

GuestEnd run_guest(seL4_CPtr vcpu, ExitHandler& handler, Platform& platform,
                   const GuestClock& clock, GuestHost& host, const VcpuEntry& first)
{
    VcpuEntry entry = first;
    VcpuExit last{};
    last.rflags = 2;
    for (;;) {
        if (entry.write_efer && !write(vcpu, TESSERA_SVMField_EFER, entry.efer))
            return {ExitAction::Stop, "the VCPU refused the guest's EFER", entry.rip};
        if (entry.write_pat && !write(vcpu, TESSERA_SVMField_GPAT, entry.pat))
            return {ExitAction::Stop, "the VCPU refused the guest's PAT", entry.rip};
        if (host.poll(clock.now_ns()))
            handler.inject_pending(last, clock.now_ns(), entry);
        if (!host.arm(platform.next_deadline_ns(clock.now_ns()))) {
            // A deadline passed while the VMM worked: its interrupt is due before the guest runs.
            handler.inject_pending(last, clock.now_ns(), entry);
            continue;
        }
        seL4_Word badge = 0;
        const seL4_Word result = send_entry(entry, badge);
        if (result == TESSERA_VMEnter_Notification) {
            host.notified(badge, clock.now_ns());
            resume_after_notification(vcpu, handler, clock, last, entry);
            continue;
        }
        if (result != TESSERA_VMEnter_Exit)
            return {ExitAction::Stop, "the guest has no memory (its nested page table is gone)",
                    entry.rip};
        last = receive_exit();
        if (TraceExits)
            printf("vmm: exit 0x%lx at 0x%lx info 0x%lx 0x%lx rax 0x%lx rcx 0x%lx\n",
                   (unsigned long)last.code, (unsigned long)last.rip, (unsigned long)last.info1,
                   (unsigned long)last.info2, (unsigned long)last.registers.gpr[reg::Rax],
                   (unsigned long)last.registers.gpr[reg::Rcx]);
        ExitOutcome outcome = handler.handle(last, clock.now_ns(), entry);
        if (outcome.action == ExitAction::Halt)
            outcome = wait_while_halted(handler, platform, clock, host, last, entry);
        if (outcome.action != ExitAction::Resume)
            return {outcome.action, outcome.reason, last.rip};
    }
}

int report_guest_end(const GuestEnd& end, uint64_t exits)
{
    switch (end.action) {
    case ExitAction::PowerOff:
        printf("vmm: the guest powered off after %lu exits\n", (unsigned long)exits);
        return 0;
    case ExitAction::Reset:
        printf("vmm: the guest reset itself after %lu exits\n", (unsigned long)exits);
        return 2; // not a clean end: Linux resets after a panic (panic=-1)
    default:
        printf("vmm: the guest stopped at RIP 0x%lx after %lu exits: %s\n", (unsigned long)end.rip,
               (unsigned long)exits, end.reason ? end.reason : "(no reason)");
        return 1;
    }
}

} // namespace tessera::services::vmm

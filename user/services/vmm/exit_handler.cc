#include "exit_handler.h"

#include "guest_paging.h"
#include "svm_exit.h"

namespace tessera::services::vmm {
namespace {

constexpr uint64_t RflagsInterrupt = 1u << 9;
constexpr uint64_t Cr4Osxsave = 1u << 18;
constexpr uint8_t GeneralProtection = 13;
// EFER (AMD APM vol. 2, 3.1.7): the guest owns SCE, LME, NXE, LMSLE and FFXSR; LMA is the
// processor's to set; SVME is the host's (the kernel keeps it set, the guest must not see it).
constexpr uint32_t MsrEfer = 0xc0000080;
constexpr uint64_t EferLma = 1u << 10, EferSvme = 1u << 12;
constexpr uint32_t MsrPat = 0x277;
constexpr uint64_t EferGuestWritable = (1u << 0) | (1u << 8) | (1u << 11) | (1u << 13) | (1u << 14);
// KVM's hypercall ABI answers an unknown call with -KVM_ENOSYS (1000) in RAX; Linux only makes
// such calls when it believes it runs on KVM, which TesseraVMM's CPUID never claims.
constexpr uint64_t HypercallUnknown = uint64_t(-1000);

uint64_t size_mask(unsigned bytes)
{
    return bytes >= 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
}

ExitOutcome resume()
{
    return {ExitAction::Resume, nullptr};
}
ExitOutcome stop(const char* reason)
{
    return {ExitAction::Stop, reason};
}

GuestPagingState paging_of(const VcpuExit& exit)
{
    return {exit.cr0, exit.cr3, exit.cr4, exit.efer};
}

// A 32-bit result written to a register, as the CPU writes it in 64-bit mode (upper half zero).
void set32(GuestRegisters& r, unsigned index, uint32_t value)
{
    r.gpr[index] = value;
}

} // namespace

ExitHandler::ExitHandler(Platform& platform, GuestRam ram, const HostCpuid& host,
                         ExitStormGuard& storm, uint32_t apic_id)
    : platform_(platform), ram_(ram), host_(host), storm_(storm), apic_id_(apic_id)
{
}

ExitOutcome ExitHandler::handle(const VcpuExit& exit, uint64_t now_ns, VcpuEntry& entry)
{
    exits_++;
    entry.rip = exit.rip;
    entry.registers = exit.registers;
    entry.event = (exit.pending_event & EventValid) ? exit.pending_event : 0;
    entry.interrupt_window = false;
    entry.write_efer = false;
    entry.write_pat = false;
    entry.registers_in_vcpu = false;
    if (storm_.record(now_ns))
        return stop("exit storm: the guest exits faster than the VMM's limit");
    const ExitOutcome outcome = serve(exit, now_ns, entry);
    if (outcome.action == ExitAction::Resume || outcome.action == ExitAction::Halt)
        inject_pending(exit, now_ns, entry);
    return outcome;
}

ExitOutcome ExitHandler::serve(const VcpuExit& exit, uint64_t now_ns, VcpuEntry& entry)
{
    switch (exit.code) {
    case svm_exit_code::Cpuid:
        return serve_cpuid(exit, entry);
    case svm_exit_code::Msr:
        return serve_msr(exit, entry);
    case svm_exit_code::IoPort:
        return serve_io(exit, now_ns, entry);
    case svm_exit_code::NestedPageFault:
        return serve_nested_fault(exit, now_ns, entry);
    case svm_exit_code::Hlt: {
        const size_t length = instruction_length(exit);
        if (length == 0)
            return stop("HLT exit without HLT at RIP");
        entry.rip += length;
        return {ExitAction::Halt, nullptr};
    }
    case svm_exit_code::Vmmcall: {
        const size_t length = instruction_length(exit);
        if (length == 0)
            return stop("VMMCALL exit without VMMCALL at RIP");
        entry.registers.gpr[reg::Rax] = HypercallUnknown;
        entry.rip += length;
        return resume();
    }
    case svm_exit_code::VirtualInterrupt:
        return resume(); // the window opened: inject_pending delivers
    case svm_exit_code::Shutdown:
        return stop("the guest triple-faulted (shutdown)");
    case svm_exit_code::Invalid:
        return stop("VMRUN refused the guest state");
    default:
        return stop("an exit the VMM does not handle");
    }
}

size_t ExitHandler::instruction_length(const VcpuExit& exit)
{
    uint8_t bytes[MaxInstructionBytes];
    const size_t count = read_guest_virtual(paging_of(exit), ram_, exit.rip, bytes, sizeof(bytes));
    return intercepted_instruction_length(exit.code, exit.info1, bytes, count);
}

ExitOutcome ExitHandler::serve_cpuid(const VcpuExit& exit, VcpuEntry& entry)
{
    const size_t length = instruction_length(exit);
    if (length == 0)
        return stop("CPUID exit without CPUID at RIP");
    const CpuidPolicy policy{apic_id_, (exit.cr4 & Cr4Osxsave) != 0};
    const CpuidRegisters r = guest_cpuid(policy, host_, uint32_t(exit.registers.gpr[reg::Rax]),
                                         uint32_t(exit.registers.gpr[reg::Rcx]));
    set32(entry.registers, reg::Rax, r.eax);
    set32(entry.registers, reg::Rbx, r.ebx);
    set32(entry.registers, reg::Rcx, r.ecx);
    set32(entry.registers, reg::Rdx, r.edx);
    entry.rip += length;
    return resume();
}

ExitOutcome ExitHandler::serve_msr(const VcpuExit& exit, VcpuEntry& entry)
{
    const size_t length = instruction_length(exit);
    if (length == 0)
        return stop("MSR exit without RDMSR/WRMSR at RIP");
    const uint32_t msr = uint32_t(exit.registers.gpr[reg::Rcx]);
    if (msr == MsrEfer)
        return serve_efer(exit, length, entry);
    if (msr == MsrPat)
        return serve_pat(exit, length, entry);
    if (exit.info1 == 0) {
        const MsrRead read = guest_read_msr(msr, apic_id_);
        if (read.outcome == MsrOutcome::InjectGp) {
            entry.event = exception_with_code(GeneralProtection, 0);
            return resume(); // RIP stays: the fault is the RDMSR's
        }
        set32(entry.registers, reg::Rax, uint32_t(read.value));
        set32(entry.registers, reg::Rdx, uint32_t(read.value >> 32));
    } else {
        const uint64_t value =
            (exit.registers.gpr[reg::Rdx] << 32) | uint32_t(exit.registers.gpr[reg::Rax]);
        if (guest_write_msr(msr, value) == MsrOutcome::InjectGp) {
            entry.event = exception_with_code(GeneralProtection, 0);
            return resume();
        }
    }
    entry.rip += length;
    return resume();
}

ExitOutcome ExitHandler::serve_efer(const VcpuExit& exit, size_t length, VcpuEntry& entry)
{
    if (exit.info1 == 0) {
        const uint64_t value = exit.efer & ~EferSvme;
        set32(entry.registers, reg::Rax, uint32_t(value));
        set32(entry.registers, reg::Rdx, uint32_t(value >> 32));
    } else {
        const uint64_t value =
            (exit.registers.gpr[reg::Rdx] << 32) | uint32_t(exit.registers.gpr[reg::Rax]);
        if ((value & ~(EferGuestWritable | EferLma)) != 0) {
            entry.event = exception_with_code(GeneralProtection, 0);
            return resume(); // reserved bits (and SVME: no nested guests) are #GP
        }
        entry.write_efer = true;
        entry.efer = (value & EferGuestWritable) | (exit.efer & EferLma);
    }
    entry.rip += length;
    return resume();
}

ExitOutcome ExitHandler::serve_pat(const VcpuExit& exit, size_t length, VcpuEntry& entry)
{
    if (exit.info1 == 0) {
        set32(entry.registers, reg::Rax, uint32_t(pat_));
        set32(entry.registers, reg::Rdx, uint32_t(pat_ >> 32));
    } else {
        const uint64_t value =
            (exit.registers.gpr[reg::Rdx] << 32) | uint32_t(exit.registers.gpr[reg::Rax]);
        // Each byte a memory type: UC 0, WC 1, WT 4, WP 5, WB 6, UC- 7; others are #GP.
        for (unsigned i = 0; i < 8; i++) {
            const uint8_t type = uint8_t(value >> (8 * i));
            if (type > 7 || type == 2 || type == 3) {
                entry.event = exception_with_code(GeneralProtection, 0);
                return resume();
            }
        }
        pat_ = value;
        entry.write_pat = true;
        entry.pat = value;
    }
    entry.rip += length;
    return resume();
}

ExitOutcome ExitHandler::serve_io(const VcpuExit& exit, uint64_t now_ns, VcpuEntry& entry)
{
    IoExit io{};
    if (!decode_io_exit(exit.info1, exit.info2, io))
        return stop("IOIO exit with no operand size");
    if (io.is_string || io.has_rep)
        return stop("string or REP port I/O is not emulated");
    uint64_t& rax = entry.registers.gpr[reg::Rax];
    const uint64_t mask = size_mask(io.size);
    const IoOutcome outcome = platform_.port_io(io.is_in ? AccessKind::Read : AccessKind::Write,
                                                io.port, io.size, uint32_t(rax & mask), now_ns);
    if (io.is_in)
        rax = io.size == 4 ? uint64_t(outcome.value) : (rax & ~mask) | (outcome.value & mask);
    entry.rip = io.next_rip;
    if (outcome.power == PowerEvent::PowerOff)
        return {ExitAction::PowerOff, nullptr};
    if (outcome.power == PowerEvent::Reset)
        return {ExitAction::Reset, nullptr};
    return resume();
}

ExitOutcome ExitHandler::serve_nested_fault(const VcpuExit& exit, uint64_t now_ns, VcpuEntry& entry)
{
    const NestedFault fault = decode_nested_fault(exit.info1, exit.info2);
    if (fault.guest_physical < ram_.size)
        return stop("nested page fault inside guest RAM");
    if (fault.fetch)
        return stop("the guest executes outside RAM");
    if (fault.during_table_walk)
        return stop("the guest's page tables lie outside RAM");
    uint8_t bytes[MaxInstructionBytes];
    const size_t count = read_guest_virtual(paging_of(exit), ram_, exit.rip, bytes, sizeof(bytes));
    const auto access = decode_mmio(bytes, count);
    if (!access)
        return stop("an MMIO access by an instruction the VMM does not decode");
    const MmioAccess& a = access.value();
    if (a.direction == MmioDirection::Write) {
        (void)platform_.mmio(AccessKind::Write, fault.guest_physical, a.size,
                             mmio_write_value(a, exit.registers), now_ns);
    } else {
        const IoOutcome outcome =
            platform_.mmio(AccessKind::Read, fault.guest_physical, a.size, 0, now_ns);
        complete_mmio_read(a, outcome.value, entry.registers);
    }
    entry.rip += a.length;
    return resume();
}

void ExitHandler::inject_pending(const VcpuExit& last, uint64_t now_ns, VcpuEntry& entry)
{
    platform_.update_interrupts(now_ns);
    if (entry.event & EventValid)
        return; // one event per entry; the next exit brings the rest
    if (platform_.local_apic().deliverable_vector() < 0)
        return;
    const bool can_take = (last.rflags & RflagsInterrupt) != 0 && !last.interrupt_shadow;
    if (!can_take) {
        entry.interrupt_window = true;
        return;
    }
    entry.event = external_interrupt(uint8_t(platform_.local_apic().acknowledge()));
}

} // namespace tessera::services::vmm

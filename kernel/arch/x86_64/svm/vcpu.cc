// The SVM VCPU object: its VMCB's initial state, binding to a TCB and to a guest-physical PML4,
// guest-state access by field, and what deleting either partner does. Each method decodes and
// checks first, then performs a change that cannot fail (STYLE rule 11).
#include <tessera/abi/invocation_decode.h>
#include <tessera/abi/svm.h>

#include "arch/x86_64/kernel_objects.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/svm.h"
#include "arch/x86_64/vspace.h"
#include "base/context.h"
#include "cap/cap_arch_kinds.h"
#include "cap/cap_kinds.h"
#include "svm_host.h"
#include "vcpu_object.h"

namespace tessera::x86_64 {
namespace {

using core::Cap;
using core::CapType;
using core::Progress;
using core::Result;
using core::SyscallError;
using core::Word;

SvmVcpu& vcpu_at(core::CoreContext& ctx, core::PAddr object)
{
    return *ctx.window.at<SvmVcpu>(object);
}

// The intercepts every guest runs with. Host interrupts, NMIs, SMIs and INIT exit to the kernel;
// everything that would reach the host's devices or SVM itself, or would let the guest stall the
// CPU or see host state, exits to the VMM: ports and MSRs (through the maps), CPUID, HLT, the SVM
// instructions, XSETBV (XCR0 is not switched), MONITOR/MWAIT, INVD, task switches, shutdown
// (a triple fault stops only this guest) and machine checks.
constexpr uint32_t Misc1Intercepts =
    vmcb::misc1::Intr | vmcb::misc1::Nmi | vmcb::misc1::Smi | vmcb::misc1::Init |
    vmcb::misc1::Cpuid | vmcb::misc1::Invd | vmcb::misc1::Hlt | vmcb::misc1::Invlpga |
    vmcb::misc1::IoioProt | vmcb::misc1::MsrProt | vmcb::misc1::TaskSwitch |
    vmcb::misc1::FerrFreeze | vmcb::misc1::Shutdown;
constexpr uint32_t Misc2Intercepts =
    vmcb::misc2::Vmrun | vmcb::misc2::Vmmcall | vmcb::misc2::Vmload | vmcb::misc2::Vmsave |
    vmcb::misc2::Stgi | vmcb::misc2::Clgi | vmcb::misc2::Skinit | vmcb::misc2::Rdtscp |
    vmcb::misc2::Monitor | vmcb::misc2::Mwait | vmcb::misc2::MwaitConditional | vmcb::misc2::Xsetbv;
constexpr uint32_t MachineCheck = 1u << 18;

void set_segment(SvmVcpu& v, unsigned offset, uint16_t selector, uint16_t attributes,
                 uint32_t limit, uint64_t base)
{
    vmcb_field<uint16_t>(v, offset + vmcb::SegmentSelector) = selector;
    vmcb_field<uint16_t>(v, offset + vmcb::SegmentAttributes) = attributes;
    vmcb_field<uint32_t>(v, offset + vmcb::SegmentLimit) = limit;
    vmcb_field<uint64_t>(v, offset + vmcb::SegmentBase) = base;
}

// Where a TESSERA_SVMField lives: a VMCB offset and width, or a slot of the saved registers.
struct FieldPlace {
    enum class Kind { Register, Vmcb } kind;
    unsigned offset; // VMCB byte offset, or register index
    unsigned bytes;
};

bool place_of(Word field, FieldPlace& place)
{
    using enum FieldPlace::Kind;
    if (field >= TESSERA_SVMField_RBX && field <= TESSERA_SVMField_R15) {
        place = {Register, unsigned(field), 8};
        return true;
    }
    if (field >= TESSERA_SVMField_ES && field < TESSERA_SVMField_Count) {
        const unsigned segment = unsigned(field - TESSERA_SVMField_ES) / 4,
                       part = unsigned(field - TESSERA_SVMField_ES) % 4;
        static constexpr unsigned parts[4][2] = {{vmcb::SegmentSelector, 2},
                                                 {vmcb::SegmentAttributes, 2},
                                                 {vmcb::SegmentLimit, 4},
                                                 {vmcb::SegmentBase, 8}};
        place = {Vmcb, vmcb::Es + 16 * segment + parts[part][0], parts[part][1]};
        return true;
    }
    switch (field) {
    case TESSERA_SVMField_RAX:
        place = {Vmcb, vmcb::Rax, 8};
        return true;
    case TESSERA_SVMField_RSP:
        place = {Vmcb, vmcb::Rsp, 8};
        return true;
    case TESSERA_SVMField_RIP:
        place = {Vmcb, vmcb::Rip, 8};
        return true;
    case TESSERA_SVMField_RFLAGS:
        place = {Vmcb, vmcb::Rflags, 8};
        return true;
    case TESSERA_SVMField_CR0:
        place = {Vmcb, vmcb::Cr0, 8};
        return true;
    case TESSERA_SVMField_CR2:
        place = {Vmcb, vmcb::Cr2, 8};
        return true;
    case TESSERA_SVMField_CR3:
        place = {Vmcb, vmcb::Cr3, 8};
        return true;
    case TESSERA_SVMField_CR4:
        place = {Vmcb, vmcb::Cr4, 8};
        return true;
    case TESSERA_SVMField_EFER:
        place = {Vmcb, vmcb::Efer, 8};
        return true;
    case TESSERA_SVMField_DR6:
        place = {Vmcb, vmcb::Dr6, 8};
        return true;
    case TESSERA_SVMField_DR7:
        place = {Vmcb, vmcb::Dr7, 8};
        return true;
    case TESSERA_SVMField_GPAT:
        place = {Vmcb, vmcb::GuestPat, 8};
        return true;
    case TESSERA_SVMField_STAR:
        place = {Vmcb, vmcb::Star, 8};
        return true;
    case TESSERA_SVMField_LSTAR:
        place = {Vmcb, vmcb::Lstar, 8};
        return true;
    case TESSERA_SVMField_CSTAR:
        place = {Vmcb, vmcb::Cstar, 8};
        return true;
    case TESSERA_SVMField_SFMASK:
        place = {Vmcb, vmcb::Sfmask, 8};
        return true;
    case TESSERA_SVMField_KernelGSBase:
        place = {Vmcb, vmcb::KernelGsBase, 8};
        return true;
    case TESSERA_SVMField_SysenterCS:
        place = {Vmcb, vmcb::SysenterCs, 8};
        return true;
    case TESSERA_SVMField_SysenterESP:
        place = {Vmcb, vmcb::SysenterEsp, 8};
        return true;
    case TESSERA_SVMField_SysenterEIP:
        place = {Vmcb, vmcb::SysenterEip, 8};
        return true;
    case TESSERA_SVMField_CPL:
        place = {Vmcb, vmcb::Cpl, 1};
        return true;
    case TESSERA_SVMField_GDTRBase:
        place = {Vmcb, vmcb::Gdtr + vmcb::SegmentBase, 8};
        return true;
    case TESSERA_SVMField_GDTRLimit:
        place = {Vmcb, vmcb::Gdtr + vmcb::SegmentLimit, 4};
        return true;
    case TESSERA_SVMField_IDTRBase:
        place = {Vmcb, vmcb::Idtr + vmcb::SegmentBase, 8};
        return true;
    case TESSERA_SVMField_IDTRLimit:
        place = {Vmcb, vmcb::Idtr + vmcb::SegmentLimit, 4};
        return true;
    case TESSERA_SVMField_VirtualInterrupt:
        place = {Vmcb, vmcb::VirtualInterrupt, 8};
        return true;
    case TESSERA_SVMField_InterruptShadow:
        place = {Vmcb, vmcb::InterruptShadow, 8};
        return true;
    default:
        return false;
    }
}

Word read_field(SvmVcpu& v, const FieldPlace& place)
{
    if (place.kind == FieldPlace::Kind::Register)
        return v.state.registers[place.offset];
    switch (place.bytes) {
    case 1:
        return vmcb_field<uint8_t>(v, place.offset);
    case 2:
        return vmcb_field<uint16_t>(v, place.offset);
    case 4:
        return vmcb_field<uint32_t>(v, place.offset);
    default:
        return vmcb_field<uint64_t>(v, place.offset);
    }
}

// Values are truncated to the field's width. Three fields keep the kernel's bits whatever the
// VMM writes: EFER.SVME (VMRUN requires it), V_INTR_MASKING (host interrupts must exit) and the
// interrupt shadow's other bits. Everything else the CPU checks at VMRUN: a state it refuses is
// an exit with code -1 for the VMM, never a host fault.
void write_field(SvmVcpu& v, Word field, const FieldPlace& place, Word value)
{
    if (field == TESSERA_SVMField_EFER)
        value |= vmcb::EferSvme;
    if (field == TESSERA_SVMField_VirtualInterrupt)
        value = (value & vmcb::vintr::Writable) | vmcb::vintr::Masking;
    if (field == TESSERA_SVMField_InterruptShadow)
        value &= 1;
    if (place.kind == FieldPlace::Kind::Register) {
        v.state.registers[place.offset] = value;
        return;
    }
    switch (place.bytes) {
    case 1:
        vmcb_field<uint8_t>(v, place.offset) = uint8_t(value);
        return;
    case 2:
        vmcb_field<uint16_t>(v, place.offset) = uint16_t(value);
        return;
    case 4:
        vmcb_field<uint32_t>(v, place.offset) = uint32_t(value);
        return;
    default:
        vmcb_field<uint64_t>(v, place.offset) = value;
        return;
    }
}

void unbind(core::CoreContext& ctx, SvmVcpu& v)
{
    if (v.state.tcb != nullptr)
        arch_of(*v.state.tcb).svm_vcpu = 0;
    v.state.tcb = nullptr;
    (void)ctx;
}

} // namespace

void initialise_svm_vcpu(core::CoreContext& ctx, Cap cap)
{
    if (cap.type() != CapType::SvmVcpu)
        return;
    SvmVcpu& v = vcpu_at(ctx, core::SvmVcpuCap{cap}.object());
    vmcb_field<uint32_t>(v, vmcb::InterceptExceptions) = MachineCheck;
    vmcb_field<uint32_t>(v, vmcb::InterceptMisc1) = Misc1Intercepts;
    vmcb_field<uint32_t>(v, vmcb::InterceptMisc2) = Misc2Intercepts;
    vmcb_field<uint64_t>(v, vmcb::IopmBase) = svm_io_permission_map();
    vmcb_field<uint64_t>(v, vmcb::MsrpmBase) = svm_msr_permission_map();
    // The ASID and TLB_CONTROL are chosen at each entry (guest_tlb_policy.h); the zeroed tag
    // holds no ASID yet.
    vmcb_field<uint64_t>(v, vmcb::VirtualInterrupt) = vmcb::vintr::Masking;
    vmcb_field<uint64_t>(v, vmcb::NestedControl) = vmcb::NestedPagingEnable;
    reset_guest_state(v);
    // The FPU's reset state: FCW 0x37f, MXCSR 0x1f80 (FXSAVE layout).
    const uint16_t fcw = 0x37f;
    const uint32_t mxcsr = 0x1f80;
    __builtin_memcpy(v.state.fpu.bytes + 0, &fcw, sizeof(fcw));
    __builtin_memcpy(v.state.fpu.bytes + 24, &mxcsr, sizeof(mxcsr));
}

void reset_guest_state(SvmVcpu& v)
{
    __builtin_memset(v.vmcb + vmcb::Es, 0, sizeof(v.vmcb) - vmcb::Es);
    // The processor's reset state (AMD APM vol. 2, 14.1.3): real mode at 0xffff0.
    set_segment(v, vmcb::Cs, 0xf000, 0x9b, 0xffff, 0xffff0000);
    static constexpr unsigned data_segments[] = {vmcb::Es, vmcb::Ss, vmcb::Ds, vmcb::Fs, vmcb::Gs};
    for (const unsigned s : data_segments)
        set_segment(v, s, 0, 0x93, 0xffff, 0);
    set_segment(v, vmcb::Ldtr, 0, 0x82, 0xffff, 0);
    set_segment(v, vmcb::Tr, 0, 0x8b, 0xffff, 0);
    set_segment(v, vmcb::Gdtr, 0, 0, 0xffff, 0);
    set_segment(v, vmcb::Idtr, 0, 0, 0xffff, 0);
    vmcb_field<uint64_t>(v, vmcb::Rip) = 0xfff0;
    vmcb_field<uint64_t>(v, vmcb::Rflags) = 2;
    vmcb_field<uint64_t>(v, vmcb::Cr0) = 0x60000010; // CD, NW, ET
    vmcb_field<uint64_t>(v, vmcb::Efer) = vmcb::EferSvme;
    vmcb_field<uint64_t>(v, vmcb::Dr6) = 0xffff0ff0;
    vmcb_field<uint64_t>(v, vmcb::Dr7) = 0x400;
    vmcb_field<uint64_t>(v, vmcb::GuestPat) = 0x0007040600070406;
}

void finalise_svm_binding(core::CoreContext& ctx, Cap cap)
{
    if (cap.type() == CapType::SvmVcpu) {
        unbind(ctx, vcpu_at(ctx, core::SvmVcpuCap{cap}.object()));
        return;
    }
    if (cap.type() != CapType::Tcb)
        return;
    ArchTcb& arch = arch_of(*ctx.window.at<core::Tcb>(core::TcbCap{cap}.object()));
    if (arch.svm_vcpu != 0)
        physical_to_virtual<SvmVcpu>(arch.svm_vcpu)->state.tcb = nullptr;
    arch.svm_vcpu = 0;
}

namespace inv_svm = abi::invocation;
// The labels abi/svm.h gives C and the ones generated from abi/invocations/tessera.def agree.
static_assert(inv_svm::X86SVMVCPUSetTCB::label == TESSERA_X86SVMVCPUSetTCB &&
              inv_svm::X86SVMVCPUSetNPT::label == TESSERA_X86SVMVCPUSetNPT &&
              inv_svm::X86SVMVCPUReadState::label == TESSERA_X86SVMVCPUReadState &&
              inv_svm::X86SVMVCPUWriteState::label == TESSERA_X86SVMVCPUWriteState);

Result<Progress> invoke_svm_vcpu(core::CoreContext& ctx, Word label, const core::Invocation& inv,
                                 core::Slot& slot, Word* reply, Word& reply_length)
{
    const core::SvmVcpuCap cap{slot.cap};
    SvmVcpu& v = vcpu_at(ctx, cap.object());
    switch (label) {
    case TESSERA_X86SVMVCPUSetTCB: {
        const core::Slot* tcb_slot = inv.extra_cap(inv_svm::X86SVMVCPUSetTCB::tcb_cap);
        if (tcb_slot == nullptr)
            return SyscallError::truncated_message().because("SVM VCPU SetTCB: no TCB capability");
        if (tcb_slot->cap.type() != CapType::Tcb)
            return SyscallError::invalid_capability(1).because("SVM VCPU SetTCB: not a TCB");
        core::Tcb& tcb = *ctx.window.at<core::Tcb>(core::TcbCap{tcb_slot->cap}.object());
        unbind(ctx, v);
        if (arch_of(tcb).svm_vcpu != 0)
            physical_to_virtual<SvmVcpu>(arch_of(tcb).svm_vcpu)->state.tcb = nullptr;
        arch_of(tcb).svm_vcpu = cap.object().raw();
        v.state.tcb = &tcb;
        return Progress::Done;
    }
    case TESSERA_X86SVMVCPUSetNPT: {
        const core::Slot* root = inv.extra_cap(inv_svm::X86SVMVCPUSetNPT::npt_root_cap);
        if (root == nullptr)
            return SyscallError::truncated_message().because("SVM VCPU SetNPT: no PML4 capability");
        if (root->cap.type() != CapType::Pml4 || !core::Pml4Cap{root->cap}.is_mapped())
            return SyscallError::invalid_capability(1).because(
                "SVM VCPU SetNPT: not a PML4 with an ASID");
        const core::Pml4Cap pml4{root->cap};
        v.state.npt_root = pml4.object().raw();
        v.state.npt_asid = pml4.mapped_asid().raw();
        GuestTlbPolicy::forget(v.state.tlb);
        guest_tlb().watch(v.state.npt_asid);
        return Progress::Done;
    }
    case TESSERA_X86SVMVCPUReadState: {
        using Method = inv_svm::X86SVMVCPUReadState;
        FieldPlace place{};
        if (inv.length() < Method::word_count)
            return SyscallError::truncated_message().because("SVM VCPU ReadState: no field");
        if (!place_of(inv.arguments<Method>().field, place))
            return SyscallError::invalid_argument(0).because("SVM VCPU ReadState: no such field");
        reply_length = Method::pack_reply({.value = read_field(v, place)}, reply);
        return Progress::Done;
    }
    case TESSERA_X86SVMVCPUWriteState: {
        using Method = inv_svm::X86SVMVCPUWriteState;
        FieldPlace place{};
        if (inv.length() < Method::word_count)
            return SyscallError::truncated_message().because(
                "SVM VCPU WriteState: no field or value");
        const auto args = inv.arguments<Method>();
        if (!place_of(args.field, place))
            return SyscallError::invalid_argument(0).because("SVM VCPU WriteState: no such field");
        write_field(v, args.field, place, args.value);
        return Progress::Done;
    }
    default:
        return SyscallError::illegal_operation().because("SVM VCPU: not a VCPU method");
    }
}

} // namespace tessera::x86_64

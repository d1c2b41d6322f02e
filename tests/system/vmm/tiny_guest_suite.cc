// The SVM VCPU from a test VMM (issue 24): ABI checks on the VCPU object, then the tiny guest
// (tests/guest/tiny_guest.S) run exit by exit, each checked exactly, then guests that go wrong
// and must stop only themselves. One line per check, then `N passed, M failed`.
#include <sel4/sel4.h>
#include <sel4/tessera_svm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tessera/alloc.h>
#include <tessera/runtime.h>
#include <tessera/thread.h>
#include <tessera/vspace.h>

#include "check.h"
#include "guest_memory.h"
#include "test_vcpu.h"
#include "translation_tests.h"

extern "C" const uint8_t tiny_guest_start[], tiny_guest_end[], tiny_guest_ud2[], tiny_guest_spin[],
    tiny_guest_probe[];

namespace {

using libos_suite::check;
using libos_suite::check_error;
using vmm_suite::Cr0;
using vmm_suite::enter;
using vmm_suite::Exit;
using vmm_suite::GuestBase;
using vmm_suite::GuestMemory;
using vmm_suite::new_object;
using vmm_suite::read_exit;
using vmm_suite::set_protected_mode;
using vmm_suite::write_state;

constexpr seL4_Word GuestPages = 8, Mmio = 0xf0000000;
constexpr seL4_Word Signature[3] = {0x73736554, 0x56617265, 0x4d4d}; // "TesseraVMM"

// IOIO EXITINFO1 (AMD APM vol. 2, 15.10.2): IN bit 0, string 2, REP 3, one-hot size 4..6, port
// 31:16.
struct IoExit {
    seL4_Word port, size;
    bool in, string_or_rep;
};
IoExit decode_io(seL4_Word info1)
{
    const seL4_Word sizes = (info1 >> 4) & 7;
    return {info1 >> 16,
            sizes == 1   ? 1u
            : sizes == 2 ? 2u
            : sizes == 4 ? 4u
                         : 0u,
            (info1 & 1) != 0, (info1 & 0xc) != 0};
}

// tessera_VMEnter with `mine` in the VMM's xmm2 across the system call, in one asm statement so
// that nothing but the kernel can change it; returns what xmm2 holds afterwards.
uint64_t enter_holding_xmm2(seL4_Word rip, Exit& e, uint64_t mine)
{
    for (seL4_Word i = TESSERA_VMEnter_RSP; i < TESSERA_VMEnter_MessageLength; i++)
        seL4_SetMR(i, e.words[i]);
    register seL4_Word r10 __asm__("r10") = rip;
    register seL4_Word r8 __asm__("r8") = TESSERA_VMEnterControl_RegistersInMessage;
    register seL4_Word r9 __asm__("r9") = 0;
    register seL4_Word r15 __asm__("r15") = 0;
    seL4_Word badge = 0, result = 0;
    uint64_t after = 0;
    asm volatile("movq %[mine], %%xmm2\n\t"
                 "movq %%rsp, %%rbx\n\t"
                 "syscall\n\t"
                 "movq %%rbx, %%rsp\n\t"
                 "movq %%xmm2, %[after]"
                 : "+D"(badge), "+S"(result), "+r"(r10), "+r"(r8), "+r"(r9),
                   "+r"(r15), [after] "=&r"(after)
                 : [mine] "r"(mine), "d"(seL4_Word(seL4_SysVMEnter))
                 : "rcx", "rbx", "r11", "memory", "xmm2");
    seL4_SetMR(0, r10);
    seL4_SetMR(1, r8);
    seL4_SetMR(2, r9);
    seL4_SetMR(3, r15);
    e.result = result;
    e.badge = badge;
    read_exit(e);
    return after;
}

bool is_exit(const Exit& e, seL4_Word code)
{
    if (e.result != TESSERA_VMEnter_Exit || e.code() != code)
        printf("vmm: result %lu exit 0x%lx at 0x%lx (info 0x%lx 0x%lx), expected exit 0x%lx\n",
               (unsigned long)e.result, (unsigned long)e.code(), (unsigned long)e.rip(),
               (unsigned long)e.info1(), (unsigned long)e.info2(), (unsigned long)code);
    return e.result == TESSERA_VMEnter_Exit && e.code() == code;
}

seL4_Word guest_address(const uint8_t* label)
{
    return GuestBase + seL4_Word(label - tiny_guest_start);
}

void abi_tests(seL4_CPtr vcpu)
{
    check_error("vcpu.set_tcb_not_a_tcb", tessera_X86_SVMVCPU_SetTCB(vcpu, seL4_CapInitThreadCNode),
                seL4_InvalidCapability);
    check_error("vcpu.set_npt_not_a_pml4", tessera_X86_SVMVCPU_SetNPT(vcpu, seL4_CapInitThreadTCB),
                seL4_InvalidCapability);
    const seL4_CPtr loose = new_object(seL4_X64_PML4Object);
    check_error("vcpu.set_npt_needs_an_asid", tessera_X86_SVMVCPU_SetNPT(vcpu, loose),
                seL4_InvalidCapability);
    check_error("vcpu.read_state_unknown_field",
                seL4_Error(tessera_X86_SVMVCPU_ReadState(vcpu, TESSERA_SVMField_Count).error),
                seL4_InvalidArgument);
    check_error("vcpu.write_state_unknown_field", tessera_X86_SVMVCPU_WriteState(vcpu, 1000, 0),
                seL4_InvalidArgument);
    (void)write_state(vcpu, TESSERA_SVMField_R13, 0x1122334455667788);
    check("vcpu.register_round_trip",
          tessera_X86_SVMVCPU_ReadState(vcpu, TESSERA_SVMField_R13).value == 0x1122334455667788);
    (void)write_state(vcpu, TESSERA_SVMField_EFER, 0);
    check("vcpu.efer_keeps_svme",
          tessera_X86_SVMVCPU_ReadState(vcpu, TESSERA_SVMField_EFER).value == 0x1000);
    (void)write_state(vcpu,
                      TESSERA_SVMField_ES + 4 * TESSERA_SVMSegment_CS + TESSERA_SVMSegment_Selector,
                      0x12345);
    check("vcpu.selector_is_16_bits",
          tessera_X86_SVMVCPU_ReadState(vcpu, TESSERA_SVMField_ES + 4 * TESSERA_SVMSegment_CS)
                  .value == 0x2345);
    check("vcpu.reset_state_rip",
          tessera_X86_SVMVCPU_ReadState(vcpu, TESSERA_SVMField_RIP).value == 0xfff0);
    check("vcpu.cap_identify_is_vcpu", seL4_DebugCapIdentify(vcpu) == 21);
    check_error(
        "vcpu.not_a_method",
        tessera_svm_vcpu_call(vcpu, TESSERA_X86SVMVCPULastLabel + 1, 0, 0, nullptr, nullptr),
        seL4_IllegalOperation);
    check_error("vcpu.set_tcb", tessera_X86_SVMVCPU_SetTCB(vcpu, seL4_CapInitThreadTCB),
                seL4_NoError);
    seL4_Word badge = 0;
    seL4_SetMR(TESSERA_VMEnter_Control, 0);
    check("vm_enter.without_guest_memory",
          tessera_VMEnter(&badge) == TESSERA_VMEnter_NoGuestMemory);
}

// Steps 1-11 of tiny_guest.S, in its order.
void exit_tests(const GuestMemory& memory)
{
    Exit e = enter(GuestBase);
    check("exit.cpuid", is_exit(e, TESSERA_SVMExit_CPUID) &&
                            e.reg(TESSERA_SVMField_RAX) == 0x40000000 &&
                            e.reg(TESSERA_SVMField_RCX) == 0 &&
                            e.rip() == guest_address(tiny_guest_start) + 0x5d);
    check("exit.cpuid_bytes_at_rip",
          memory.at<uint8_t>(e.rip())[0] == 0x0f && memory.at<uint8_t>(e.rip())[1] == 0xa2);
    e.reg(TESSERA_SVMField_RAX) = 0x40000001;
    e.reg(TESSERA_SVMField_RBX) = Signature[0];
    e.reg(TESSERA_SVMField_RCX) = Signature[1];
    e.reg(TESSERA_SVMField_RDX) = Signature[2];
    e = enter(e.rip() + 2, &e);

    IoExit io = decode_io(e.info1());
    check("exit.io_out_dword", is_exit(e, TESSERA_SVMExit_IOIO) && io.port == 0x80 &&
                                   io.size == 4 && !io.in && !io.string_or_rep &&
                                   (e.reg(TESSERA_SVMField_RAX) & 0xffffffff) == Signature[0]);
    check("exit.io_next_rip", e.info2() == e.rip() + 2);
    e = enter(e.info2(), &e);

    io = decode_io(e.info1());
    check("exit.io_in_byte",
          is_exit(e, TESSERA_SVMExit_IOIO) && io.port == 0x81 && io.size == 1 && io.in);
    e.reg(TESSERA_SVMField_RAX) = (e.reg(TESSERA_SVMField_RAX) & ~seL4_Word{0xff}) | 0x5a;
    e = enter(e.info2(), &e);

    io = decode_io(e.info1());
    check("exit.io_out_word_dx", is_exit(e, TESSERA_SVMExit_IOIO) && io.port == 0x1234 &&
                                     io.size == 2 && !io.in &&
                                     (e.reg(TESSERA_SVMField_RAX) & 0xffff) == 0xb4);
    e = enter(e.info2(), &e);

    // Nested page faults: #PF-style bits in EXITINFO1 (present 0, write 1, fetch 4), the
    // guest-physical address in EXITINFO2. The instruction is read from guest RAM at RIP.
    const volatile uint8_t* insn = memory.at<uint8_t>(e.rip());
    check("exit.mmio_write",
          is_exit(e, TESSERA_SVMExit_NPF) && e.info2() == Mmio + 0x10 && (e.info1() & 0x13) == 0x2);
    check("exit.mmio_write_instruction",
          insn[0] == 0xc7 && insn[1] == 0x05 && insn[6] == 0x0d && insn[9] == 0xca);
    e = enter(e.rip() + 10, &e);

    check("exit.mmio_read",
          is_exit(e, TESSERA_SVMExit_NPF) && e.info2() == Mmio + 0x20 && (e.info1() & 0x13) == 0);
    check("exit.mmio_read_instruction", memory.at<uint8_t>(e.rip())[0] == 0xa1);
    e.reg(TESSERA_SVMField_RAX) = 0x600dcafe;
    e = enter(e.rip() + 5, &e);

    check("exit.vmmcall",
          is_exit(e, TESSERA_SVMExit_VMMCALL) && e.reg(TESSERA_SVMField_RAX) == 0x1234);
    check("exit.guest_ram_seen_by_vmm", *memory.at<uint32_t>(0x6000) == 0x600dcafe);
    check("exit.guest_gdt_in_ram", *memory.at<uint32_t>(0x590c) == 0x00cf9b00);
    // The VMM's own SSE state and the guest's stay apart across entries and exits.
    const uint64_t mine = 0x1111222233334444;
    const uint64_t after = enter_holding_xmm2(e.rip() + 3, e, mine);
    io = decode_io(e.info1());
    check("fpu.guest_xmm_kept", is_exit(e, TESSERA_SVMExit_IOIO) && io.port == 0x84 &&
                                    (e.reg(TESSERA_SVMField_RAX) & 0xffffffff) == 0x600dcafe);
    check("fpu.vmm_xmm_kept", after == mine);
    e = enter(e.info2(), &e);

    check("exit.hlt", is_exit(e, TESSERA_SVMExit_HLT) && memory.at<uint8_t>(e.rip())[0] == 0xf4 &&
                          (e.words[TESSERA_VMEnter_RFLAGS] & 0x200) != 0);
    e = enter(e.rip() + 1, &e, 0x80000000u | 0x30); // external interrupt, vector 0x30
    io = decode_io(e.info1());
    check("inject.interrupt_handled_once", is_exit(e, TESSERA_SVMExit_IOIO) && io.port == 0x85 &&
                                               (e.reg(TESSERA_SVMField_RAX) & 0xffffffff) == 1);
    e = enter(e.info2(), &e);

    check("exit.rdmsr",
          is_exit(e, TESSERA_SVMExit_MSR) && e.info1() == 0 && e.reg(TESSERA_SVMField_RCX) == 0x8b);
    e.reg(TESSERA_SVMField_RAX) = 0x1000065;
    e.reg(TESSERA_SVMField_RDX) = 0;
    e = enter(e.rip() + 2, &e);
    io = decode_io(e.info1());
    check("exit.rdmsr_value_returned", is_exit(e, TESSERA_SVMExit_IOIO) && io.port == 0x86 &&
                                           (e.reg(TESSERA_SVMField_RAX) & 0xffffffff) == 0x1000065);
    e = enter(e.info2(), &e);
    check("exit.wrmsr", is_exit(e, TESSERA_SVMExit_MSR) && e.info1() == 1 &&
                            e.reg(TESSERA_SVMField_RCX) == 0x8b &&
                            (e.reg(TESSERA_SVMField_RAX) & 0xffffffff) == 5);
    e = enter(e.rip() + 2, &e);

    io = decode_io(e.info1());
    check("host_interrupts.long_guest_loop_completes",
          is_exit(e, TESSERA_SVMExit_IOIO) && io.port == 0x87 &&
              (e.reg(TESSERA_SVMField_RAX) & 0xffffffff) == 0);
    check("exit.next_is_spin", e.info2() == guest_address(tiny_guest_spin));
}

seL4_CPtr signal_cap;

void* signal_vmm(void*)
{
    seL4_Signal(signal_cap);
    return nullptr;
}

// The guest spins forever; only a host timer interrupt lets the helper thread run, and its
// signal on the VMM's bound notification ends seL4_VMEnter.
void notification_test()
{
    const seL4_CPtr ntfn = new_object(seL4_NotificationObject);
    seL4_CPtr badged = seL4_CapNull;
    (void)tessera_alloc_slot(&badged);
    check_error("notification.mint",
                seL4_CNode_Mint(seL4_CapInitThreadCNode, badged, seL4_WordBits,
                                seL4_CapInitThreadCNode, ntfn, seL4_WordBits, seL4_AllRights, 0x42),
                seL4_NoError);
    check_error("notification.bind", seL4_TCB_BindNotification(seL4_CapInitThreadTCB, ntfn),
                seL4_NoError);
    signal_cap = badged;
    static tessera_thread_t helper;
    const bool started =
        tessera_thread_create(&helper, 2, seL4_MaxPrio, seL4_CapNull) == seL4_NoError &&
        tessera_thread_start(&helper, signal_vmm, nullptr) == seL4_NoError;
    check("notification.helper_started", started);
    const Exit e = enter(guest_address(tiny_guest_spin));
    check("notification.ends_vm_enter",
          e.result == TESSERA_VMEnter_Notification && e.badge == 0x42);
    check_error("notification.helper_joined", tessera_thread_join(&helper, nullptr), seL4_NoError);
    check_error("notification.unbind", seL4_TCB_UnbindNotification(seL4_CapInitThreadTCB),
                seL4_NoError);
}

// Guests that go wrong stop with an exit; the VMM (and everything else) goes on.
void bad_guest_tests(seL4_CPtr vcpu)
{
    Exit e = enter(Mmio + 0x100);
    check("bad.runs_into_unmapped_memory",
          is_exit(e, TESSERA_SVMExit_NPF) && e.info2() == Mmio + 0x100 && (e.info1() & 0x10) != 0);
    (void)write_state(vcpu, TESSERA_SVMField_IDTRLimit, 0);
    e = enter(guest_address(tiny_guest_ud2));
    check("bad.triple_fault_is_shutdown", is_exit(e, TESSERA_SVMExit_Shutdown));
    (void)write_state(vcpu, TESSERA_SVMField_CR0, Cr0 | (seL4_Word{1} << 32));
    e = enter(GuestBase);
    check("bad.invalid_state_refused_by_vmrun",
          is_exit(e, seL4_Word(TESSERA_SVMExit_Invalid)) && e.rip() == GuestBase);
    check("bad.invalid_state_leaves_reset_vcpu",
          tessera_X86_SVMVCPU_ReadState(vcpu, TESSERA_SVMField_CR0).value == 0x60000010 &&
              tessera_X86_SVMVCPU_ReadState(vcpu, TESSERA_SVMField_CR3).value == 0);
    // Whole again: a fresh protected-mode state runs the guest to its first exit.
    set_protected_mode(vcpu);
    (void)write_state(vcpu, TESSERA_SVMField_IDTRLimit, 0xffff);
    e = enter(GuestBase);
    check("bad.vcpu_usable_after_failures", is_exit(e, TESSERA_SVMExit_CPUID));
}

// Bindings follow capabilities: a new SetTCB takes the thread from its old VCPU, deleting the
// last capability to a bound VCPU or to the guest's PML4 leaves no dangling state behind.
void lifetime_tests(seL4_CPtr vcpu, const GuestMemory& memory)
{
    tessera_object_t other;
    check_error("lifetime.second_vcpu",
                seL4_Error(tessera_alloc_object(TESSERA_X86_SVMVCPUObject, 0, &other)),
                seL4_NoError);
    check_error("lifetime.rebind_thread",
                tessera_X86_SVMVCPU_SetTCB(other.cptr, seL4_CapInitThreadTCB), seL4_NoError);
    seL4_Word badge = 0;
    seL4_SetMR(TESSERA_VMEnter_Control, 0);
    check("lifetime.thread_runs_the_new_vcpu",
          tessera_VMEnter(&badge) == TESSERA_VMEnter_NoGuestMemory);
    check_error("lifetime.delete_bound_vcpu",
                seL4_CNode_Delete(seL4_CapInitThreadCNode, other.cptr, seL4_WordBits),
                seL4_NoError);
    check_error("lifetime.bind_first_again",
                tessera_X86_SVMVCPU_SetTCB(vcpu, seL4_CapInitThreadTCB), seL4_NoError);
    Exit e = enter(guest_address(tiny_guest_start) + 0x5d); // the CPUID instruction
    check("lifetime.first_vcpu_runs_again", is_exit(e, TESSERA_SVMExit_CPUID));
    // Deleting the last capability to the nested PML4 takes its ASID away: no more guest memory.
    check_error("lifetime.delete_guest_memory",
                seL4_CNode_Delete(seL4_CapInitThreadCNode, memory.npt, seL4_WordBits),
                seL4_NoError);
    seL4_SetMR(TESSERA_VMEnter_Control, 0);
    check("lifetime.no_guest_memory_after_delete",
          tessera_VMEnter(&badge) == TESSERA_VMEnter_NoGuestMemory);
}

} // namespace

int main(void)
{
    seL4_BootInfo* bi = tessera_boot_info();
    if (tessera_alloc_init(bi) != seL4_NoError ||
        tessera_vspace_init(0x20000000000ull, 0x20040000000ull) != seL4_NoError) {
        printf("vmm: allocator or VSpace set-up failed\n");
        return 1;
    }
    tessera_object_t object;
    const seL4_Error made = tessera_alloc_object(TESSERA_X86_SVMVCPUObject, 0, &object);
    if (made == seL4_InvalidArgument) {
        // What seL4's kernel answers too, and Tessera on a CPU without SVM and nested paging: a
        // VMM says so and stops (no summary line, so the tiny-guest test itself fails).
        printf("vmm: SVM guests are not available on this kernel; stopping\n");
        return 0;
    }
    check_error("vcpu.retype", made, seL4_NoError);
    const seL4_CPtr vcpu = object.cptr;
    abi_tests(vcpu);

    GuestMemory memory;
    if (!make_guest_memory(GuestPages, memory))
        return 1;
    memcpy(const_cast<uint8_t*>(memory.at<uint8_t>(GuestBase)), tiny_guest_start,
           size_t(tiny_guest_end - tiny_guest_start));
    check_error("vcpu.set_npt", tessera_X86_SVMVCPU_SetNPT(vcpu, memory.npt), seL4_NoError);
    set_protected_mode(vcpu);
    exit_tests(memory);
    notification_test();
    bad_guest_tests(vcpu);
    lifetime_tests(vcpu, memory);
    vmm_suite::translation_tests(tiny_guest_start, seL4_Word(tiny_guest_end - tiny_guest_start),
                                 guest_address(tiny_guest_probe));
    return libos_suite::summary();
}

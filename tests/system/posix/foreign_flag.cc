// The foreign-thread flag on the real kernel (issue 23): a thread with
// TESSERA_TCBFlag_foreignSyscalls executes `syscall` with rdx swept over -1 ... -70 (seL4's API
// calls, its debug and benchmark calls, SetTLSBase, Tessera's exit, get-char and invariant
// calls among them) and 0 ... 3; every one must arrive at its fault handler as an UnknownSyscall
// message with the registers as the CPU left them, and the reply must give every register back
// with the result in rax, as a Linux `syscall` returns. Had any number reached the kernel's own
// handling, -11 (DebugHalt) or -64 (Tessera's exit) would have ended the run before the summary.
#include <sel4/sel4.h>
#include <stdio.h>
#include <tessera/abi/tcb_flags.h>
#include <tessera/alloc/object_allocator.h>
#include <tessera/runtime.h>

#include "../libos/check.h"

using namespace tessera;
using libos_suite::check;

struct ForeignFrame {
    seL4_Word rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
    seL4_Word rsp_before, rsp_after, return_address;
};
static_assert(sizeof(ForeignFrame) == 18 * 8, "foreign_call.S's layout");

extern "C" void foreign_call(ForeignFrame* frame);
extern "C" const char foreign_call_return[];

namespace {

alloc::SlotAllocator slots;
alloc::UntypedAllocator untypeds{slots};
alloc::ObjectAllocator objects{slots, untypeds};

constexpr seL4_Word Badge = 0xf0e;
constexpr int Lowest = -70;
constexpr int Highest = 3;
constexpr seL4_Word DoneMarker = 0xd0e;
constexpr seL4_Word InterruptFlag = 0x200;

seL4_CPtr make(seL4_Word type)
{
    auto object = objects.allocate(type);
    return object ? libos::raw(object.value().cap) : seL4_CPtr{0};
}

alignas(4096) seL4_IPCBuffer worker_buffer;
alignas(16) unsigned char worker_stack[16384];
extern "C" const unsigned char __ehdr_start[];

seL4_CPtr image_frame_for(const void* address)
{
    const seL4_BootInfo* bi = tessera_boot_info();
    const auto first = reinterpret_cast<seL4_Word>(__ehdr_start) & ~seL4_Word{4095};
    return bi->userImageFrames.start + (reinterpret_cast<seL4_Word>(address) - first) / 4096;
}

seL4_Word my_tls_base()
{
    seL4_Word tp;
    asm volatile("mov %%fs:0, %0" : "=r"(tp));
    return tp;
}

// What the worker saw after each call; the root checks it once the sweep is over.
struct Outcome {
    bool ran = false;
    bool result_is_reply = false;    // rax: what the handler replied
    bool registers_kept = false;     // every register but rax, rcx and r11 as before
    bool stack_kept = false;         // rsp after == rsp before
    bool rcx_is_next = false;        // rcx: the instruction after `syscall`
    bool r11_is_flags = false;       // r11: RFLAGS with IF set
};
Outcome outcomes[Highest - Lowest + 1];
ForeignFrame frame;
volatile bool worker_native_again = false;

seL4_Word input_for(int number, unsigned reg)
{
    return (seL4_Word(number) << 8) ^ (0x5100 + reg);
}

// The numbers the kernel's fastpaths take (Call, ReplyRecv, Send, Recv) come with a capability
// they would act on and an empty message info, so that a fastpath entry that let a foreign
// thread through would make a real IPC (the root, waiting on `live_endpoint`, would receive a
// message that is no fault) instead of failing a lookup and falling to the fault.
seL4_CPtr live_endpoint;
seL4_CPtr done_notification;

bool fastpath_number(int number)
{
    return number == seL4_SysCall || number == seL4_SysReplyRecv || number == seL4_SysSend || number == seL4_SysRecv;
}

seL4_Word rdi_for(int number)
{
    if (!fastpath_number(number))
        return input_for(number, 5);
    return number == seL4_SysSend ? done_notification : live_endpoint;
}

seL4_Word rsi_for(int number) { return fastpath_number(number) ? 0 : input_for(number, 4); }

void worker(seL4_Word)
{
    for (int number = Lowest; number <= Highest; number++) {
        ForeignFrame f{};
        f.rax = 0x1000 + seL4_Word(number - Lowest);
        f.rbx = input_for(number, 1);
        f.rdx = seL4_Word(number);
        f.rsi = rsi_for(number);
        f.rdi = rdi_for(number);
        f.rbp = input_for(number, 6);
        f.r8 = input_for(number, 7);
        f.r9 = input_for(number, 8);
        f.r10 = input_for(number, 9);
        f.r12 = input_for(number, 11);
        f.r13 = input_for(number, 12);
        f.r14 = input_for(number, 13);
        f.r15 = input_for(number, 14);
        const ForeignFrame before = f;
        frame = f;
        foreign_call(&frame);
        f = frame;
        Outcome& o = outcomes[number - Lowest];
        o.ran = true;
        o.result_is_reply = f.rax == ~before.rax;
        o.registers_kept = f.rbx == before.rbx && f.rdx == before.rdx && f.rsi == before.rsi &&
                           f.rdi == before.rdi && f.rbp == before.rbp && f.r8 == before.r8 &&
                           f.r9 == before.r9 && f.r10 == before.r10 && f.r12 == before.r12 &&
                           f.r13 == before.r13 && f.r14 == before.r14 && f.r15 == before.r15;
        o.stack_kept = f.rsp_after == f.rsp_before && f.rsp_before != 0;
        o.rcx_is_next = f.rcx == reinterpret_cast<seL4_Word>(foreign_call_return);
        o.r11_is_flags = (f.r11 & InterruptFlag) != 0 && (f.r11 & 2) != 0;
    }
    // The handler clears the flag before it answers this one; from then on the thread's
    // system calls are seL4's again.
    ForeignFrame last{};
    last.rax = DoneMarker;
    frame = last;
    foreign_call(&frame);
    worker_native_again = true;
    seL4_Signal(done_notification);
    seL4_Wait(done_notification, nullptr); // nobody signals it again: the worker stays here
}

// One fault message, checked against what the worker loaded for `number`.
bool message_matches(int number, seL4_MessageInfo_t info, seL4_Word badge)
{
    const seL4_Word fault_ip = seL4_GetMR(seL4_UnknownSyscall_FaultIP);
    const bool ok =
        seL4_MessageInfo_get_label(info) == seL4_Fault_UnknownSyscall &&
        seL4_MessageInfo_get_length(info) == seL4_UnknownSyscall_Length && badge == Badge &&
        seL4_GetMR(seL4_UnknownSyscall_Syscall) == seL4_Word(number) &&
        seL4_GetMR(seL4_UnknownSyscall_RDX) == seL4_Word(number) &&
        seL4_GetMR(seL4_UnknownSyscall_RAX) == 0x1000 + seL4_Word(number - Lowest) &&
        seL4_GetMR(seL4_UnknownSyscall_RDI) == rdi_for(number) &&
        seL4_GetMR(seL4_UnknownSyscall_R10) == input_for(number, 9) &&
        seL4_GetMR(seL4_UnknownSyscall_R15) == input_for(number, 14) &&
        fault_ip + 2 == reinterpret_cast<seL4_Word>(foreign_call_return) &&
        seL4_GetMR(seL4_UnknownSyscall_RCX) == fault_ip + 2 &&
        seL4_GetMR(seL4_UnknownSyscall_R11) == seL4_GetMR(seL4_UnknownSyscall_FLAGS) &&
        seL4_GetMR(seL4_UnknownSyscall_SP) == frame.rsp_before;
    if (!ok)
        printf("rdx %d: label %lu length %lu syscall %#lx rax %#lx ip %#lx rcx %#lx sp %#lx (expected %#lx)\n",
               number, (unsigned long)seL4_MessageInfo_get_label(info),
               (unsigned long)seL4_MessageInfo_get_length(info),
               (unsigned long)seL4_GetMR(seL4_UnknownSyscall_Syscall),
               (unsigned long)seL4_GetMR(seL4_UnknownSyscall_RAX), (unsigned long)fault_ip,
               (unsigned long)seL4_GetMR(seL4_UnknownSyscall_RCX),
               (unsigned long)seL4_GetMR(seL4_UnknownSyscall_SP), (unsigned long)frame.rsp_before);
    return ok;
}

// Answers as a Linux personality does: the registers as received, rax = the result (here the
// complement of what came in), FaultIP past the 2-byte `syscall`.
void reply_with_result()
{
    seL4_SetMR(seL4_UnknownSyscall_RAX, ~seL4_GetMR(seL4_UnknownSyscall_RAX));
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, seL4_GetMR(seL4_UnknownSyscall_FaultIP) + 2);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_Syscall));
}

} // namespace

int main(void)
{
    const seL4_BootInfo* bi = tessera_boot_info();
    const bool ready = slots.init(libos::CPtr{seL4_CapInitThreadCNode}, bi->empty) && untypeds.add_boot_info(*bi);
    const seL4_CPtr endpoint = make(seL4_EndpointObject);
    live_endpoint = endpoint;
    const seL4_CPtr badged = libos::raw(slots.allocate().value());
    done_notification = make(seL4_NotificationObject);
    const seL4_CPtr tcb = make(seL4_TCBObject);
    seL4_Error e = seL4_CNode_Mint(seL4_CapInitThreadCNode, badged, seL4_WordBits, seL4_CapInitThreadCNode,
                                   endpoint, seL4_WordBits, seL4_AllRights, Badge);
    if (e == seL4_NoError)
        e = seL4_TCB_Configure(tcb, badged, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                               reinterpret_cast<seL4_Word>(&worker_buffer), image_frame_for(&worker_buffer));
    if (e == seL4_NoError)
        e = seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 100);
    check("setup.objects", ready && e == seL4_NoError && endpoint != 0 && tcb != 0);

    const seL4_TCB_SetFlags_t set = seL4_TCB_SetFlags(tcb, 0, TESSERA_TCBFlag_foreignSyscalls);
    check("foreign.set_flags_reports_the_bit",
          set.error == seL4_NoError && set.flags == TESSERA_TCBFlag_foreignSyscalls);

    seL4_UserContext regs{};
    regs.rip = reinterpret_cast<seL4_Word>(worker);
    regs.rsp = reinterpret_cast<seL4_Word>(worker_stack + sizeof(worker_stack)) - 8;
    regs.fs_base = my_tls_base();
    e = seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    check("setup.worker_started", e == seL4_NoError);

    for (int number = Lowest; number <= Highest; number++) {
        seL4_Word badge = 0;
        const seL4_MessageInfo_t info = seL4_Recv(endpoint, &badge);
        char name[64];
        snprintf(name, sizeof name, "foreign.rdx_%d_is_a_fault", number);
        check(name, message_matches(number, info, badge));
        reply_with_result();
    }

    seL4_Word badge = 0;
    seL4_Recv(endpoint, &badge);
    const bool done = seL4_GetMR(seL4_UnknownSyscall_RAX) == DoneMarker;
    const seL4_TCB_SetFlags_t cleared = seL4_TCB_SetFlags(tcb, TESSERA_TCBFlag_foreignSyscalls, 0);
    check("foreign.clear_flag", done && cleared.error == seL4_NoError && cleared.flags == 0);
    reply_with_result();
    seL4_Wait(done_notification, &badge);
    check("foreign.cleared_thread_calls_the_kernel_again", worker_native_again);

    bool ran = true, results = true, kept = true, stack = true, rcx = true, r11 = true;
    for (const Outcome& o : outcomes) {
        ran = ran && o.ran;
        results = results && o.result_is_reply;
        kept = kept && o.registers_kept;
        stack = stack && o.stack_kept;
        rcx = rcx && o.rcx_is_next;
        r11 = r11 && o.r11_is_flags;
    }
    check("foreign.every_call_returned", ran);
    check("foreign.rax_is_the_reply", results);
    check("foreign.other_registers_kept", kept);
    check("foreign.stack_pointer_kept", stack);
    check("foreign.rcx_is_the_next_instruction", rcx);
    check("foreign.r11_is_rflags", r11);
    seL4_TCB_Suspend(tcb);
    return libos_suite::summary();
}

// Smoke tests of the kernel's threads and IPC (issue 5) from the root task: new threads in the
// root's own address space (sharing its TLS, each with its own IPC buffer), Call/ReplyRecv,
// messages of every length, a capability transfer, a VM fault and an unknown system call
// reaching a fault handler, TCB_SetFlags' disabled FPU, and timer preemption between two spinning threads. The thorough
// suite is tests/system/ipc; this one keeps the kernel's own paths honest.
#include <sel4/sel4.h>
#include <stdio.h>
#include <tessera/alloc/object_allocator.h>
#include <tessera/runtime.h>

#include "../libos/check.h"

using namespace tessera;
using libos_suite::check;

namespace {

alloc::SlotAllocator slots;
alloc::UntypedAllocator untypeds{slots};
alloc::ObjectAllocator objects{slots, untypeds};

seL4_CPtr make(seL4_Word type)
{
    auto object = objects.allocate(type);
    return object ? libos::raw(object.value().cap) : seL4_CPtr{0};
}

// IPC buffers live in the root's BSS, so their frame capabilities are among the BootInfo's
// user-image frames, in address order from the image's first page.
constexpr unsigned MaxThreads = 7;
alignas(4096) seL4_IPCBuffer buffers[MaxThreads];
alignas(16) unsigned char stacks[MaxThreads][16384];
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

struct Thread {
    seL4_CPtr tcb = seL4_CapNull;
    seL4_IPCBuffer* buffer = nullptr;
};

// A thread in the root's address space and CSpace running entry(argument) at `priority`.
Thread start_thread(unsigned index, void (*entry)(seL4_Word), seL4_Word argument, seL4_Word priority,
                    seL4_CPtr fault_endpoint = seL4_CapNull)
{
    Thread t;
    t.tcb = make(seL4_TCBObject);
    t.buffer = &buffers[index];
    if (t.tcb == seL4_CapNull)
        return t;
    seL4_Error e = seL4_TCB_Configure(t.tcb, fault_endpoint, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                                      reinterpret_cast<seL4_Word>(t.buffer), image_frame_for(t.buffer));
    if (e == seL4_NoError)
        e = seL4_TCB_SetPriority(t.tcb, seL4_CapInitThreadTCB, priority);
    seL4_UserContext regs{};
    regs.rip = reinterpret_cast<seL4_Word>(entry);
    regs.rsp = reinterpret_cast<seL4_Word>(stacks[index] + sizeof(stacks[index])) - 8; // as after a call
    regs.rdi = argument;
    regs.fs_base = my_tls_base(); // libsel4's TLS variables resolve; the IPC buffer is per thread
    if (e == seL4_NoError)
        e = seL4_TCB_WriteRegisters(t.tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (e != seL4_NoError) {
        printf("start_thread %u: error %d\n", index, int(e));
        t.tcb = seL4_CapNull;
    }
    return t;
}

seL4_CPtr endpoint, notification, parking;

// A finished thread waits on a notification that nobody signals.
[[noreturn]] void park()
{
    for (;;) {
        seL4_Word badge;
        seL4_Wait(parking, &badge);
    }
}

// Echo server: replies to each call with every word plus one, label + 1, through its buffer.
void echo_server(seL4_Word buffer_address)
{
    auto* buffer = reinterpret_cast<seL4_IPCBuffer*>(buffer_address);
    seL4_Word badge = 0, mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;
    seL4_MessageInfo_t info = seL4_RecvWithMRs(endpoint, &badge, &mr0, &mr1, &mr2, &mr3);
    for (;;) {
        const seL4_Word length = seL4_MessageInfo_get_length(info);
        for (seL4_Word i = 4; i < length; i++)
            buffer->msg[i] += 1;
        const seL4_MessageInfo_t reply = seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) + 1, 0, 0, length);
        mr0 += 1, mr1 += 1, mr2 += 1, mr3 += 1;
        info = seL4_ReplyRecvWithMRs(endpoint, reply, &badge, &mr0, &mr1, &mr2, &mr3);
    }
}

void ping_pong_checks()
{
    const Thread server = start_thread(0, echo_server, reinterpret_cast<seL4_Word>(&buffers[0]), 200);
    check("thread.configure_and_start", server.tcb != seL4_CapNull && seL4_TCB_Resume(server.tcb) == seL4_NoError);

    seL4_Word mr0 = 10, mr1 = 20, mr2 = 30, mr3 = 40;
    seL4_MessageInfo_t info = seL4_CallWithMRs(endpoint, seL4_MessageInfo_new(7, 0, 0, 4), &mr0, &mr1, &mr2, &mr3);
    check("ipc.call_reply_registers", seL4_MessageInfo_get_label(info) == 8 && seL4_MessageInfo_get_length(info) == 4 &&
                                          mr0 == 11 && mr1 == 21 && mr2 == 31 && mr3 == 41);

    bool all_lengths = true;
    for (seL4_Word length = 0; length <= seL4_MsgMaxLength; length++) {
        for (seL4_Word i = 0; i < length; i++)
            seL4_SetMR(i, 1000 * length + i);
        info = seL4_Call(endpoint, seL4_MessageInfo_new(length, 0, 0, length));
        bool ok = seL4_MessageInfo_get_length(info) == length && seL4_MessageInfo_get_label(info) == length + 1;
        for (seL4_Word i = 0; i < length && ok; i++)
            ok = seL4_GetMR(i) == 1000 * length + i + 1;
        if (!ok)
            printf("ipc length %lu: label %lu length %lu mr0 %lu\n", length, seL4_MessageInfo_get_label(info),
                   seL4_MessageInfo_get_length(info), seL4_GetMR(0));
        all_lengths = all_lengths && ok;
    }
    check("ipc.every_length_0_to_120", all_lengths);

    seL4_Word before = 0;
    for (int i = 0; i < 1000; i++) {
        mr0 = seL4_Word(i);
        seL4_CallWithMRs(endpoint, seL4_MessageInfo_new(0, 0, 0, 1), &mr0, &mr1, &mr2, &mr3);
        before += mr0 == seL4_Word(i) + 1;
    }
    check("ipc.thousand_round_trips", before == 1000);
}

seL4_CPtr receive_slot, transfer_endpoint; // the echo server still serves `endpoint`

// Receives one capability and answers what it found. It shares the root's TLS, so it reaches
// its own IPC buffer directly rather than through seL4_GetIPCBuffer.
void cap_receiver(seL4_Word buffer_address)
{
    auto* buffer = reinterpret_cast<seL4_IPCBuffer*>(buffer_address);
    buffer->receiveCNode = seL4_CapInitThreadCNode;
    buffer->receiveIndex = receive_slot;
    buffer->receiveDepth = seL4_WordBits;
    seL4_Word badge = 0, mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;
    const seL4_MessageInfo_t info = seL4_RecvWithMRs(transfer_endpoint, &badge, &mr0, &mr1, &mr2, &mr3);
    mr0 = seL4_MessageInfo_get_extraCaps(info);
    mr1 = seL4_DebugCapIdentify(receive_slot);
    seL4_ReplyWithMRs(seL4_MessageInfo_new(0, 0, 0, 2), &mr0, &mr1, nullptr, nullptr);
    park();
}

void cap_transfer_checks()
{
    auto slot = slots.allocate();
    receive_slot = slot ? libos::raw(slot.value()) : 0;
    transfer_endpoint = make(seL4_EndpointObject);
    const Thread receiver = start_thread(1, cap_receiver, reinterpret_cast<seL4_Word>(&buffers[1]), 200);
    seL4_TCB_Resume(receiver.tcb);
    seL4_SetCap(0, notification);
    const seL4_MessageInfo_t info = seL4_Call(transfer_endpoint, seL4_MessageInfo_new(0, 0, 1, 0));
    if (seL4_GetMR(0) != 1 || seL4_GetMR(1) != 6)
        printf("cap transfer: %lu caps, tag %lu\n", seL4_GetMR(0), seL4_GetMR(1));
    check("ipc.cap_transfer_into_receive_slot",
          seL4_MessageInfo_get_length(info) == 2 && seL4_GetMR(0) == 1 && seL4_GetMR(1) == 6 /* notification */);
}

volatile seL4_Word* volatile bad_pointer = reinterpret_cast<seL4_Word*>(8);
void null_reader(seL4_Word) { *bad_pointer = 1; }

void bad_syscaller(seL4_Word)
{
    register seL4_Word number asm("rdx") = seL4_Word(-100);
    asm volatile("syscall" : "+r"(number) : : "rcx", "r11", "memory");
    seL4_Signal(notification); // runs only after the handler moves rip past the syscall
    park();
}

void fault_checks()
{
    seL4_CPtr fault_ep = make(seL4_EndpointObject);
    const Thread t = start_thread(2, null_reader, 0, 200, fault_ep);
    seL4_TCB_Resume(t.tcb);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(fault_ep, &badge);
    check("fault.vm_fault_message", seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault &&
                                        seL4_GetMR(seL4_VMFault_IP) - reinterpret_cast<seL4_Word>(null_reader) < 64 &&
                                        seL4_GetMR(seL4_VMFault_Addr) == 8 && seL4_GetMR(seL4_VMFault_PrefetchFault) == 0 &&
                                        (seL4_GetMR(seL4_VMFault_FSR) & 2) != 0 /* write */);
    seL4_TCB_Suspend(t.tcb);

    const Thread u = start_thread(3, bad_syscaller, 0, 200, fault_ep);
    seL4_TCB_Resume(u.tcb);
    info = seL4_Recv(fault_ep, &badge);
    const bool unknown = seL4_MessageInfo_get_label(info) == seL4_Fault_UnknownSyscall &&
                         seL4_GetMR(seL4_UnknownSyscall_Syscall) == seL4_Word(-100);
    check("fault.unknown_syscall_message", unknown);
    // Reply with the registers, rip moved past the 2-byte syscall: the thread resumes there.
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, seL4_GetMR(seL4_UnknownSyscall_FaultIP) + 2);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_Length));
    seL4_Wait(notification, &badge);
    check("fault.reply_resumes_thread", true);
    seL4_TCB_Suspend(u.tcb);
}

volatile seL4_Word fpu_seen;

// Moves `value` through an SSE register: with its FPU disabled the thread faults before.
void fpu_user(seL4_Word value)
{
    seL4_Word out;
    asm volatile("movq %1, %%xmm7\n\tmovq %%xmm7, %0" : "=r"(out) : "r"(value) : "xmm7");
    fpu_seen = out;
    seL4_Signal(notification);
    park();
}

void fpu_flag_checks()
{
    // TCB_SetFlags takes two words; one is a truncated message.
    seL4_SetMR(0, 0);
    const seL4_MessageInfo_t short_call = seL4_Call(seL4_CapInitThreadTCB, seL4_MessageInfo_new(TCBSetFlags, 0, 0, 1));
    check("tcb.set_flags_truncated", seL4_MessageInfo_get_label(short_call) == seL4_TruncatedMessage);

    seL4_CPtr fault_ep = make(seL4_EndpointObject);
    const Thread t = start_thread(6, fpu_user, 0x5eed, 200, fault_ep);
    const seL4_TCB_SetFlags_t set = seL4_TCB_SetFlags(t.tcb, 0, seL4_TCBFlag_fpuDisabled | 0x100);
    check("tcb.set_flags_masks_unknown_bits", set.error == seL4_NoError && set.flags == seL4_TCBFlag_fpuDisabled);

    seL4_TCB_Resume(t.tcb);
    seL4_Word badge = 0;
    const seL4_MessageInfo_t info = seL4_Recv(fault_ep, &badge);
    const bool faulted = seL4_MessageInfo_get_label(info) == seL4_Fault_UserException &&
                         seL4_GetMR(seL4_UserException_Number) == 7 /* #NM */ && fpu_seen == 0;
    check("tcb.fpu_disabled_thread_faults", faulted);

    // Enable its FPU again and restart it at the faulting instruction: it now runs through.
    seL4_Word registers[seL4_UserException_Length];
    for (seL4_Word i = 0; i < seL4_UserException_Length; i++)
        registers[i] = seL4_GetMR(i);
    const seL4_TCB_SetFlags_t cleared = seL4_TCB_SetFlags(t.tcb, seL4_TCBFlag_fpuDisabled, 0);
    for (seL4_Word i = 0; i < seL4_UserException_Length; i++)
        seL4_SetMR(i, registers[i]);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UserException_Length));
    seL4_Wait(notification, &badge);
    check("tcb.fpu_enabled_again_runs", cleared.error == seL4_NoError && cleared.flags == 0 && fpu_seen == 0x5eed);
    seL4_TCB_Suspend(t.tcb);
}

volatile seL4_Word spins[2];

// Each spins until the other has made progress too: only the timer can switch between them.
void spinner(seL4_Word index)
{
    while (spins[1 - index] < 100000)
        spins[index] = spins[index] + 1;
    while (spins[index] < 100000)
        spins[index] = spins[index] + 1;
    seL4_Signal(notification);
    park();
}

void preemption_checks()
{
    spins[0] = 0;
    spins[1] = 0;
    const Thread a = start_thread(4, spinner, 0, 100);
    const Thread b = start_thread(5, spinner, 1, 100);
    seL4_TCB_Resume(a.tcb);
    seL4_TCB_Resume(b.tcb);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50); // below both spinners
    seL4_Word badge = 0;
    seL4_Wait(notification, &badge);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
    check("sched.timer_preempts_equal_priority_spinners", spins[0] >= 100000 && spins[1] >= 100000);
}

// Resetting a large untyped takes many timer ticks: the retype is preempted, the root task takes
// the interrupt and re-issues the call, and the reset carries on from its watermark.
void preempted_reset_checks()
{
    const seL4_BootInfo* bi = tessera_boot_info();
    seL4_CPtr biggest = seL4_CapNull;
    seL4_Word bits = 0, paddr = 0;
    for (seL4_CPtr cap = bi->untyped.start; cap < bi->untyped.end; cap++) {
        const seL4_UntypedDesc& d = bi->untypedList[cap - bi->untyped.start];
        if (!d.isDevice && d.sizeBits > bits && cap != bi->untyped.start)
            biggest = cap, bits = d.sizeBits, paddr = d.paddr;
    }
    auto child = slots.allocate();
    auto frame = slots.allocate();
    if (!child || !frame || bits < 24) {
        check("untyped.reset_survives_preemption", false);
        return;
    }
    const seL4_CPtr c = libos::raw(child.value()), f = libos::raw(frame.value());
    // A fresh untyped from the allocator may already be in use: take the biggest boot untyped
    // only if the allocator has not retyped from it (its first retype returns its base).
    seL4_Error e = seL4_Untyped_Retype(biggest, seL4_UntypedObject, bits - 1, seL4_CapInitThreadCNode, 0, 0, c, 1);
    if (e == seL4_NoError)
        e = seL4_CNode_Delete(seL4_CapInitThreadCNode, c, seL4_WordBits);
    if (e == seL4_NoError) // clears the half it handed out: many ticks' worth of memory
        e = seL4_Untyped_Retype(biggest, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, f, 1);
    if (e != seL4_NoError)
        printf("preempted reset: error %d\n", int(e));
    const seL4_X86_Page_GetAddress_t at = seL4_X86_Page_GetAddress(f);
    check("untyped.reset_survives_preemption", e == seL4_NoError && at.error == seL4_NoError && at.paddr == paddr);
}

} // namespace

int main(void)
{
    const seL4_BootInfo* bi = tessera_boot_info();
    const bool ready = slots.init(libos::CPtr{seL4_CapInitThreadCNode}, bi->empty) && untypeds.add_boot_info(*bi);
    endpoint = make(seL4_EndpointObject);
    notification = make(seL4_NotificationObject);
    parking = make(seL4_NotificationObject);
    check("setup.objects", ready && endpoint != seL4_CapNull && notification != seL4_CapNull);

    ping_pong_checks();
    cap_transfer_checks();
    fault_checks();
    fpu_flag_checks();
    preemption_checks();
    preempted_reset_checks();
    return libos_suite::summary();
}

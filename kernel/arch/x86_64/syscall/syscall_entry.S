/* `syscall` entry with seL4's x86_64 convention: syscall number in rdx, capability in rdi,
 * message info in rsi, message registers in r10, r8, r9, r15; the CPU put the return address in
 * rcx and RFLAGS in r11. Writes the frame an interrupt would (trap_entry.S) into the current
 * thread's context, then calls handle_syscall on the per-CPU kernel stack.
 *
 * As seL4's handle_fastsyscall: rcx is saved as the next IP and r11 as RFLAGS, and the frame's
 * rcx, r11 and rsp words are not written at all. They keep what the thread's last exception,
 * interrupt or register write left there, which is what ReadRegisters and an UnknownSyscall
 * message report for them; the way back by `sysretq` sets rcx and r11 and leaves rsp = 0
 * (docs/abi.md, "Registers on every way out"). The user rsp goes to a per-CPU word instead,
 * which only a foreign thread's path reads (TESSERA_TCBFlag_foreignSyscalls, docs/posix.md).
 *
 * Once the frame is saved, seL4_Call and seL4_ReplyRecv without extra capabilities and with a
 * length field within seL4_MsgMaxLength, seL4_Send without extra capabilities and seL4_Recv go
 * straight to the flat fastpaths (fastpath_entry.cc) with the capability and the message info
 * still in rdi and rsi (and the length in rdx for the first two); each falls back to
 * handle_syscall itself when a later condition fails, and at once for a foreign thread, whose
 * rdx is not a system call number.
 * They need no `cld`: the SFMASK MSR clears RFLAGS.DF on every `syscall` (cpu_local.cc). */

#include "arch/x86_64/asm_constants.h"

.text
.globl syscall_entry
.align 16
syscall_entry:
    swapgs
    mov %rsp, %gs:CPU_SYSCALL_USER_RSP /* kept aside: not in the frame, as on seL4 */
    /* The frame is written in place from its base (the current context: its registers come
     * first) rather than pushed: the words not saved then cost nothing, where each needed a
     * `sub` between pushes (three instructions fewer per system call). */
    mov %gs:CPU_CURRENT_CONTEXT, %rsp
    /* The SS, CS and error code words are not written either: a user thread's frame holds its
     * user selectors from init_user_registers on, and every interrupt from user mode writes
     * the same ones again; the error code is read only for an exception's vector. */
    mov %r11, FRAME_RFLAGS * 8(%rsp)
    mov %rcx, FRAME_RIP * 8(%rsp)
    /* The vector word already says VECTOR_SYSCALL: a frame that said anything else left the
     * kernel by return_to_user's iretq, which set it back (trap_entry.S). */
    mov %rax, FRAME_RAX * 8(%rsp)
    mov %rbx, FRAME_RBX * 8(%rsp)
    mov %rdx, FRAME_RDX * 8(%rsp)
    mov %rsi, FRAME_RSI * 8(%rsp)
    mov %rdi, FRAME_RDI * 8(%rsp)
    mov %rbp, FRAME_RBP * 8(%rsp)
    mov %r8, FRAME_R8 * 8(%rsp)
    mov %r9, FRAME_R9 * 8(%rsp)
    mov %r10, FRAME_R10 * 8(%rsp)
    mov %r12, FRAME_R12 * 8(%rsp)
    mov %r13, FRAME_R13 * 8(%rsp)
    mov %r14, FRAME_R14 * 8(%rsp)
    mov %r15, FRAME_R15 * 8(%rsp)
    /* A restarted system call runs again from its `syscall` instruction (seL4's FaultIP): set
     * here for every path, kept plus the instruction's length (ArchTcb::fault_ip_plus_2), so
     * rcx itself: one instruction where rcx - 2 took two. */
    mov %rcx, CONTEXT_FAULT_IP_PLUS_2(%rsp)
    cmp $SYSCALL_CALL, %rdx
    je .Lcall
    cmp $SYSCALL_REPLY_RECV, %rdx
    je .Lreply_recv
    cmp $SYSCALL_SEND, %rdx
    je .Lsignal
    cmp $SYSCALL_RECV, %rdx
    je .Lwait
.Lslow:
    mov %rsp, %rdi
    mov %gs:CPU_KERNEL_STACK_TOP, %rsp
    cld
    call handle_syscall
    ud2                          /* never returns: it leaves through restore_user_context */
/* Call and ReplyRecv: one compare for both conditions on the message info, no extra
 * capabilities and a length the slow path need not clamp (any extra capability puts the masked
 * word above the largest length). The length goes on in rdx, which the flat functions would
 * otherwise extract again: two instructions fewer a side than the capability test alone there
 * and the length test in C++. */
.Lcall:
    mov %esi, %edx
    and $(MSGINFO_EXTRA_CAPS_MASK | MSGINFO_LENGTH_MASK), %edx
    cmp $MSG_MAX_LENGTH, %edx
    ja .Lslow
    mov %gs:CPU_KERNEL_STACK_TOP, %rsp
    call fastpath_call_entry     /* rdi: the endpoint's CPtr, rsi: the message info, rdx: its length */
    ud2
.Lreply_recv:
    mov %esi, %edx
    and $(MSGINFO_EXTRA_CAPS_MASK | MSGINFO_LENGTH_MASK), %edx
    cmp $MSG_MAX_LENGTH, %edx
    ja .Lslow
    mov %gs:CPU_KERNEL_STACK_TOP, %rsp
    call fastpath_reply_recv_entry
    ud2
.Lsignal:
    test $MSGINFO_EXTRA_CAPS_MASK, %esi
    jnz .Lslow
    mov %gs:CPU_KERNEL_STACK_TOP, %rsp
    call fastpath_signal_entry   /* a Send on a notification, else handle_syscall */
    ud2
.Lwait:
    mov %gs:CPU_KERNEL_STACK_TOP, %rsp
    call fastpath_wait_entry     /* a Recv on a notification, else handle_syscall */
    ud2

/* fastpath_return: return_to_user (trap_entry.S) for the fastpaths' way out. The thread they
 * switch to nearly always waits in a system call, so the vector is tested first and the frame
 * read with `mov`s from its base: rcx and r11 are loaded once, from the RIP and RFLAGS words
 * `sysretq` needs, instead of popped from their own words and then overwritten (2 instructions
 * fewer). A frame that must leave by iretq (an exception's, or one WriteRegisters changed) goes
 * to return_to_user, which reads the current context again. Interrupts off, never returns. */
.globl fastpath_return
fastpath_return:
    mov %gs:CPU_CURRENT_CONTEXT, %rsp
    cmpq $VECTOR_SYSCALL, FRAME_VECTOR * 8(%rsp)
    jne return_to_user
    mov FRAME_RIP * 8(%rsp), %rcx
    mov FRAME_RFLAGS * 8(%rsp), %r11
    mov FRAME_RAX * 8(%rsp), %rax
    mov FRAME_RBX * 8(%rsp), %rbx
    mov FRAME_RDX * 8(%rsp), %rdx
    mov FRAME_RSI * 8(%rsp), %rsi
    mov FRAME_RDI * 8(%rsp), %rdi
    mov FRAME_RBP * 8(%rsp), %rbp
    mov FRAME_R8 * 8(%rsp), %r8
    mov FRAME_R9 * 8(%rsp), %r9
    mov FRAME_R10 * 8(%rsp), %r10
    mov FRAME_R12 * 8(%rsp), %r12
    mov FRAME_R13 * 8(%rsp), %r13
    mov FRAME_R14 * 8(%rsp), %r14
    mov FRAME_R15 * 8(%rsp), %r15
    xor %esp, %esp
    swapgs
    sysretq

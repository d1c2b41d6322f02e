/* `syscall` entry with seL4's x86_64 convention: syscall number in rdx, capability in rdi,
 * message info in rsi, message registers in r10, r8, r9, r15; the CPU put the return address in
 * rcx and RFLAGS in r11. Builds the frame an interrupt would (trap_entry.S) in the current
 * thread's context, then calls handle_syscall on the per-CPU kernel stack.
 *
 * As seL4's handle_fastsyscall: rcx is saved as the next IP and r11 as RFLAGS, and the frame's
 * rcx, r11 and rsp words are not written at all. They keep what the thread's last exception,
 * interrupt or register write left there, which is what ReadRegisters and an UnknownSyscall
 * message report for them; the way back by `sysretq` sets rcx and r11 and leaves rsp = 0
 * (docs/abi.md, "Registers on every way out"). The user rsp goes to a per-CPU word instead,
 * which only a foreign thread's path reads (TESSERA_TCBFlag_foreignSyscalls, docs/posix.md).
 *
 * Once the frame is saved, seL4_Call, seL4_ReplyRecv and seL4_Send without extra capabilities
 * and seL4_Recv go straight to the flat fastpaths (fastpath_entry.cc) with the capability and
 * the message info still in rdi and rsi; each falls back to handle_syscall itself when a later
 * condition fails, and at once for a foreign thread, whose rdx is not a system call number.
 * They need no `cld`: the SFMASK MSR clears RFLAGS.DF on every `syscall` (cpu_local.cc). */

#include "arch/x86_64/asm_constants.h"

.text
.globl syscall_entry
.align 16
syscall_entry:
    swapgs
    mov %rsp, %gs:CPU_SYSCALL_USER_RSP /* kept aside: not in the frame, as on seL4 */
    mov %gs:CPU_CONTEXT_TOP, %rsp
    pushq $(GDT_USER_DATA | 3)        /* ss */
    sub $8, %rsp                      /* rsp: not saved */
    push %r11                         /* rflags */
    pushq $(GDT_USER_CODE | 3)        /* cs */
    push %rcx                         /* rip: the next IP */
    pushq $0                          /* error code */
    pushq $VECTOR_SYSCALL
    push %rax
    push %rbx
    sub $8, %rsp                      /* rcx: not saved */
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    sub $8, %rsp                      /* r11: not saved */
    push %r12
    push %r13
    push %r14
    push %r15
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
.Lcall:
    test $MSGINFO_EXTRA_CAPS_MASK, %esi
    jnz .Lslow
    mov %gs:CPU_KERNEL_STACK_TOP, %rsp
    call fastpath_call_entry     /* rdi: the endpoint's CPtr, rsi: the message info */
    ud2
.Lreply_recv:
    test $MSGINFO_EXTRA_CAPS_MASK, %esi
    jnz .Lslow
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

/* `syscall` entry with seL4's x86_64 convention: syscall number in rdx, capability in rdi,
 * message info in rsi, message registers in r10, r8, r9, r15; the CPU put the return address in
 * rcx and RFLAGS in r11. Builds the same frame an interrupt would (trap_entry.S) in the current
 * thread's context, then calls handle_syscall on the per-CPU kernel stack. */

#include "arch/x86_64/asm_constants.h"
#include "arch/x86_64/frame_macros.h"

.text
.globl syscall_entry
.align 16
syscall_entry:
    swapgs
    mov %rsp, %gs:CPU_USER_RSP_SCRATCH
    mov %gs:CPU_CONTEXT_TOP, %rsp
    pushq $(GDT_USER_DATA | 3)        /* ss */
    pushq %gs:CPU_USER_RSP_SCRATCH    /* rsp */
    push %r11                         /* rflags */
    pushq $(GDT_USER_CODE | 3)        /* cs */
    push %rcx                         /* rip */
    pushq $0                          /* error code */
    pushq $VECTOR_SYSCALL
    PUSH_GPRS
    mov %rsp, %rdi
    mov %gs:CPU_KERNEL_STACK_TOP, %rsp
    cld
    call handle_syscall
    ud2                          /* never returns: it leaves through restore_user_context */

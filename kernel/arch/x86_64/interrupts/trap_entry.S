/* Every way into the kernel except `syscall`: one stub per vector normalises the frame (a zero
 * error code where the CPU pushes none, then the vector number) and jumps to trap_common.
 * From user mode the CPU has already switched to TSS.RSP0, the top of the current thread's saved
 * registers, so the whole frame lands in the thread's context and the kernel stack stays empty
 * between entries (seL4's design: one kernel stack per CPU, no kernel state kept per thread). */

#include "arch/x86_64/asm_constants.h"
#include "arch/x86_64/frame_macros.h"

.macro TRAP_STUB vector
.align 16
trap_stub_\vector:
.if (\vector == 8) || (\vector >= 10 && \vector <= 14) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30)
.else
    pushq $0
.endif
    pushq $\vector
    jmp trap_common
.endm

.text
.altmacro
.globl trap_stubs_start
trap_stubs_start:
.set vector, 0
.rept 256
    TRAP_STUB %vector
    .set vector, vector + 1
.endr

/* trap_common: [rsp] = vector, error, rip, cs, rflags, rsp, ss. */
trap_common:
    testb $3, 24(%rsp)           /* CS.RPL: from user mode? */
    jz .Lfrom_kernel
    swapgs
    PUSH_GPRS
    mov %rsp, %rdi               /* SavedRegisters* inside the thread's context */
    mov %gs:CPU_KERNEL_STACK_TOP, %rsp
    cld
    call handle_user_trap
    ud2                          /* never returns: it leaves through restore_user_context */

.Lfrom_kernel:
    /* Only the idle loop runs with interrupts on; anything else here is a kernel fault. */
    PUSH_GPRS
    mov %rsp, %rdi
    cld
    call handle_kernel_trap
    POP_GPRS
    add $16, %rsp
    iretq

/* return_to_user: leave the kernel into the current thread (CPU_CURRENT_CONTEXT), by sysretq
 * when it entered through `syscall` and by iretq otherwise (an exception, an interrupt, or
 * registers written by another thread), as seL4 chooses by its Error register. sysretq sets rcx
 * to the next IP and r11 to RFLAGS and, as on seL4, leaves rsp = 0: libsel4 keeps the stack
 * pointer in rbx across `syscall`. Called with interrupts off on the kernel stack; never
 * returns. */
.globl return_to_user
return_to_user:
    mov %gs:CPU_CURRENT_CONTEXT, %rsp
    POP_GPRS
    cmpq $VECTOR_SYSCALL, (%rsp)
    je .Lsysret
    /* The frame is dead once iretq has run: it is left saying "syscall", so the `syscall` entry
     * need not write the vector (one instruction a system call, for one here). Every other way
     * a frame gets another vector writes it on the way in (the trap stubs) or in the kernel
     * (foreign_system_call, registers_written_from_outside, a new thread), and each such frame
     * leaves through here. */
    movq $VECTOR_SYSCALL, (%rsp)
    add $16, %rsp
    swapgs
    iretq
.Lsysret:
    mov (FRAME_RIP - FRAME_VECTOR) * 8(%rsp), %rcx
    mov (FRAME_RFLAGS - FRAME_VECTOR) * 8(%rsp), %r11
    xor %esp, %esp
    swapgs
    sysretq

.section .rodata
.align 8
.globl trap_stub_table
trap_stub_table:
.set vector, 0
.rept 256
    .quad trap_stubs_start + vector * 16
    .set vector, vector + 1
.endr

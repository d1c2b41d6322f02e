/* Register probes (probe.h). Each one keeps the System V ABI towards its C++ caller: it saves the
 * callee-saved registers, loads every general register from probe->in, traps once, and writes
 * every register as it came back to probe->out. rbx holds the stack pointer across the trap
 * (seL4's `sysretq` leaves rsp = 0; libsel4's stubs keep rsp in rbx the same way), so a kernel
 * that clobbered rbx makes the probe fault, which the suite reports. */

#define IN_RAX 0
#define IN_RBX 8
#define IN_RCX 16
#define IN_RDX 24
#define IN_RSI 32
#define IN_RDI 40
#define IN_RBP 48
#define IN_RSP 56
#define IN_R8 64
#define IN_R9 72
#define IN_R10 80
#define IN_R11 88
#define IN_R12 96
#define IN_R13 104
#define IN_R14 112
#define IN_R15 120
#define IN_RFLAGS 128
#define OUT 136

.macro PROBE name
.text
.globl \name, \name\()_trap, \name\()_after
.type \name, @function
\name:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    push %rdi                        /* the Probe, found again after the trap at [rbx] */
    mov %rsp, IN_RSP(%rdi)
    mov %rsp, IN_RBX(%rdi)
    mov %rsp, %rbx
    mov IN_RAX(%rdi), %rax
    mov IN_RCX(%rdi), %rcx
    mov IN_RDX(%rdi), %rdx
    mov IN_RSI(%rdi), %rsi
    mov IN_RBP(%rdi), %rbp
    mov IN_R8(%rdi), %r8
    mov IN_R9(%rdi), %r9
    mov IN_R10(%rdi), %r10
    mov IN_R11(%rdi), %r11
    mov IN_R12(%rdi), %r12
    mov IN_R13(%rdi), %r13
    mov IN_R14(%rdi), %r14
    mov IN_R15(%rdi), %r15
    pushfq                           /* mov leaves the flags alone: these are the flags at the trap */
    popq IN_RFLAGS(%rdi)
    mov IN_RDI(%rdi), %rdi
\name\()_trap:
.endm

.macro PROBE_END name
\name\()_after:
    xchg %rbx, %rsp                  /* rsp: the probe's stack again; rbx: rsp after the trap */
    pushfq
    push %rbx
    push %rax
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov 16*8(%rsp), %rax             /* the Probe */
    popq OUT+120(%rax)               /* r15 */
    popq OUT+112(%rax)
    popq OUT+104(%rax)
    popq OUT+96(%rax)
    popq OUT+88(%rax)
    popq OUT+80(%rax)
    popq OUT+72(%rax)
    popq OUT+64(%rax)                /* r8 */
    popq OUT+48(%rax)                /* rbp */
    popq OUT+40(%rax)                /* rdi */
    popq OUT+32(%rax)                /* rsi */
    popq OUT+24(%rax)                /* rdx */
    popq OUT+16(%rax)                /* rcx */
    popq OUT+0(%rax)                 /* rax */
    popq OUT+56(%rax)                /* rsp after the trap */
    popq OUT+128(%rax)               /* rflags */
    mov %rsp, OUT+8(%rax)            /* rbx after the trap is where the stack now is */
    cld                              /* a fault reply may have set DF; C++ needs it clear */
    pop %rdi
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret
.size \name, . - \name
.endm

PROBE probe_syscall
    syscall
PROBE_END probe_syscall

PROBE probe_ud2
    ud2
PROBE_END probe_ud2

PROBE probe_load
    cmpb $0, (%r13)
PROBE_END probe_load

PROBE probe_spin
1:  cmpq $0, spin_release(%rip)
    je 1b
PROBE_END probe_spin

.data
.balign 8
.globl spin_release
spin_release:
    .quad 0

.section .note.GNU-stack, "", @progbits

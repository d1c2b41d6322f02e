/* One foreign system call with every register chosen by the test: loads rax, rbx, rdx, rsi,
 * rdi, rbp and r8..r15 from a ForeignFrame (foreign_flag.cc), records rsp, executes `syscall`,
 * and stores every register as the call left it, rcx and r11 included, back into the frame.
 * Follows the System V ABI towards its C++ caller (callee-saved registers kept).
 *
 * void foreign_call(ForeignFrame* frame)
 * ForeignFrame: +0 rax +8 rbx +16 rcx +24 rdx +32 rsi +40 rdi +48 rbp +56 r8 ... +112 r15,
 *               +120 rsp before the call, +128 rsp after it, +136 address after `syscall`. */
.text
.globl foreign_call, foreign_call_return
foreign_call:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rdi, foreign_frame(%rip)
    movq %rsp, 120(%rdi)
    leaq foreign_call_return(%rip), %rax
    movq %rax, 136(%rdi)
    movq 8(%rdi), %rbx
    movq 24(%rdi), %rdx
    movq 32(%rdi), %rsi
    movq 48(%rdi), %rbp
    movq 56(%rdi), %r8
    movq 64(%rdi), %r9
    movq 72(%rdi), %r10
    movq 80(%rdi), %r11
    movq 88(%rdi), %r12
    movq 96(%rdi), %r13
    movq 104(%rdi), %r14
    movq 112(%rdi), %r15
    movq 0(%rdi), %rax
    movq 40(%rdi), %rdi
    syscall
foreign_call_return:
    pushq %rdi
    movq foreign_frame(%rip), %rdi
    popq 40(%rdi)
    movq %rax, 0(%rdi)
    movq %rbx, 8(%rdi)
    movq %rcx, 16(%rdi)
    movq %rdx, 24(%rdi)
    movq %rsi, 32(%rdi)
    movq %rbp, 48(%rdi)
    movq %r8, 56(%rdi)
    movq %r9, 64(%rdi)
    movq %r10, 72(%rdi)
    movq %r11, 80(%rdi)
    movq %r12, 88(%rdi)
    movq %r13, 96(%rdi)
    movq %r14, 104(%rdi)
    movq %r15, 112(%rdi)
    movq %rsp, 128(%rdi)
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret

.bss
.align 8
foreign_frame:
    .quad 0
.section .note.GNU-stack,"",@progbits

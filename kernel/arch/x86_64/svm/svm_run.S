/* svm_run(vmcb, registers, host_vmsave): one guest run (svm_host.h has the contract). The
 * caller has done CLGI. VMRUN itself keeps the host's RSP, RAX, RIP, flags, control registers,
 * EFER, segment selectors, GDTR and IDTR in the VM_HSAVE_PA page; everything else a guest
 * changes is switched here: the general registers by hand, FS, GS, TR, LDTR and the SYSCALL,
 * SYSENTER and kernel GS base MSRs by VMSAVE/VMLOAD. `registers` is indexed as TESSERA_SVMField:
 * 1 rbx, 2 rcx, 3 rdx, 4 rsi, 5 rdi, 6 rbp, 7..14 r8..r15 (0, RAX, lives in the VMCB). */

.text
.globl svm_run
.type svm_run, @function
svm_run:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    push %rdx                /* 16(%rsp): host VMSAVE area */
    push %rsi                /*  8(%rsp): guest registers */
    push %rdi                /*  0(%rsp): VMCB */

    mov %rdx, %rax
    vmsave
    mov 0(%rsp), %rax
    vmload

    mov 8(%rsp), %rax
    mov 1*8(%rax), %rbx
    mov 2*8(%rax), %rcx
    mov 3*8(%rax), %rdx
    mov 4*8(%rax), %rsi
    mov 5*8(%rax), %rdi
    mov 6*8(%rax), %rbp
    mov 7*8(%rax), %r8
    mov 8*8(%rax), %r9
    mov 9*8(%rax), %r10
    mov 10*8(%rax), %r11
    mov 11*8(%rax), %r12
    mov 12*8(%rax), %r13
    mov 13*8(%rax), %r14
    mov 14*8(%rax), %r15
    mov 0(%rsp), %rax

    /* GIF is 0, so nothing is taken here; VMRUN records IF = 1 as the host's, which with
     * V_INTR_MASKING lets a physical interrupt end the guest's run. */
    sti
    vmrun
    cli

    /* RSP and RAX are the host's again (RAX = the VMCB); the rest are the guest's. */
    mov 8(%rsp), %rax
    mov %rbx, 1*8(%rax)
    mov %rcx, 2*8(%rax)
    mov %rdx, 3*8(%rax)
    mov %rsi, 4*8(%rax)
    mov %rdi, 5*8(%rax)
    mov %rbp, 6*8(%rax)
    mov %r8, 7*8(%rax)
    mov %r9, 8*8(%rax)
    mov %r10, 9*8(%rax)
    mov %r11, 10*8(%rax)
    mov %r12, 11*8(%rax)
    mov %r13, 12*8(%rax)
    mov %r14, 13*8(%rax)
    mov %r15, 14*8(%rax)

    mov 0(%rsp), %rax
    vmsave
    mov 16(%rsp), %rax
    vmload

    add $24, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
.size svm_run, . - svm_run

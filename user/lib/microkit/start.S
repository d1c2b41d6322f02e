/* Entry of a protection domain, first in .text (section .text.start) so that it sits at the
 * start of the program: microkit.ld places it at 0x200000, where Microkit programs restart their
 * children (microkit_pd_restart(child, 0x200000)). The loader starts the thread with rsp at the
 * top of its stack and rdi = the address of its IPC buffer (docs/system-description.md). A
 * restart sets only rip, so the first start records rsp and rdi and a restart takes them from
 * there: the PD begins again on an empty stack with its IPC buffer. The call keeps the stack
 * aligned as the System V ABI expects. */
.data
.balign 8
microkit_start_stack:
    .quad 0
microkit_start_ipc_buffer:
    .quad 0

.section .text.start, "ax", @progbits
.globl _start
.type _start, @function
_start:
    mov microkit_start_stack(%rip), %rax
    test %rax, %rax
    jnz 1f
    mov %rsp, microkit_start_stack(%rip)
    mov %rdi, microkit_start_ipc_buffer(%rip)
    jmp 2f
1:  mov %rax, %rsp
    mov microkit_start_ipc_buffer(%rip), %rdi
2:  xor %ebp, %ebp
    call microkit_runtime_start   /* (seL4_IPCBuffer *) in rdi; never returns */
3:  ud2
    jmp 3b
.size _start, . - _start

.section .note.GNU-stack, "", @progbits

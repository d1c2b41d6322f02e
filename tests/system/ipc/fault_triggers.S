/* Instructions that fault, each at a global label so a fault handler can check the FaultIP the
 * kernel reports. Every routine follows the System V ABI towards its C++ caller (callee-saved
 * registers kept) and records what a test needs afterwards in ipc_fault_record:
 *   +0 the stack pointer at the faulting instruction, +8 rbx and +16 r12 after it. */
.text

/* seL4_Word ipc_fault_read(seL4_Word address): a load from `address`. */
.globl ipc_fault_read, ipc_fault_read_instruction
ipc_fault_read:
ipc_fault_read_instruction:
    movq (%rdi), %rax
    ret

/* void ipc_fault_write(seL4_Word address, seL4_Word value): a store to `address`. */
.globl ipc_fault_write, ipc_fault_write_instruction
ipc_fault_write:
ipc_fault_write_instruction:
    movq %rsi, (%rdi)
    ret

/* void ipc_fault_send(seL4_CPtr cptr): seL4_Send of an empty message to `cptr`. */
.globl ipc_fault_send, ipc_fault_send_instruction
ipc_fault_send:
    xorl %esi, %esi
    movq $-3, %rdx              /* seL4_SysSend */
ipc_fault_send_instruction:
    syscall
    ret

/* void ipc_fault_recv(seL4_CPtr cptr): seL4_Recv on `cptr`. */
.globl ipc_fault_recv, ipc_fault_recv_instruction
ipc_fault_recv:
    pushq %r15
    movq $-5, %rdx              /* seL4_SysRecv */
ipc_fault_recv_instruction:
    syscall
    popq %r15
    ret

/* void ipc_fault_unknown_syscall(void): system call 0x77 with every register set to a known
 * value (rax 0xa0, rbx 0xb0, rbp 0xb9, rsi 0x51, rdi 0xd1, r8..r15 0x08..0x15); rbx and r12 as
 * the handler's reply left them are recorded. The thread comes back by `sysretq`, so its stack
 * pointer is 0 and is taken again from the record. */
.globl ipc_fault_unknown_syscall, ipc_fault_unknown_syscall_instruction
ipc_fault_unknown_syscall:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, ipc_fault_record(%rip)
    movq $0xa0, %rax
    movq $0xb0, %rbx
    movq $0xb9, %rbp
    movq $0x51, %rsi
    movq $0xd1, %rdi
    movq $0x08, %r8
    movq $0x09, %r9
    movq $0x10, %r10
    movq $0x12, %r12
    movq $0x13, %r13
    movq $0x14, %r14
    movq $0x15, %r15
    movq $0x77, %rdx
ipc_fault_unknown_syscall_instruction:
    syscall
    movq ipc_fault_record(%rip), %rsp   /* seL4 returns from `syscall` with rsp = 0 */
    movq %rbx, ipc_fault_record+8(%rip)
    movq %r12, ipc_fault_record+16(%rip)
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret

/* void ipc_fault_divide(void): a divide error (#DE) by a two-byte `div`. */
.globl ipc_fault_divide, ipc_fault_divide_instruction
ipc_fault_divide:
    movq %rsp, ipc_fault_record(%rip)
    xorl %ecx, %ecx
    movl $1, %eax
    xorl %edx, %edx
ipc_fault_divide_instruction:
    divl %ecx
    ret

/* void ipc_fault_invalid_opcode(void): ud2 (#UD), two bytes. */
.globl ipc_fault_invalid_opcode, ipc_fault_invalid_opcode_instruction
ipc_fault_invalid_opcode:
    movq %rsp, ipc_fault_record(%rip)
ipc_fault_invalid_opcode_instruction:
    ud2
    ret

.bss
.balign 8
.globl ipc_fault_record
ipc_fault_record:
    .skip 24

.section .note.GNU-stack, "", @progbits

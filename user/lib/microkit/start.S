/* Entry of a protection domain. The loader starts the thread with rsp at the top of its stack and
 * rdi = the address of its IPC buffer (docs/system-description.md); the call keeps the stack
 * aligned as the System V ABI expects at a function's entry. */
.text
.globl _start
.type _start, @function
_start:
    xor %ebp, %ebp
    call microkit_runtime_start   /* (seL4_IPCBuffer *) in rdi; never returns */
1:  ud2
    jmp 1b
.size _start, . - _start

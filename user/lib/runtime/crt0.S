/* Process entry for Tessera components. seL4 starts the initial thread with the BootInfo pointer in
 * rdi and promises no stack, so entry switches to a stack in .bss before calling into C++ (this is
 * also correct on Tessera, which does map a stack). A process started by the ELF loader gets
 * rdi = 0 and its IPC buffer's address in rsi; both pass through as the arguments. */
.text
.globl _start
.type _start, @function
_start:
    /* The TSC at the program's first instruction (tessera_entry_tsc): the boot-time benchmark
     * measures the kernel's boot up to here. rdtsc writes only rax and rdx. */
    rdtsc
    shl $32, %rdx
    or %rdx, %rax
    mov %rax, tessera_runtime_entry_tsc(%rip)
    lea tessera_runtime_stack_top(%rip), %rsp
    xor %ebp, %ebp
    call tessera_runtime_start   /* (BootInfo, IPC buffer) in rdi, rsi; never returns */
1:  ud2
    jmp 1b
.size _start, . - _start

.bss
.align 8
.globl tessera_runtime_entry_tsc
tessera_runtime_entry_tsc:
    .skip 8
.align 16
tessera_runtime_stack:
    .skip 65536
tessera_runtime_stack_top:

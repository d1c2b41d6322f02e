/* The guest of systems/vm.system: a 32-bit protected-mode program (no paging) that the loader
 * places at guest-physical 0 (the prefill of memory region guest_ram) and the VMM enters there
 * with flat segments and ESP = GUEST_STACK. It prints a line on COM1, asks the VMM a question
 * (VMMCALL), which the VMM answers by calling a native protection domain, leaves the answer in
 * its RAM and reports it on port 0x80, then reads memory it was not given: the VMM stops it. */
#define COM1 0x3f8
#define ANSWER 0x7000         /* where the answer is left; the VMM reads it through its own map */
#define OUTSIDE 0x100000      /* beyond guest_ram (64 KiB): no memory behind it */

.code32
.globl _start
_start:
    mov $message, %esi
    mov $COM1, %dx
1:  lodsb
    test %al, %al
    jz 2f
    out %al, %dx
    jmp 1b
2:  /* VMMCALL 1: "add 22 to EBX", answered in EAX. */
    mov $1, %eax
    mov $20, %ebx
    vmmcall
    mov %eax, ANSWER
    out %eax, $0x80
    /* Memory outside the guest's: a nested page fault the VMM does not serve. */
    mov OUTSIDE, %eax
    ud2

message:
    .asciz "hello from the guest\n"

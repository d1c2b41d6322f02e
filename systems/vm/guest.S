/* The guest of systems/vm.system: a 32-bit protected-mode program (no paging) that the loader
 * places at guest-physical 0 (the prefill of memory region guest_ram) and the VMM enters there
 * with flat segments and ESP = GUEST_STACK. It prints a line on COM1, asks the VMM a question
 * (VMMCALL), which the VMM answers by calling a native protection domain, leaves the answer in
 * its RAM and reports it on port 0x80, then reads memory it was not given: the VMM stops it.
 * Between the two it reads one line of console input by polling the line status register, as a
 * boot loader would, and prints it back ("read: ..."); without input it gives up after POLLS
 * reads and prints "read: (nothing)".
 * A second entry, `storm` at STORM_ENTRY, writes port 0x81 in a loop: an exit each time. The VMM
 * restarts the guest there after the stop above, to show its exit-storm guard (docs/vmm.md). */
#define COM1 0x3f8
#define LSR (COM1 + 5)
#define POLLS 200000
#define LINE 0x6000           /* where the line is kept */
#define ANSWER 0x7000         /* where the answer is left; the VMM reads it through its own map */
#define OUTSIDE 0x100000      /* beyond guest_ram (64 KiB): no memory behind it */
#define STORM_ENTRY 0x800     /* the VMM's GUEST_STORM_ENTRY */

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
2:  /* Listen as a driver does: FIFOs on, received-data interrupt enabled, DTR, RTS, OUT2. */
    mov $(COM1 + 2), %dx
    mov $0x01, %al
    out %al, %dx
    mov $(COM1 + 1), %dx
    out %al, %dx
    mov $(COM1 + 4), %dx
    mov $0x0b, %al
    out %al, %dx
    mov $LINE, %edi
    mov $POLLS, %ecx
3:  mov $LSR, %dx
    in %dx, %al
    test $1, %al
    jnz 4f
    loop 3b
    mov $nothing, %esi        /* no input came */
    jmp 6f
4:  mov $COM1, %dx
    in %dx, %al
    cmp $'\r', %al
    je 3b
    cmp $'\n', %al
    je 5f
    stosb
    cmp $(LINE + 100), %edi
    jb 3b
5:  movb $0, (%edi)
    mov $LINE, %esi
6:  push %esi
    mov $read, %esi
    call print
    pop %esi
    call print
    mov $newline, %esi
    call print
    /* VMMCALL 1: "add 22 to EBX", answered in EAX. */
    mov $1, %eax
    mov $20, %ebx
    vmmcall
    mov %eax, ANSWER
    out %eax, $0x80
    /* Memory outside the guest's: a nested page fault the VMM does not serve. */
    mov OUTSIDE, %eax
    ud2

/* The storm: an exit per iteration, until the VMM stops the guest. */
.org STORM_ENTRY
storm:
    out %al, $0x81
    jmp storm

/* Prints the string at ESI on COM1. */
print:
    mov $COM1, %dx
1:  lodsb
    test %al, %al
    jz 2f
    out %al, %dx
    jmp 1b
2:  ret

message:
    .asciz "hello from the guest\n"
read:
    .asciz "read: "
nothing:
    .asciz "(nothing)"
newline:
    .asciz "\n"

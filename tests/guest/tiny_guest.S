/* The tiny guest (issue 24): a 32-bit protected-mode program, no paging, copied by the test VMM
 * (tests/system/vmm) to guest-physical TINY_GUEST_BASE and entered there with flat segments
 * (CS 0x08, data 0x10), ESP = 0x8000 and 32 KiB of RAM at 0. It makes each kind of exit in a
 * fixed order, and the VMM checks each one exactly: the exit code, its information, the
 * registers, the instruction's length. Addresses 0xf0000000 and up are MMIO (unmapped in the
 * nested page table). Kept in the VMM's image (.rodata) and never run on the host. */

#define TINY_GUEST_BASE 0x1000
#define GDT 0x5900
#define IDT 0x5000
#define IDT_DESCRIPTOR 0x5800
#define GDT_DESCRIPTOR 0x5980
#define INTERRUPT_COUNT 0x6100
#define SCRATCH 0x6000
#define VECTOR 0x30
#define PROBE 0x9000
#define AT(label) (TINY_GUEST_BASE + (label - tiny_guest_start))

.section .rodata
.balign 16
.code32
.globl tiny_guest_start, tiny_guest_end, tiny_guest_ud2, tiny_guest_spin, tiny_guest_probe
tiny_guest_start:
    /* Its own GDT (the VMM loaded the hidden segment state already): interrupt delivery and IRET
     * read descriptors from it. */
    movl $0, GDT
    movl $0, GDT + 4
    movl $0x0000ffff, GDT + 8
    movl $0x00cf9b00, GDT + 12
    movl $0x0000ffff, GDT + 16
    movl $0x00cf9300, GDT + 20
    movw $23, GDT_DESCRIPTOR
    movl $GDT, GDT_DESCRIPTOR + 2
    lgdt GDT_DESCRIPTOR

    /* 1. CPUID: the VMM answers leaf 0x40000000 with its signature. */
    mov $0x40000000, %eax
    xor %ecx, %ecx
    cpuid
    /* 2. OUT dword, immediate port: the signature's first word back. */
    mov %ebx, %eax
    out %eax, $0x80
    /* 3. IN byte, immediate port. */
    in $0x81, %al
    /* 4. OUT word through DX: twice what came in. */
    movzbl %al, %eax
    add %eax, %eax
    mov $0x1234, %dx
    out %ax, %dx
    /* 5. MMIO write (C7 05 disp32 imm32: 10 bytes). */
    movl $0xcafef00d, 0xf0000010
    /* 6. MMIO read (A1 moffs32: 5 bytes). */
    mov 0xf0000020, %eax
    /* 7. Plain RAM the VMM can see through its own mapping. */
    mov %eax, SCRATCH
    /* 8. VMMCALL with an SSE register holding the MMIO value across the VMM's own FPU use. */
    movd %eax, %xmm1
    movd %eax, %xmm2
    mov $0x1234, %eax
    vmmcall
    movd %xmm1, %eax
    out %eax, $0x84
    /* 9. An interrupt: an IDT with one gate, STI; HLT; the VMM injects VECTOR. */
    mov $AT(interrupt_handler), %eax
    mov %ax, IDT + VECTOR * 8
    movw $0x08, IDT + VECTOR * 8 + 2
    movw $0x8e00, IDT + VECTOR * 8 + 4
    shr $16, %eax
    mov %ax, IDT + VECTOR * 8 + 6
    movw $(256 * 8 - 1), IDT_DESCRIPTOR
    movl $IDT, IDT_DESCRIPTOR + 2
    lidt IDT_DESCRIPTOR
    sti
    hlt
    mov INTERRUPT_COUNT, %eax
    out %eax, $0x85
    /* 10. RDMSR and WRMSR (the patch-level MSR, which the VMM emulates). */
    mov $0x8b, %ecx
    rdmsr
    out %eax, $0x86
    mov $0x8b, %ecx
    mov $5, %eax
    xor %edx, %edx
    wrmsr
    /* 11. A long loop: host timer interrupts end the run many times and the guest never sees it. */
    mov $30000000, %ecx
1:  dec %ecx
    jnz 1b
    mov %ecx, %eax
    out %eax, $0x87
    /* 12. Runs forever: the VMM gets control back only through its bound notification. */
tiny_guest_spin:
    jmp tiny_guest_spin

interrupt_handler:
    incl INTERRUPT_COUNT
    iret

/* The translation tests: reads the word at guest-physical PROBE (a page each VMM maps itself)
 * and reports it on port 0x88, again at every entry. */
tiny_guest_probe:
    mov PROBE, %eax
    out %eax, $0x88
    jmp tiny_guest_probe

/* Entered with an empty IDT: #UD, then #GP, #DF, and a triple fault (shutdown exit). */
tiny_guest_ud2:
    ud2
tiny_guest_end:
.code64
.section .note.GNU-stack, "", @progbits

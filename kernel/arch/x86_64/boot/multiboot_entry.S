/* Multiboot 1 entry. QEMU's -kernel and GRUB jump here in 32-bit protected mode with paging off,
 * EAX = the Multiboot magic and EBX = the physical address of the Multiboot information. This stub
 * checks both, builds boot page tables (the first GiB identity-mapped and mapped again at -2 GiB),
 * enters long mode and calls kernel_main(magic, info, entry TSC) in the higher half. Errors here
 * print one line on COM1 and halt: nothing better exists before long mode. */

#include "arch/x86_64/asm_constants.h"

.set MULTIBOOT_MAGIC,      0x1BADB002
.set MULTIBOOT_FLAGS,      0x00000003 /* modules page aligned, memory map wanted */
.set MULTIBOOT_LOADER_MAGIC, 0x2BADB002
.set KERNEL_VIRT_OFFSET,   0xffffffff80000000
.set COM1,                 0x3f8

.section .multiboot, "a"
.align 4
    .long MULTIBOOT_MAGIC
    .long MULTIBOOT_FLAGS
    .long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

.section .boot.text, "ax"
.code32
.globl boot_entry32
boot_entry32:
    cli
    cld
    mov $boot_stack_top, %esp
    mov %eax, boot_multiboot_magic
    mov %ebx, boot_multiboot_info

    cmp $MULTIBOOT_LOADER_MAGIC, %eax
    jne .Lnot_multiboot
    /* The TSC at the entry, for the boot-time benchmark (docs/performance.md, "Boot"): under
     * -icount shift=0 it is the number of instructions since reset, so the kernel's own boot is
     * measured from here, seven instructions after the entry. */
    rdtsc
    mov %eax, boot_entry_tsc
    mov %edx, boot_entry_tsc + 4

    /* Long mode present? CPUID 0x80000001 EDX bit 29. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb .Lno_long_mode
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jz .Lno_long_mode

    /* 512 2-MiB pages cover the first GiB, present + writable + large. */
    mov $boot_page_directory, %edi
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, (%edi, %ecx, 8)
    movl $0, 4(%edi, %ecx, 8)
    inc %ecx
    cmp $512, %ecx
    jne 1b

    mov $boot_page_directory, %eax
    or $0x3, %eax
    mov %eax, boot_pdpt_low            /* PDPT_low[0]    -> PD: 0 .. 1 GiB */
    mov %eax, boot_pdpt_high + 510 * 8 /* PDPT_high[510] -> PD: -2 GiB .. -1 GiB */
    mov $boot_pdpt_low, %eax
    or $0x3, %eax
    mov %eax, boot_pml4                /* PML4[0] */
    mov $boot_pdpt_high, %eax
    or $0x3, %eax
    mov %eax, boot_pml4 + 511 * 8      /* PML4[511] */

    mov %cr4, %eax
    or $(1 << 5), %eax                 /* PAE */
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx              /* EFER */
    rdmsr
    or $(1 << 8), %eax                 /* LME */
    wrmsr
    mov %cr0, %eax
    or $0x80000001, %eax               /* PG | PE */
    mov %eax, %cr0

    lgdt boot_gdt_pointer
    ljmp $GDT_KERNEL_CODE, $.Lentry64

.Lnot_multiboot:
    mov $.Lmsg_not_multiboot, %esi
    jmp .Lfail
.Lno_long_mode:
    mov $.Lmsg_no_long_mode, %esi
.Lfail:
    mov $COM1, %dx
2:  lodsb
    test %al, %al
    jz 3f
    out %al, %dx
    jmp 2b
3:  hlt
    jmp 3b

.code64
.Lentry64:
    mov $GDT_KERNEL_DATA, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    movabs $kernel_boot_stack_top, %rsp
    movabs $.Lhigh_half, %rax
    jmp *%rax

.section .boot.data, "aw"
.align 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff   /* kernel code: 64-bit, present, DPL 0 */
    .quad 0x00cf92000000ffff   /* kernel data */
boot_gdt_end:
boot_gdt_pointer:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt
.globl boot_multiboot_magic
boot_multiboot_magic: .long 0
.globl boot_multiboot_info
boot_multiboot_info:  .long 0
.align 8
boot_entry_tsc:       .quad 0
.Lmsg_not_multiboot: .asciz "tessera: not started by a Multiboot loader: halting\r\n"
.Lmsg_no_long_mode:  .asciz "tessera: this CPU has no 64-bit long mode: halting\r\n"

.section .boot.bss, "aw", @nobits
.align 4096
boot_pml4:           .skip 4096
boot_pdpt_low:       .skip 4096
boot_pdpt_high:      .skip 4096
boot_page_directory: .skip 4096
boot_stack:          .skip 4096
boot_stack_top:

.text
.Lhigh_half:
    xor %ebp, %ebp
    movl boot_multiboot_magic, %edi
    movl boot_multiboot_info, %esi
    movq boot_entry_tsc, %rdx
    call kernel_main
4:  cli
    hlt
    jmp 4b

.section .bss
.align 16
.globl kernel_boot_stack
kernel_boot_stack:   .skip 16384
.globl kernel_boot_stack_top
kernel_boot_stack_top:

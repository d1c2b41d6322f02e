/* x86_64 `syscall` primitives (the kernel's entry convention, seL4 Reference Manual and libsel4
 * sel4_arch/syscalls_syscall.h): rdx = system call number, rdi = capability or badge, rsi =
 * message info, r10, r8, r9, r15 = MR0..MR3, in and out. The `syscall` instruction destroys rcx
 * (return rip) and r11 (rflags); the kernel does not preserve rsp, so it is saved in rbx. */
#pragma once

#include <sel4/types.h>

LIBSEL4_INLINE_FUNC void x64_sys_send(seL4_Word sys, seL4_Word dest, seL4_Word info,
                                      seL4_Word mr0, seL4_Word mr1, seL4_Word mr2, seL4_Word mr3)
{
    register seL4_Word r10 __asm__("r10") = mr0;
    register seL4_Word r8 __asm__("r8") = mr1;
    register seL4_Word r9 __asm__("r9") = mr2;
    register seL4_Word r15 __asm__("r15") = mr3;
    __asm__ volatile("movq %%rsp, %%rbx\n\t"
                     "syscall\n\t"
                     "movq %%rbx, %%rsp"
                     :
                     : "d"(sys), "D"(dest), "S"(info), "r"(r10), "r"(r8), "r"(r9), "r"(r15)
                     : "rcx", "rbx", "r11", "memory");
}

LIBSEL4_INLINE_FUNC void x64_sys_reply(seL4_Word sys, seL4_Word info, seL4_Word mr0,
                                       seL4_Word mr1, seL4_Word mr2, seL4_Word mr3)
{
    register seL4_Word r10 __asm__("r10") = mr0;
    register seL4_Word r8 __asm__("r8") = mr1;
    register seL4_Word r9 __asm__("r9") = mr2;
    register seL4_Word r15 __asm__("r15") = mr3;
    __asm__ volatile("movq %%rsp, %%rbx\n\t"
                     "syscall\n\t"
                     "movq %%rbx, %%rsp"
                     :
                     : "d"(sys), "S"(info), "r"(r10), "r"(r8), "r"(r9), "r"(r15)
                     : "rcx", "rbx", "r11", "memory");
}

LIBSEL4_INLINE_FUNC void x64_sys_send_null(seL4_Word sys, seL4_Word dest, seL4_Word info)
{
    __asm__ volatile("movq %%rsp, %%rbx\n\t"
                     "syscall\n\t"
                     "movq %%rbx, %%rsp"
                     :
                     : "d"(sys), "D"(dest), "S"(info)
                     : "rcx", "rbx", "r11", "memory");
}

LIBSEL4_INLINE_FUNC void x64_sys_recv(seL4_Word sys, seL4_Word src, seL4_Word* out_badge,
                                      seL4_Word* out_info, seL4_Word* out_mr0,
                                      seL4_Word* out_mr1, seL4_Word* out_mr2,
                                      seL4_Word* out_mr3)
{
    register seL4_Word r10 __asm__("r10");
    register seL4_Word r8 __asm__("r8");
    register seL4_Word r9 __asm__("r9");
    register seL4_Word r15 __asm__("r15");
    seL4_Word badge;
    seL4_Word info;
    __asm__ volatile("movq %%rsp, %%rbx\n\t"
                     "syscall\n\t"
                     "movq %%rbx, %%rsp"
                     : "=D"(badge), "=S"(info), "=r"(r10), "=r"(r8), "=r"(r9), "=r"(r15)
                     : "d"(sys), "D"(src)
                     : "rcx", "rbx", "r11", "memory");
    *out_badge = badge;
    *out_info = info;
    *out_mr0 = r10;
    *out_mr1 = r8;
    *out_mr2 = r9;
    *out_mr3 = r15;
}

LIBSEL4_INLINE_FUNC void x64_sys_send_recv(seL4_Word sys, seL4_Word dest, seL4_Word* out_dest,
                                           seL4_Word info, seL4_Word* out_info,
                                           seL4_Word* in_out_mr0, seL4_Word* in_out_mr1,
                                           seL4_Word* in_out_mr2, seL4_Word* in_out_mr3)
{
    register seL4_Word r10 __asm__("r10") = *in_out_mr0;
    register seL4_Word r8 __asm__("r8") = *in_out_mr1;
    register seL4_Word r9 __asm__("r9") = *in_out_mr2;
    register seL4_Word r15 __asm__("r15") = *in_out_mr3;
    seL4_Word badge_or_dest = dest;
    seL4_Word info_out = info;
    __asm__ volatile("movq %%rsp, %%rbx\n\t"
                     "syscall\n\t"
                     "movq %%rbx, %%rsp"
                     : "+D"(badge_or_dest), "+S"(info_out), "+r"(r10), "+r"(r8), "+r"(r9),
                       "+r"(r15)
                     : "d"(sys)
                     : "rcx", "rbx", "r11", "memory");
    *out_dest = badge_or_dest;
    *out_info = info_out;
    *in_out_mr0 = r10;
    *in_out_mr1 = r8;
    *in_out_mr2 = r9;
    *in_out_mr3 = r15;
}

LIBSEL4_INLINE_FUNC void x64_sys_null(seL4_Word sys)
{
    __asm__ volatile("movq %%rsp, %%rbx\n\t"
                     "syscall\n\t"
                     "movq %%rbx, %%rsp"
                     :
                     : "d"(sys)
                     : "rbx", "rcx", "rsi", "rdi", "r11", "memory");
}

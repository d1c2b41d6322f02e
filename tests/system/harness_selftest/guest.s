# A stand-in for a Tessera kernel that needs no kernel: a 32-bit Multiboot 1 image that prints
# fixed lines on COM1 and ends the way a chosen failure would, so the harness can be tested alone.
#
# Built once per behaviour with `as --32 --defsym BEHAVIOUR=<n>` (numbers below); the CMake
# list next to this file maps each number to a test and to the verdict run_suite.py must reach.

    .set BEHAVIOUR_PASS, 0          # three results, "3 passed, 0 failed", guest status 0
    .set BEHAVIOUR_FAIL, 1          # "2 passed, 1 failed", guest status 0
    .set BEHAVIOUR_PANIC, 2         # "KERNEL PANIC" and a register line, then halts forever
    .set BEHAVIOUR_HANG, 3          # one line, then halts forever: only a timeout ends it
    .set BEHAVIOUR_TRIPLE, 4        # an exception with an empty IDT: triple fault, QEMU resets
    .set BEHAVIOUR_BAD_STATUS, 5    # a clean summary, but guest status 3
    .set BEHAVIOUR_NO_SUMMARY, 6    # results but no summary line, guest status 0
    .set BEHAVIOUR_PREFIXED, 7      # "selftest: 1 passed, 0 failed" (a word prefix is allowed)
    .set BEHAVIOUR_DEVICES, 8       # reports what the launcher gave it: command line, modules
                                    # in order, and a line on COM2; then "1 passed, 0 failed"
    .set BEHAVIOUR_ECHO, 9          # "echo: ready", then every byte COM1 receives written back
                                    # unchanged until 0x04 (end of input): "echo: end of input",
                                    # guest status 0
    .set BEHAVIOUR_IDLE, 10         # Tessera's idle line, then halts forever (a system with no
                                    # runnable thread)

    .set MULTIBOOT_MAGIC, 0x1BADB002
    .set MULTIBOOT_FLAGS, 0x3       # page-aligned modules, memory map wanted: as the kernel asks
    .set COM1, 0x3f8
    .set COM2, 0x2f8
    .set UART_LINE_STATUS, 5
    .set LINE_STATUS_DATA_READY, 0x01
    .set LINE_STATUS_THR_EMPTY, 0x20
    .set END_OF_INPUT, 0x04
    .set DEBUG_EXIT_PORT, 0xf4      # QEMU isa-debug-exit: writing v exits QEMU with (v << 1) | 1

    # Multiboot 1 information structure (%ebx at entry): the fields the devices behaviour reads.
    .set MB_INFO_FLAGS, 0
    .set MB_INFO_CMDLINE, 16
    .set MB_INFO_MODS_COUNT, 20
    .set MB_INFO_MODS_ADDR, 24
    .set MB_FLAG_CMDLINE, 1 << 2
    .set MB_FLAG_MODS, 1 << 3
    .set MB_MODULE_SIZE, 16         # start, end, string, reserved
    .set MB_MODULE_STRING, 8

    .section .multiboot, "a"
    .balign 4
    .long MULTIBOOT_MAGIC, MULTIBOOT_FLAGS, -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

    .text
    .globl _start
_start:
    cli
    mov $stack_top, %esp
    mov $COM1, %ebp
    mov $message, %esi
    call put_string

.if BEHAVIOUR == BEHAVIOUR_DEVICES
    call report_boot_information
.endif

.if BEHAVIOUR == BEHAVIOUR_TRIPLE
    lidt empty_idt                  # limit 0: every vector is out of bounds
    int3                            # #GP delivering it, #DF delivering that, then shutdown
.endif

.if BEHAVIOUR == BEHAVIOUR_ECHO
    call echo_until_end_of_input
.endif

.if BEHAVIOUR == BEHAVIOUR_PANIC || BEHAVIOUR == BEHAVIOUR_HANG || BEHAVIOUR == BEHAVIOUR_IDLE
halt_forever:                       # what a panicked kernel does: nothing, with no exit
    hlt
    jmp halt_forever
.endif

.if BEHAVIOUR == BEHAVIOUR_BAD_STATUS
    mov $3, %eax
.else
    xor %eax, %eax
.endif
    mov $DEBUG_EXIT_PORT, %dx
    out %eax, %dx
unreachable:                        # only if QEMU lacks the exit device
    hlt
    jmp unreachable

# Writes the NUL-terminated string at %esi to the UART at port %ebp. Clobbers %eax, %edx, %esi.
put_string:
    lodsb
    test %al, %al
    jz 1f
    call put_char
    jmp put_string
1:  ret

# Writes %al to the UART at port %ebp, polling until its transmitter is free. Clobbers %edx.
put_char:
    push %eax
    lea UART_LINE_STATUS(%ebp), %edx
1:  in %dx, %al
    test $LINE_STATUS_THR_EMPTY, %al
    jz 1b
    pop %eax
    mov %ebp, %edx
    out %al, %dx
    ret

.if BEHAVIOUR == BEHAVIOUR_ECHO
# Writes back every byte COM1 receives until END_OF_INPUT, then says so. Clobbers %eax, %edx, %esi.
echo_until_end_of_input:
    lea UART_LINE_STATUS(%ebp), %edx
1:  in %dx, %al
    test $LINE_STATUS_DATA_READY, %al
    jz 1b
    mov %ebp, %edx
    in %dx, %al
    cmp $END_OF_INPUT, %al
    je 2f
    call put_char
    jmp echo_until_end_of_input
2:  mov $end_of_input_text, %esi
    jmp put_string
.endif

.if BEHAVIOUR == BEHAVIOUR_DEVICES
# Prints "cmdline: ...", "modules: N" and "module: <its string>" per module from the Multiboot
# information at %ebx, then "com2 hello" on COM2. Fewer than ten modules are expected.
report_boot_information:
    mov $cmdline_text, %esi
    call put_string
    testl $MB_FLAG_CMDLINE, MB_INFO_FLAGS(%ebx)
    jz 1f
    mov MB_INFO_CMDLINE(%ebx), %esi
    call put_string
1:  mov $'\n', %al
    call put_char

    xor %ecx, %ecx
    testl $MB_FLAG_MODS, MB_INFO_FLAGS(%ebx)
    jz 2f
    mov MB_INFO_MODS_COUNT(%ebx), %ecx
2:  mov $modules_text, %esi
    call put_string
    lea '0'(%ecx), %eax
    call put_char
    mov $'\n', %al
    call put_char

    mov MB_INFO_MODS_ADDR(%ebx), %edi
3:  test %ecx, %ecx
    jz 4f
    mov $module_text, %esi
    call put_string
    mov MB_MODULE_STRING(%edi), %esi
    call put_string
    mov $'\n', %al
    call put_char
    add $MB_MODULE_SIZE, %edi
    dec %ecx
    jmp 3b

4:  mov $COM2, %ebp
    mov $com2_text, %esi
    call put_string
    mov $COM1, %ebp
    mov $devices_summary_text, %esi
    jmp put_string
.endif

    .section .rodata
    .balign 8
empty_idt:
    .word 0
    .long 0

message:
.if BEHAVIOUR == BEHAVIOUR_PASS
    .ascii "harness selftest: hello from the guest\n"
    .ascii "harness.boot ok\nharness.serial ok\nharness.exit ok\n"
    .asciz "3 passed, 0 failed\n"
.elseif BEHAVIOUR == BEHAVIOUR_FAIL
    .ascii "harness.boot ok\nharness.serial FAILED: expected 1, got 2\nharness.exit ok\n"
    .asciz "2 passed, 1 failed\n"
.elseif BEHAVIOUR == BEHAVIOUR_PANIC
    .ascii "harness.boot ok\n"
    .ascii "KERNEL PANIC: #PF page fault (vector 14), error code 0x2, CR2 0xdeadbeef\n"
    .asciz "RIP 0xffffffff80101234 RSP 0xffffffff80200ff8\n"
.elseif BEHAVIOUR == BEHAVIOUR_HANG
    .asciz "harness.boot ok\n"
.elseif BEHAVIOUR == BEHAVIOUR_TRIPLE
    .asciz "harness.boot ok\nharness selftest: about to triple fault\n"
.elseif BEHAVIOUR == BEHAVIOUR_BAD_STATUS
    .asciz "harness.boot ok\n1 passed, 0 failed\n"
.elseif BEHAVIOUR == BEHAVIOUR_NO_SUMMARY
    .asciz "harness.boot ok\nharness.serial ok\n"
.elseif BEHAVIOUR == BEHAVIOUR_PREFIXED
    .asciz "harness.boot ok\nselftest: 1 passed, 0 failed\n"
.elseif BEHAVIOUR == BEHAVIOUR_DEVICES
    .asciz "harness.boot ok\n"
cmdline_text:
    .asciz "cmdline: "
modules_text:
    .asciz "modules: "
module_text:
    .asciz "module: "
com2_text:
    .asciz "com2 hello\n"
devices_summary_text:
    .asciz "1 passed, 0 failed\n"
.elseif BEHAVIOUR == BEHAVIOUR_ECHO
    .asciz "echo: ready\n"
end_of_input_text:
    .asciz "\necho: end of input\n"
.elseif BEHAVIOUR == BEHAVIOUR_IDLE
    .asciz "harness.boot ok\r\ntessera: no runnable thread: idle\r\n"
.else
    .error "unknown BEHAVIOUR"
.endif

    .bss
    .balign 16
    .skip 4096
stack_top:

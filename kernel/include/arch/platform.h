// The arch interface that portable kernel code calls: console output and stopping the machine.
// kernel/arch/<arch>/ implements it; host tests link a fake (tests/host/).
#pragma once

namespace tessera::arch {

// Writes one byte to the kernel console. Callable at any time after early boot, with interrupts
// disabled; never blocks for long.
void console_put(char c);

// Stops the machine for good. Under QEMU with the isa-debug-exit device this ends QEMU with
// `status` (0 = success), which is how tests finish; elsewhere the CPU halts.
[[noreturn]] void exit_system(unsigned status);

} // namespace tessera::arch

// COM1 as the kernel console (implementation of arch::console_put).
#pragma once

namespace tessera::x86_64 {

// Programs COM1 for 115200 8N1 with FIFOs; call before the first console output.
void serial_init();

// A byte COM1 has received, or -1 when none is waiting (TESSERA_SysDebugGetChar).
int serial_try_get();

} // namespace tessera::x86_64

// Runtime start-up: constructors, the console hook, main(), exit.
#include <tessera/runtime.h>

#include <stdio.h>
#include <tessera/libc.h>

extern "C" {
void tessera_run_constructors(void);
}

namespace {

seL4_BootInfo* boot_info = nullptr;

void debug_console_put(void*, char c) { seL4_DebugPutChar(c); }

} // namespace

extern "C" seL4_BootInfo* tessera_boot_info(void) { return boot_info; }

extern "C" void tessera_exit(int status)
{
    if (status != 0)
        printf("exit status %d\n", status);
    seL4_DebugHalt();
    for (;;) {
    }
}

extern "C" [[noreturn]] void tessera_runtime_start(seL4_BootInfo* info)
{
    boot_info = info;
    tessera_set_output(debug_console_put, nullptr);
    tessera_run_constructors();
    tessera_exit(main());
}

// The default root task: greets through seL4_DebugPutChar and halts the system.
#include <stdio.h>
#include <tessera/runtime.h>

int main(void)
{
    printf("Hello from the Tessera root task, in user mode (BootInfo at %p)\n",
           static_cast<void*>(tessera_boot_info()));
    return 0;
}

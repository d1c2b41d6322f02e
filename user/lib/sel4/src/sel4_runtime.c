/* The two pieces of libsel4 state a program shares with its headers: the thread's IPC buffer
 * pointer (thread-local) and the BootInfo pointer the root task receives. */
#include <sel4/sel4.h>

__thread seL4_IPCBuffer* __sel4_ipc_buffer;

static seL4_BootInfo* boot_info;

void seL4_InitBootInfo(seL4_BootInfo* bi)
{
    boot_info = bi;
    seL4_SetIPCBuffer(bi->ipcBuffer);
}

seL4_BootInfo* seL4_GetBootInfo(void)
{
    return boot_info;
}

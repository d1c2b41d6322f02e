/* The child of the manager's 1,000 start/stop cycles (tests/system/manager): no runtime, no .bss,
 * one page of code. It starts and suspends its own thread, so a cycle costs the manager's own
 * work (reading the configuration, its ledger, the retypes, revoking the chunks) and not the
 * library OS's 1 MiB static heap, which a runtime-linked child maps page by page at every start
 * (systems/dynamic/sleeper.cc, started and stopped by the checks before the cycles). */
#include <sel4/sel4.h>

void _start(void)
{
    /* seL4_TCB_Suspend on its own TCB (the ELF loader's slot 1), by the raw system call: the
     * library's stubs keep error details in the IPC buffer through thread-local storage, which
     * this child has none of. A stray resume suspends it again. */
    for (;;) {
        seL4_Word badge = 0, info = 0, mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;
        x64_sys_send_recv(seL4_SysCall, seL4_CapInitThreadTCB, &badge,
                          seL4_MessageInfo_new(TCBSuspend, 0, 0, 0).words[0], &info, &mr0, &mr1,
                          &mr2, &mr3);
    }
}

/* The kernel interface of the library OS on the host: the same generated invocation stubs as in a
 * component, but the five calls beneath them (and the few system calls the libraries make
 * directly) are declared here and defined by the test program's fake kernel. */
#pragma once

#include <tessera/abi/abi.h>

extern "C" {
seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t info, seL4_Word* mr0,
                                    seL4_Word* mr1, seL4_Word* mr2, seL4_Word* mr3);
void seL4_SetMR(int i, seL4_Word value);
seL4_Word seL4_GetMR(int i);
void seL4_SetCap(int i, seL4_CPtr cap);
void seL4_Signal(seL4_CPtr notification);
void seL4_Wait(seL4_CPtr notification, seL4_Word* sender);
void seL4_SetIPCBuffer(seL4_IPCBuffer* buffer);
}

#include <interfaces/sel4_client.h>

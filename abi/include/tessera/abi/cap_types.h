/* Tessera ABI: the capability-pointer type names of seL4's invocation interface. Each is a
 * seL4_CPtr; the names say which object the invocation expects (libsel4 sel4/types.h). */
#pragma once

#include <tessera/abi/base.h>
#include <tessera/abi/x86.h>

typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_SchedContext;
typedef seL4_CPtr seL4_SchedControl;
typedef seL4_Uint64 seL4_Time;

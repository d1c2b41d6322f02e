/* libsel4 compatibility: BootInfo access. The runtime records the pointer the kernel passes
 * the root task (rdi at entry) with seL4_InitBootInfo; sel4_runtime defines both functions. */
#pragma once

#include <sel4/bootinfo_types.h>

#ifdef __cplusplus
extern "C" {
#endif

void seL4_InitBootInfo(seL4_BootInfo* bi);
seL4_BootInfo* seL4_GetBootInfo(void);

#ifdef __cplusplus
}
#endif

/* The user runtime's entry contract: a component defines main(); the runtime calls it with the
 * BootInfo (root task) and ends the program with its return value. */
#pragma once

#include <sel4/sel4.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Implemented by the program. */
int main(void);

/* The BootInfo the kernel passed to the root task (NULL for other components). */
seL4_BootInfo *tessera_boot_info(void);

/* The TSC read by the program's first instruction (crt0's _start). Under -icount shift=0 it
 * counts the instructions executed since reset, so in the root task it says how long the
 * kernel took to boot (bench/boot). */
uint64_t tessera_entry_tsc(void);

/* The TSC now (rdtsc), for timelines like the one above. */
uint64_t tessera_tsc_now(void);

/* Ends the program. The root task owns the machine: it prints a non-zero status and ends the
 * system with it through the exit device (an I/O port capability from its IOPortControl, so QEMU
 * exits with the status on Tessera's kernel and on seL4's alike; statuses above 109 become 109),
 * falling back to Tessera's tessera_DebugExit or seL4_DebugHalt when it has no I/O port control.
 * Any other process prints a non-zero status and suspends its initial thread
 * (seL4_CapInitThreadTCB of its own CSpace). */
__attribute__((noreturn)) void tessera_exit(int status);

#ifdef __cplusplus
}
#endif

// A child with two routes: route 0 to the echo child (a call), route 1 to the manager's static
// channel 1 (a notification to the tester). It signals the tester only when the echo answered
// right with a badge, and faults otherwise.
#include <sel4/sel4.h>
#include <stdint.h>
#include <stdio.h>

#include "child_slots.h"

int main(void)
{
    seL4_SetMR(0, 41);
    seL4_Call(MANAGER_CHILD_ROUTE_BASE + 0, seL4_MessageInfo_new(0, 0, 0, 1));
    const seL4_Word answer = seL4_GetMR(0), badge = seL4_GetMR(1);
    printf("asker: echo answered %lu with badge %lu\n", (unsigned long)answer, (unsigned long)badge);
    if (answer != 42 || badge == 0) {
        volatile uintptr_t address = 0x10;
        *reinterpret_cast<volatile int*>(address) = 1;
    }
    seL4_Signal(MANAGER_CHILD_ROUTE_BASE + 1);
    return 0;
}

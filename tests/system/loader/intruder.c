/* A protection domain that reads memory it was not given: the client's buffer address, which is
 * mapped only in the client. The kernel must report the fault with this PD's name and address and
 * the rest of the system must keep running. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>

#define CLIENT_BUFFER 0x4000000

void init(void)
{
    printf("intruder: reading 0x%x\n", CLIENT_BUFFER);
    const volatile uint64_t *stolen = (const volatile uint64_t *)CLIENT_BUFFER;
    printf("intruder: read 0x%lx: isolation is broken\n", (unsigned long)*stolen);
}

void notified(microkit_channel ch)
{
    (void)ch;
}

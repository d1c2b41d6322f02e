/* The echo example's server: a passive protection domain that runs only when called. It
 * upper-cases the message in the shared page and notifies the client after its reply. */
#include <stdint.h>
#include <microkit.h>

#define CLIENT 1

uintptr_t message; /* setvar_vaddr: the shared page, at this PD's own address */

void init(void)
{
    microkit_dbg_puts("server: ready\n");
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    if (ch != CLIENT || microkit_msginfo_get_label(msginfo) != 1)
        return microkit_msginfo_new(1, 0);
    char *buffer = (char *)message;
    const seL4_Word length = microkit_mr_get(0);
    seL4_Word changed = 0;
    for (seL4_Word i = 0; i < length && i < 0x1000; i++) {
        if (buffer[i] >= 'a' && buffer[i] <= 'z') {
            buffer[i] = (char)(buffer[i] - 'a' + 'A');
            changed++;
        }
    }
    microkit_mr_set(0, changed);
    /* Goes out when this entry point returns, with no system call of its own on MCS. */
    microkit_deferred_notify(CLIENT);
    return microkit_msginfo_new(0, 1);
}

void notified(microkit_channel ch)
{
}

/* The echo example's client: puts a message in the shared page, calls the server's protected
 * procedure with its length, and prints what came back. */
#include <stdint.h>
#include <microkit.h>

#define SERVER 0

/* Set by the tool (setvar_vaddr, setvar_size): uninitialised globals, as Microkit programs
 * declare them. */
uintptr_t message;
uint64_t message_size;

static const char text[] = "hello from the client";

void init(void)
{
    char *buffer = (char *)message;
    seL4_Word length = 0;
    while (text[length] != 0 && length + 1 < message_size) {
        buffer[length] = text[length];
        length++;
    }
    buffer[length] = 0;

    microkit_mr_set(0, length);
    microkit_msginfo reply = microkit_ppcall(SERVER, microkit_msginfo_new(1, 1));
    if (microkit_msginfo_get_label(reply) != 0) {
        microkit_dbg_puts("client: the server refused the call\n");
        return;
    }
    microkit_dbg_puts("client: the server changed ");
    microkit_dbg_put32((seL4_Uint32)microkit_mr_get(0));
    microkit_dbg_puts(" letters: ");
    microkit_dbg_puts(buffer);
    microkit_dbg_puts("\n");
}

void notified(microkit_channel ch)
{
    if (ch == SERVER)
        microkit_dbg_puts("client: notified by the server, done\n");
}

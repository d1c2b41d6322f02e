/* The example's server: answers the client's protected procedure call and its notification,
 * checking what arrives. Its checks print one line each; failures are reported to the client. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "protocol.h"

/* Set by `tessera build` from the map's setvar_vaddr (initialised: patched in .data). */
uintptr_t buffer = 1;

static unsigned failed;

static void check(const char *name, int ok)
{
    printf("%s: %s\n", name, ok ? "pass" : "FAIL");
    failed += ok ? 0 : 1;
}

void init(void)
{
    printf("server: %s ready, buffer at 0x%lx\n", microkit_name, (unsigned long)buffer);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    check("example.ppcall.arrives_on_channel", ch == CLIENT_CHANNEL);
    check("example.ppcall.label_and_count", microkit_msginfo_get_label(msginfo) == LABEL_MULTIPLY &&
                                                microkit_msginfo_get_count(msginfo) == 2);
    const seL4_Word product = microkit_mr_get(0) * microkit_mr_get(1);
    check("example.shared_memory.server_reads_client_text",
          strcmp((const char *)buffer, GREETING) == 0);
    microkit_mr_set(0, product);
    microkit_mr_set(1, failed);
    return microkit_msginfo_new(0, 2);
}

void notified(microkit_channel ch)
{
    const int ok = ch == CLIENT_CHANNEL;
    check("example.notify.reaches_server", ok);
    if (ok)
        microkit_notify(CLIENT_CHANNEL);
}

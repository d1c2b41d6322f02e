/* The example's client: writes the shared buffer, calls the server, notifies it and waits for its
 * answer, then prints the summary line the in-system test waits for. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "protocol.h"

uintptr_t buffer = 1;

static unsigned passed, failed;

static void check(const char *name, int ok)
{
    printf("%s: %s\n", name, ok ? "pass" : "FAIL");
    if (ok)
        passed++;
    else
        failed++;
}

void init(void)
{
    check("example.setvar.buffer_address", buffer == 0x4000000);
    check("example.microkit_name", strcmp(microkit_name, "client") == 0);
    check("example.microkit_channel_masks", microkit_notifications == 1u << SERVER_CHANNEL &&
                                                microkit_pps == 1u << SERVER_CHANNEL);
    strcpy((char *)buffer, GREETING);

    microkit_mr_set(0, 6);
    microkit_mr_set(1, 7);
    const microkit_msginfo reply = microkit_ppcall(SERVER_CHANNEL, microkit_msginfo_new(LABEL_MULTIPLY, 2));
    check("example.ppcall.reply", microkit_msginfo_get_count(reply) == 2 && microkit_mr_get(0) == 42);
    /* The server's three checks count here, so the summary covers both sides. */
    const seL4_Word server_failed = microkit_mr_get(1);
    passed += 3 - (unsigned)server_failed;
    failed += (unsigned)server_failed;

    microkit_notify(SERVER_CHANNEL);
}

void notified(microkit_channel ch)
{
    check("example.notify.reaches_client", ch == SERVER_CHANNEL);
    /* The server's notify check printed its own line before it notified back. */
    passed++;
    printf("%u passed, %u failed\n", passed, failed);
}

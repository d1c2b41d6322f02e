/* The serial client inside a Microkit protection domain: signals go out on the PD's channel to
 * the virtualiser, waiting is seL4_Wait on the PD's notification. Notifications for other
 * channels that arrive during such a wait are kept and handed to notified() when the blocking
 * call is done, so a client that blocks in a write loses no event. */
#include <microkit.h>
#include <tessera/libc.h>
#include <tessera/spec.h> /* TESSERA_BADGE_*: the badges a Tessera PD receives */
#include <tessera/serial_client.h>

/* Channels whose notifications arrived while a write or read waited. */
static seL4_Word pending_channels;
static int delivering;

static void microkit_signal(void *context)
{
    microkit_notify((microkit_channel)(uintptr_t)context);
}

static void microkit_wait(void *context)
{
    (void)context;
    seL4_Word badge = 0;
    seL4_Wait(MICROKIT_INPUT_CAP, &badge);
    if (badge & (TESSERA_BADGE_PPC | TESSERA_BADGE_FAULT)) {
        /* A PD that receives protected procedure calls waits on an endpoint: a call came in the
         * middle of a write and cannot be served here. Say so and answer it empty rather than
         * leave the caller blocked; such a PD must use TESSERA_SERIAL_DROP_WHEN_FULL. */
        microkit_dbg_puts(microkit_name);
        microkit_dbg_puts(": serial client: a protected procedure call came while a write "
                          "waited for room; use TESSERA_SERIAL_DROP_WHEN_FULL in this PD\n");
        if (badge & TESSERA_BADGE_PPC)
            seL4_Reply(microkit_msginfo_new(0, 0));
        return;
    }
    pending_channels |= badge; /* its own channel too: input may have come with it */
}

/* Delivers the kept notifications, lowest channel first. Not re-entered: a notified() that
 * blocks again only adds to the set this loop is draining. */
static void microkit_waited(void *context)
{
    (void)context;
    if (delivering)
        return;
    delivering = 1;
    while (pending_channels != 0) {
        const microkit_channel ch = (microkit_channel)__builtin_ctzll(pending_channels);
        pending_channels &= pending_channels - 1;
        notified(ch);
    }
    delivering = 0;
}

struct tessera_serial_client_ops tessera_serial_client_microkit_ops(unsigned int channel)
{
    const struct tessera_serial_client_ops ops = {
        .signal = microkit_signal,
        .wait = microkit_wait,
        .waited = microkit_waited,
        .context = (void *)(uintptr_t)channel,
    };
    return ops;
}

int tessera_serial_client_init_microkit(struct tessera_serial_client *client, void *tx_region,
                                        size_t tx_bytes, void *rx_region, size_t rx_bytes,
                                        unsigned int channel)
{
    const struct tessera_serial_client_ops ops = tessera_serial_client_microkit_ops(channel);
    return tessera_serial_client_init(client, tx_region, tx_bytes, rx_region, rx_bytes, &ops,
                                      TESSERA_SERIAL_WAIT_WHEN_FULL);
}

void tessera_serial_client_use_for_stdio(struct tessera_serial_client *client)
{
    tessera_set_output(tessera_serial_client_put, client);
}

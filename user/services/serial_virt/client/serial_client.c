/* The portable part of the serial client: line buffering, whole lines into the transmit ring,
 * waiting or dropping when it is full, reading input, and recovery from a peer that breaks the
 * ring indices. No system calls: the peer is reached through the ops the caller gave. */
#include <tessera/serial_client.h>

static void signal_peer(struct tessera_serial_client *client)
{
    client->ops.signal(client->ops.context);
}

/* Rings are checked on every call; a broken one is adopted as the peer left it and counted. */
static void recover_tx(struct tessera_serial_client *client)
{
    client->corrupt_events++;
    tessera_serial_resynchronise_producer(&client->tx);
}

/* Puts `length` bytes into the transmit ring as one piece when they fit in the ring at all, so
 * that the virtualiser never sees half a line; waits or drops as the policy says. */
static void send(struct tessera_serial_client *client, const char *bytes, uint32_t length)
{
    int waited = 0;
    uint32_t done = 0;
    while (done < length) {
        const uint32_t wanted = length - done;
        const long space = tessera_serial_free_space(&client->tx);
        if (space < 0) {
            recover_tx(client);
            client->dropped_bytes += wanted;
            break;
        }
        /* Whole or not at all, unless the piece is larger than the ring can ever hold. */
        if ((uint32_t)space >= wanted || (space > 0 && wanted > client->tx.capacity)) {
            const long written = tessera_serial_write(&client->tx, bytes + done, wanted);
            if (written < 0) {
                recover_tx(client);
                client->dropped_bytes += wanted;
                break;
            }
            done += (uint32_t)written;
            continue;
        }
        if (client->policy == TESSERA_SERIAL_DROP_WHEN_FULL) {
            client->dropped_bytes += wanted;
            break;
        }
        /* Wake the peer if it sleeps and this call gave it bytes, so that it drains the ring
         * (earlier calls signalled for theirs); then sleep until it has made room. */
        if (done > 0 && tessera_serial_producer_signal_needed(&client->tx))
            signal_peer(client);
        const int sleep = tessera_serial_producer_prepare_to_sleep(&client->tx, wanted);
        if (sleep < 0) {
            recover_tx(client);
            continue;
        }
        if (sleep == 1) {
            client->ops.wait(client->ops.context);
            waited = 1;
        }
    }
    /* Only when bytes went in: a signal for nothing would be answered by one. */
    if (done > 0 && tessera_serial_producer_signal_needed(&client->tx))
        signal_peer(client);
    if (waited && client->ops.waited != 0)
        client->ops.waited(client->ops.context);
}

static void send_line(struct tessera_serial_client *client)
{
    const uint32_t length = client->line_length;
    client->line_length = 0;
    if (length != 0)
        send(client, client->line, length);
}

int tessera_serial_client_init(struct tessera_serial_client *client, void *tx_region,
                               size_t tx_bytes, void *rx_region, size_t rx_bytes,
                               const struct tessera_serial_client_ops *ops,
                               enum tessera_serial_full_policy policy)
{
    *client = (struct tessera_serial_client){0};
    if (ops == 0 || ops->signal == 0 || ops->wait == 0)
        return TESSERA_SERIAL_BAD_REGION;
    const int tx = tessera_serial_attach_producer(&client->tx, tx_region, tx_bytes);
    const int rx = tessera_serial_attach_consumer(&client->rx, rx_region, rx_bytes);
    if (tx != TESSERA_SERIAL_OK || rx != TESSERA_SERIAL_OK)
        return TESSERA_SERIAL_BAD_REGION;
    client->ops = *ops;
    client->policy = policy;
    /* Ask for a signal on the first input; whatever is already there is read on the first call. */
    if (tessera_serial_consumer_prepare_to_sleep(&client->rx) < 0) {
        client->corrupt_events++;
        tessera_serial_resynchronise_consumer(&client->rx);
    }
    return TESSERA_SERIAL_OK;
}

long tessera_serial_client_write(struct tessera_serial_client *client, const void *bytes,
                                 size_t length)
{
    const char *text = (const char *)bytes;
    for (size_t i = 0; i < length; ++i) {
        client->line[client->line_length++] = text[i];
        if (text[i] == '\n' || client->line_length == TESSERA_SERIAL_CLIENT_LINE_MAX)
            send_line(client);
    }
    return (long)length;
}

void tessera_serial_client_flush(struct tessera_serial_client *client)
{
    send_line(client);
}

long tessera_serial_client_read(struct tessera_serial_client *client, void *bytes, size_t length)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        const long count = tessera_serial_read(&client->rx, bytes, length);
        if (count < 0) {
            client->corrupt_events++;
            tessera_serial_resynchronise_consumer(&client->rx);
            continue;
        }
        if (count > 0) {
            if (tessera_serial_consumer_signal_needed(&client->rx))
                signal_peer(client);
            return count;
        }
        /* Nothing: ask for a signal, unless input slipped in meanwhile (then read it now). */
        const int sleep = tessera_serial_consumer_prepare_to_sleep(&client->rx);
        if (sleep == 1)
            return 0;
        if (sleep < 0) {
            client->corrupt_events++;
            tessera_serial_resynchronise_consumer(&client->rx);
        }
    }
    return 0;
}

long tessera_serial_client_read_wait(struct tessera_serial_client *client, void *bytes,
                                     size_t length)
{
    if (length == 0)
        return 0;
    int waited = 0;
    long count;
    while ((count = tessera_serial_client_read(client, bytes, length)) == 0) {
        client->ops.wait(client->ops.context);
        waited = 1;
    }
    if (waited && client->ops.waited != 0)
        client->ops.waited(client->ops.context);
    return count;
}

void tessera_serial_client_put(void *context, char c)
{
    tessera_serial_client_write((struct tessera_serial_client *)context, &c, 1);
}

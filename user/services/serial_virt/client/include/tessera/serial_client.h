/* The client end of a serial connection (tessera/queue/serial.h): what a protection domain links
 * to print lines and read input through the serial virtualiser (or straight through the UART
 * driver, which speaks the same protocol). C11 and C++20. docs/drivers.md ("Serial") shows a
 * whole client; in short:
 *
 *   static struct tessera_serial_client serial;
 *   void init(void) {
 *       tessera_serial_client_init_microkit(&serial, (void *)serial_tx, 0x1000,
 *                                           (void *)serial_rx, 0x1000, SERIAL_CHANNEL);
 *       tessera_serial_client_use_for_stdio(&serial);   // printf now goes to the virtualiser
 *       printf("hello\n");
 *       notified(SERIAL_CHANNEL);   // input may have come before this PD ran: read it
 *   }
 *   void notified(microkit_channel ch) {
 *       char buffer[64];
 *       long n;
 *       while ((n = tessera_serial_client_read(&serial, buffer, sizeof buffer)) > 0)
 *           handle(buffer, n);     // when read returns 0, the next input brings a notification
 *   }
 *
 * Output is line-buffered: bytes collect in the client until a newline, a full buffer
 * (TESSERA_SERIAL_CLIENT_LINE_MAX) or tessera_serial_client_flush(), then go into the ring whole,
 * so the virtualiser sees complete lines and a prompt needs a flush. */
#ifndef TESSERA_SERIAL_CLIENT_H
#define TESSERA_SERIAL_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/queue/serial.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TESSERA_SERIAL_CLIENT_LINE_MAX 256u

/* What a write does when the transmit ring has no room. */
enum tessera_serial_full_policy {
    /* Wait for the virtualiser to make room (the Microkit binding waits on the PD's notification,
     * so only for PDs that do not receive protected procedure calls). */
    TESSERA_SERIAL_WAIT_WHEN_FULL = 0,
    /* Drop what does not fit and count it (for servers, and anything that must never block). */
    TESSERA_SERIAL_DROP_WHEN_FULL = 1,
};

/* How the client reaches its peer. The Microkit binding fills these in; tests use fakes. */
struct tessera_serial_client_ops {
    void (*signal)(void *context);  /* notify the peer (microkit_notify on the channel) */
    void (*wait)(void *context);    /* block until the peer signals */
    void (*waited)(void *context);  /* optional: called once a blocking call has finished waiting */
    void *context;
};

struct tessera_serial_client {
    struct tessera_serial_ring tx; /* this client produces */
    struct tessera_serial_ring rx; /* this client consumes */
    struct tessera_serial_client_ops ops;
    enum tessera_serial_full_policy policy;
    uint32_t line_length;
    char line[TESSERA_SERIAL_CLIENT_LINE_MAX];
    uint64_t dropped_bytes;  /* output lost under TESSERA_SERIAL_DROP_WHEN_FULL */
    uint64_t corrupt_events; /* times the peer's indices were found broken (and resynchronised) */
};

/* Attaches to the two mapped ring regions (64-byte aligned; capacity from their sizes) and asks
 * for a signal on the next input. Input that came earlier brings no signal: read until
 * tessera_serial_client_read returns 0 once after init. Returns TESSERA_SERIAL_OK or
 * TESSERA_SERIAL_BAD_REGION. */
int tessera_serial_client_init(struct tessera_serial_client *client, void *tx_region,
                               size_t tx_bytes, void *rx_region, size_t rx_bytes,
                               const struct tessera_serial_client_ops *ops,
                               enum tessera_serial_full_policy policy);

/* Buffers `length` bytes; each completed line (and each full buffer) goes to the ring. Returns
 * `length`: with TESSERA_SERIAL_DROP_WHEN_FULL, bytes that found no room are counted in
 * dropped_bytes instead. */
long tessera_serial_client_write(struct tessera_serial_client *client, const void *bytes,
                                 size_t length);

/* Sends the buffered partial line (a prompt, an echo) and signals the peer. */
void tessera_serial_client_flush(struct tessera_serial_client *client);

/* Up to `length` bytes of input, without waiting. 0 means none now; the peer has then been asked
 * to signal when input arrives. A broken ring is resynchronised and reads as 0. */
long tessera_serial_client_read(struct tessera_serial_client *client, void *bytes,
                                size_t length);

/* Like tessera_serial_client_read, but waits (ops.wait) until at least one byte is there. */
long tessera_serial_client_read_wait(struct tessera_serial_client *client, void *bytes,
                                     size_t length);

/* A tessera_put_fn: one byte through the client (`context` is the client). */
void tessera_serial_client_put(void *context, char c);

/* ---- Microkit binding (user/services/serial_virt/client/serial_client_microkit.c) ---- */

/* tessera_serial_client_init with ops that signal `channel` and wait on the PD's notification,
 * policy TESSERA_SERIAL_WAIT_WHEN_FULL. Notifications for other channels that arrive while it
 * waits are kept and handed to notified() once the blocking call is done. */
int tessera_serial_client_init_microkit(struct tessera_serial_client *client, void *tx_region,
                                        size_t tx_bytes, void *rx_region, size_t rx_bytes,
                                        unsigned int channel);

/* The ops tessera_serial_client_init_microkit uses, for tessera_serial_client_init with another
 * policy: a PD that receives protected procedure calls (its notification comes through an
 * endpoint, where a call could arrive while a write waits) takes these with
 * TESSERA_SERIAL_DROP_WHEN_FULL. */
struct tessera_serial_client_ops tessera_serial_client_microkit_ops(unsigned int channel);

/* Sends printf, puts and putchar through the client (tessera_set_output). */
void tessera_serial_client_use_for_stdio(struct tessera_serial_client *client);

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_SERIAL_CLIENT_H */

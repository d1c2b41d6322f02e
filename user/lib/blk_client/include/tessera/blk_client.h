/* The client end of a block connection (tessera/queue/block.h), for a program that uses a
 * virtual disk served by the block virtualiser: submit requests that point into the data
 * region, tell the server, take responses. C11 and C++20; docs/drivers.md has a full example.
 *
 *   struct tessera_blk_client disk;
 *   tessera_blk_client_init(&disk, queue_region, 128, data_region, data_size, notify, &channel);
 *   ...in notified(), until tessera_blk_client_connect(&disk) returns 1; then if
 *   tessera_blk_client_ready(&disk):
 *   struct tessera_blk_request read = {TESSERA_BLK_READ, 1, block, 0, id, 0};
 *   tessera_blk_client_submit(&disk, &read);
 *   tessera_blk_client_publish(&disk);              -- notifies the server if it sleeps
 *   ...in notified(), the client loop (sleep only once the server is armed to notify):
 *   struct tessera_blk_response r;
 *   do {
 *       while (tessera_blk_client_take(&disk, &r) == 1) handle(r);
 *       tessera_blk_client_publish(&disk);
 *   } while (!tessera_blk_client_prepare_to_wait(&disk));
 *
 * The library keeps no request state: ids are the caller's. One thread per connection. */
#ifndef TESSERA_BLK_CLIENT_H
#define TESSERA_BLK_CLIENT_H

#include <stdint.h>

#include <tessera/queue/block.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*tessera_blk_notify_fn)(void *context);

struct tessera_blk_client {
    void *queue_region;     /* the mapped queue region */
    uint32_t capacity;      /* slots per queue, from the system description */
    uint8_t *data;          /* the mapped data region */
    uint64_t data_size;     /* its size in bytes */
    tessera_blk_notify_fn notify; /* signals the server (e.g. microkit_notify on its channel) */
    void *context;          /* passed to notify */
};

enum tessera_blk_client_result {
    TESSERA_BLK_CLIENT_OK = 0,
    TESSERA_BLK_CLIENT_FULL = 1,      /* the request queue is full: take responses, try again */
    TESSERA_BLK_CLIENT_BAD_ARGUMENT = 2, /* capacity not a power of two >= 4, null region */
    TESSERA_BLK_CLIENT_BROKEN = 3,    /* the server corrupted a queue index */
};

/* Sets up the client's view; touches no shared memory. */
int tessera_blk_client_init(struct tessera_blk_client *client, void *queue_region, uint32_t capacity,
                            void *data, uint64_t data_size, tessera_blk_notify_fn notify,
                            void *context);

/* The server's handshake (tessera/queue/block.h): 0 while the server is starting; once it is up
 * (ready or failed), acknowledges its generation if new, which empties both queues and
 * notifies the server, and returns 1. Call before the first request, and again whenever
 * tessera_blk_client_restarted() says the server restarted (requests outstanding then are
 * lost: submit them again after connecting). */
int tessera_blk_client_connect(struct tessera_blk_client *client);
int tessera_blk_client_restarted(const struct tessera_blk_client *client);

/* The server's info page: ready (1) once connected to a usable disk; then its size and flags. */
int tessera_blk_client_ready(const struct tessera_blk_client *client);
int tessera_blk_client_failed(const struct tessera_blk_client *client);
uint64_t tessera_blk_client_capacity(const struct tessera_blk_client *client); /* blocks */
int tessera_blk_client_read_only(const struct tessera_blk_client *client);
uint32_t tessera_blk_client_max_count(const struct tessera_blk_client *client);
/* The name the server gave the disk (partition name or disk name), NUL-terminated. */
const char *tessera_blk_client_name(const struct tessera_blk_client *client);

/* Queues one request (not yet signalled). OK, FULL or BROKEN. */
int tessera_blk_client_submit(struct tessera_blk_client *client,
                              const struct tessera_blk_request *request);

/* After one or more submits or takes: notifies the server if it sleeps (and only then). */
void tessera_blk_client_publish(struct tessera_blk_client *client);

/* Takes the oldest response: 1 with *response filled, 0 when none is waiting, -1 when the
 * server corrupted the response queue. */
int tessera_blk_client_take(struct tessera_blk_client *client, struct tessera_blk_response *response);

/* Before waiting for a notification: 1 if nothing is waiting (wait now), 0 if responses
 * arrived meanwhile (take them instead). Asks the server to notify on its next response. */
int tessera_blk_client_prepare_to_wait(struct tessera_blk_client *client);

/* The byte at `offset` in the data region, or NULL when `bytes` from there leave it. */
void *tessera_blk_client_buffer(const struct tessera_blk_client *client, uint64_t offset,
                                uint64_t bytes);

/* A blocking transfer for simple clients with nothing else outstanding: submits, publishes,
 * and calls wait(context) (which must return after the server's next notification, e.g. an
 * seL4_Wait on the PD's notification) until the response with this id arrives. Responses with
 * other ids are dropped. Returns the response's status (enum tessera_blk_status), or
 * TESSERA_BLK_ERROR_NO_DEVICE when the queues are broken. */
int tessera_blk_client_transfer(struct tessera_blk_client *client,
                                const struct tessera_blk_request *request,
                                void (*wait)(void *context), void *wait_context,
                                struct tessera_blk_response *response);

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_BLK_CLIENT_H */

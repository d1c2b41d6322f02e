/* The block protocol: how a client (a file system, a test), the block virtualiser and the block
 * driver exchange requests over single-producer single-consumer queues (after sDDF's blk queues).
 * C11 and C++20; this header is the one description of the layout, docs/drivers.md explains it.
 *
 * One connection is two memory regions the two sides both map:
 *   - the queue region: an info page the server writes (capacity, state, restarts), then the
 *     request queue (client produces, server consumes), then the response queue (server
 *     produces, client consumes), each a tessera::queue control block and its ring;
 *   - the data region: the buffers requests point into, by byte offset from its start.
 * The unit of transfer is a block of TESSERA_BLK_BLOCK_SIZE bytes. On the virtualiser's
 * connection to the driver, `offset` is the buffer's physical (DMA) address instead: the driver
 * maps no data at all, the device reads and writes the clients' buffers directly. */
#ifndef TESSERA_QUEUE_BLOCK_H
#define TESSERA_QUEUE_BLOCK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define TESSERA_BLK_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define TESSERA_BLK_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#define TESSERA_BLK_BLOCK_SIZE 4096u
#define TESSERA_BLK_SECTOR_SIZE 512u /* what partition tables and virtio count in */
#define TESSERA_BLK_SECTORS_PER_BLOCK (TESSERA_BLK_BLOCK_SIZE / TESSERA_BLK_SECTOR_SIZE)

/* 0 is no code, so a zeroed slot is never a valid request. */
enum tessera_blk_code {
    TESSERA_BLK_READ = 1,    /* count blocks from block into the buffer */
    TESSERA_BLK_WRITE = 2,   /* count blocks from the buffer to block */
    TESSERA_BLK_FLUSH = 3,   /* writes completed before it are durable when it completes */
    TESSERA_BLK_BARRIER = 4, /* a flush that also orders: every request before it completes
                                before any request after it starts */
};

enum tessera_blk_status {
    TESSERA_BLK_OK = 0,
    TESSERA_BLK_ERROR_RANGE = 1,     /* blocks past the end of the disk (or partition) */
    TESSERA_BLK_ERROR_BUFFER = 2,    /* offset and count leave the data region */
    TESSERA_BLK_ERROR_IO = 3,        /* the device failed the request */
    TESSERA_BLK_ERROR_READ_ONLY = 4, /* a write to a read-only disk */
    TESSERA_BLK_ERROR_INVALID = 5,   /* unknown code, count 0 or above max_count */
    TESSERA_BLK_ERROR_NO_DEVICE = 6, /* the disk (or partition) is not available */
};

struct tessera_blk_request {
    uint32_t code;   /* enum tessera_blk_code */
    uint32_t count;  /* blocks; 0 for FLUSH and BARRIER */
    uint64_t block;  /* first block, counted from the start of this client's disk */
    uint64_t offset; /* bytes from the start of the data region (a DMA address for the driver) */
    uint32_t id;     /* the client's tag, handed back unchanged */
    uint32_t reserved;
};
TESSERA_BLK_ASSERT(sizeof(struct tessera_blk_request) == 32, "a block request is 32 bytes");

struct tessera_blk_response {
    uint32_t status;    /* enum tessera_blk_status */
    uint32_t completed; /* blocks transferred: count on success, 0 otherwise */
    uint32_t id;        /* the request's id */
    uint32_t reserved;
};
TESSERA_BLK_ASSERT(sizeof(struct tessera_blk_response) == 16, "a block response is 16 bytes");

/* The first page of the queue region, written by the server except client_generation. */
#define TESSERA_BLK_INFO_MAGIC 0x4b4c4254u /* "TBLK" */

enum tessera_blk_state {
    TESSERA_BLK_STATE_STARTING = 0, /* zeroed memory: not ready yet */
    TESSERA_BLK_STATE_READY = 1,    /* capacity and flags are valid; requests are served */
    TESSERA_BLK_STATE_FAILED = 2,   /* no disk: every request gets ERROR_NO_DEVICE */
};

#define TESSERA_BLK_FLAG_READ_ONLY 1u

struct tessera_blk_info {
    uint32_t magic;          /* TESSERA_BLK_INFO_MAGIC once written */
    uint32_t state;          /* enum tessera_blk_state */
    uint64_t capacity;       /* blocks */
    uint32_t flags;          /* TESSERA_BLK_FLAG_* */
    uint32_t max_count;      /* the largest count one request may carry */
    /* Restart handshake: a server that (re)starts resets its device, increments
     * server_generation and notifies; until the client has written the same value into
     * client_generation (after emptying and resetting both queues), the server takes no
     * requests. Every request the client had outstanding then is lost and must be sent again. */
    uint32_t server_generation;
    uint32_t client_generation;
    char name[48];           /* the disk's or partition's name, NUL-terminated */
};
TESSERA_BLK_ASSERT(sizeof(struct tessera_blk_info) == 80, "the info block is 80 bytes");

/* Layout of the queue region for `capacity` slots per queue (a power of two, both sides agree
 * through the system description): each queue is a 128-byte control block and its ring. */
#define TESSERA_BLK_INFO_BYTES 4096u
#define TESSERA_BLK_QUEUE_CONTROL_BYTES 128u
#define TESSERA_BLK_REQUEST_QUEUE_OFFSET TESSERA_BLK_INFO_BYTES
#define TESSERA_BLK_REQUEST_QUEUE_BYTES(capacity) \
    (TESSERA_BLK_QUEUE_CONTROL_BYTES + (uint64_t)(capacity) * sizeof(struct tessera_blk_request))
#define TESSERA_BLK_RESPONSE_QUEUE_OFFSET(capacity) \
    (TESSERA_BLK_REQUEST_QUEUE_OFFSET + TESSERA_BLK_REQUEST_QUEUE_BYTES(capacity))
#define TESSERA_BLK_RESPONSE_QUEUE_BYTES(capacity) \
    (TESSERA_BLK_QUEUE_CONTROL_BYTES + (uint64_t)(capacity) * sizeof(struct tessera_blk_response))
#define TESSERA_BLK_QUEUE_REGION_BYTES(capacity) \
    (TESSERA_BLK_RESPONSE_QUEUE_OFFSET(capacity) + TESSERA_BLK_RESPONSE_QUEUE_BYTES(capacity))

/* The capacity both ends of a connection use: the largest power of two from 4 to 1024 whose
 * queue region fits `region_bytes` (the region's size, which both learn from the description),
 * or 0 when not even 4 slots fit. */
static inline uint32_t tessera_blk_queue_capacity(uint64_t region_bytes)
{
    uint32_t capacity = 0;
    for (uint32_t c = 4; c <= 1024 && TESSERA_BLK_QUEUE_REGION_BYTES(c) <= region_bytes; c *= 2)
        capacity = c;
    return capacity;
}

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_QUEUE_BLOCK_H */

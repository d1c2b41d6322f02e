/* A client of the block virtualiser (systems/block.system): it writes a recognisable block at
 * both ends of its virtual disk, reads them back, and shows that it cannot reach past its end,
 * then reports to the monitor. Everything goes through the block client library
 * (tessera/blk_client.h): requests point into the client's data region, the virtualiser checks
 * them and the device moves the data straight into or out of that region. */
#include <microkit.h>
#include <stdio.h>
#include <string.h>

#include <tessera/blk_client.h>

#include "checks.h"
#include "protocol.h"

#define VIRTUALISER 0
#define MONITOR 1

/* Set by the system description. */
uintptr_t blk_queue = 1, blk_data = 1, results = 1;
uint64_t blk_queue_size = 1, blk_data_size = 1;
char label[16] = "?";          /* "a" or "b": this client's slot and pattern */

static struct tessera_blk_client disk;
static int step;
static uint64_t last_block;
static unsigned answers;

static void notify_virtualiser(void *context)
{
    (void)context;
    microkit_notify(VIRTUALISER);
}


/* Block `block` of this client's disk as it writes it: "client LABEL, block N" NUL-padded to 64
 * bytes, then the label's letter (tests/system/block/make_disk.py checks the disk for this). */
static void fill(uint8_t *buffer, uint64_t block)
{
    memset(buffer, 0, 64);
    snprintf((char *)buffer, 64, "client %s, block %llu", label, (unsigned long long)block);
    memset(buffer + 64, label[0], TESSERA_BLK_BLOCK_SIZE - 64);
}

static void submit(uint32_t code, uint64_t block, uint64_t offset, uint32_t id)
{
    const struct tessera_blk_request request = {code, code == TESSERA_BLK_FLUSH ? 0 : 1, block, offset, id, 0};
    if (tessera_blk_client_submit(&disk, &request) != TESSERA_BLK_CLIENT_OK)
        check("block.client.queue_has_room", 0);
}

static void report(void)
{
    block_results_record(results, label, check_counts.passed, check_counts.failed);
    microkit_notify(MONITOR);
}

static void advance(const struct tessera_blk_response *response)
{
    uint8_t *data = (uint8_t *)blk_data;
    uint8_t expected[TESSERA_BLK_BLOCK_SIZE];
    switch (step) {
    case 1: /* both writes and the flush */
        if (++answers < 3)
            return;
        answers = 0;
        memset(data, 0, 2 * TESSERA_BLK_BLOCK_SIZE);
        submit(TESSERA_BLK_READ, 0, 0, 10);
        submit(TESSERA_BLK_READ, last_block, TESSERA_BLK_BLOCK_SIZE, 11);
        /* One block past the end of this client's disk: the virtualiser refuses it. */
        submit(TESSERA_BLK_READ, last_block + 1, 0, 12);
        step = 2;
        return;
    case 2:
        if (response->id == 12) {
            printf("%s: reading past the end: status %u\n", microkit_name, response->status);
            check("block.client.past_the_end_refused", response->status == TESSERA_BLK_ERROR_RANGE);
        } else {
            check("block.client.read_ok", response->status == TESSERA_BLK_OK && response->completed == 1);
        }
        if (++answers < 3)
            return;
        fill(expected, 0);
        check("block.client.first_block_reads_back", memcmp(data, expected, sizeof expected) == 0);
        fill(expected, last_block);
        check("block.client.last_block_reads_back",
              memcmp(data + TESSERA_BLK_BLOCK_SIZE, expected, sizeof expected) == 0);
        printf("%s: wrote and read back blocks 0 and %llu: \"%s\"\n", microkit_name,
               (unsigned long long)last_block, (char *)data);
        step = 3;
        report();
        return;
    default:
        return;
    }
}

static void start(void)
{
    uint8_t *data = (uint8_t *)blk_data;
    const uint64_t blocks = tessera_blk_client_capacity(&disk);
    printf("%s: disk '%s', %llu blocks of 4 KiB%s\n", microkit_name, tessera_blk_client_name(&disk),
           (unsigned long long)blocks, tessera_blk_client_read_only(&disk) ? ", read-only" : "");
    check("block.client.disk_ready", blocks > 0);
    last_block = blocks - 1;
    fill(data, 0);
    fill(data + TESSERA_BLK_BLOCK_SIZE, last_block);
    submit(TESSERA_BLK_WRITE, 0, 0, 1);
    submit(TESSERA_BLK_WRITE, last_block, TESSERA_BLK_BLOCK_SIZE, 2);
    submit(TESSERA_BLK_FLUSH, 0, 0, 3);
    step = 1;
}

void init(void)
{
    if (tessera_blk_client_init(&disk, (void *)blk_queue, tessera_blk_queue_capacity(blk_queue_size), (void *)blk_data,
                                blk_data_size, notify_virtualiser, 0) != TESSERA_BLK_CLIENT_OK)
        check("block.client.configured", 0);
}

void notified(microkit_channel ch)
{
    if (ch != VIRTUALISER)
        return;
    if (step == 0) {
        if (!tessera_blk_client_connect(&disk))
            return; /* the virtualiser is still reading the partition table */
        if (tessera_blk_client_failed(&disk)) {
            printf("%s: no disk: %s\n", microkit_name, tessera_blk_client_name(&disk));
            check("block.client.disk_ready", 0);
            step = 3;
            report();
            return;
        }
        if (!tessera_blk_client_ready(&disk))
            return;
        start();
    }
    /* The client loop: take every answer, tell the virtualiser about new requests, and sleep only
     * once it is armed to notify (an answer that came meanwhile is taken first). */
    struct tessera_blk_response response;
    do {
        while (tessera_blk_client_take(&disk, &response) == 1)
            advance(&response);
        tessera_blk_client_publish(&disk);
    } while (!tessera_blk_client_prepare_to_wait(&disk));
}

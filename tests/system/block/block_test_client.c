/* The block suites' client (tests/system/block): one program, several behaviours chosen by the
 * `mode` string the system description sets.
 *   pattern   writes every block of its disk (8 blocks a request, 16 requests in flight), a
 *             barrier, reads them all back and compares, then sends bad requests and expects
 *             each refused with its error
 *   restart   the same stream, asking the driver's parent (channel 2) to kill and restart the
 *             driver mid-stream; every request must be answered exactly once
 *   storm     floods 4096 1-block reads, its queue always full, beside a pattern partner
 *   readonly  expects writes refused, reads served (the seed the disk was made with)
 *   faulty    writes every block; the disk fails writes to blocks 64-127 (QEMU's blkdebug)
 *   nodisk    expects no disk, with a reason
 *   corrupt   sends a few reads, then writes an impossible tail into its request queue (more
 *             requests than the ring holds): the virtualiser must stop serving it alone
 * Block b as written: "client LABEL, block b", NUL-padded to 64 bytes, then the LABEL byte
 * (tests/system/block/make_disk.py checks the image afterwards). */
#include <microkit.h>
#include <stdio.h>
#include <string.h>

#include <tessera/blk_client.h>

#include "checks.h"
#include "protocol.h"

#define VIRTUALISER 0
#define MONITOR 1
#define SUPERVISOR 2

#define PER_REQUEST 8u  /* blocks */
#define WINDOW 16u      /* requests in flight */
#define MAX_REQUESTS 4096u

uintptr_t blk_queue = 1, blk_data = 1, results = 1;
uint64_t blk_queue_size = 1, blk_data_size = 1;
char label[16] = "?";
char mode[16] = "pattern";

static struct tessera_blk_client disk;
static uint64_t blocks;
static enum { Connecting, Writing, Barrier, Reading, Bad, Storm, Done } phase;
static uint32_t next_request, answered, requests_in_phase, in_flight;
static uint8_t answers[MAX_REQUESTS];   /* per request id in the phase: times answered */
static uint32_t errors[8];               /* per status */
static int asked_for_restart;

static void notify_virtualiser(void *context)
{
    (void)context;
    microkit_notify(VIRTUALISER);
}


static int is(const char *wanted) { return strcmp(mode, wanted) == 0; }

static void fill(uint8_t *buffer, uint64_t block)
{
    memset(buffer, 0, 64);
    snprintf((char *)buffer, 64, "client %s, block %llu", label, (unsigned long long)block);
    memset(buffer + 64, label[0], TESSERA_BLK_BLOCK_SIZE - 64);
}

static int seeded(const uint8_t *buffer, uint64_t block)
{
    (void)block;
    return memcmp(buffer, "seed ", 5) == 0 && buffer[TESSERA_BLK_BLOCK_SIZE - 1] == 0x5e;
}

/* Each request in flight has its own buffer: one of WINDOW slots of PER_REQUEST blocks in the
 * data region, taken when it is sent and given back when it is answered (answers come in any
 * order, so a slot is free only once its own request is done). */
static uint8_t slot_of[MAX_REQUESTS];
static uint32_t free_slots = (1u << WINDOW) - 1;

static uint32_t take_slot(uint32_t id)
{
    const uint32_t slot = (uint32_t)__builtin_ctz(free_slots);
    free_slots &= ~(1u << slot);
    slot_of[id] = (uint8_t)slot;
    return slot;
}

static uint64_t slot_offset(uint32_t id)
{
    return (uint64_t)slot_of[id] * PER_REQUEST * TESSERA_BLK_BLOCK_SIZE;
}

static void send(uint32_t code, uint64_t block, uint32_t count, uint64_t offset, uint32_t id)
{
    const struct tessera_blk_request request = {code, count, block, offset, id, 0};
    if (tessera_blk_client_submit(&disk, &request) == TESSERA_BLK_CLIENT_OK)
        ++in_flight;
    else
        check("block.client.queue_has_room", 0);
}

static void start_phase(int next, uint32_t requests)
{
    phase = next;
    next_request = answered = in_flight = 0;
    requests_in_phase = requests;
    memset(answers, 0, sizeof answers);
    memset(errors, 0, sizeof errors);
}

/* Keeps WINDOW requests of the streaming phases in flight. */
static void refill(void)
{
    uint8_t *data = (uint8_t *)blk_data;
    if (phase != Writing && phase != Reading && phase != Storm)
        return; /* the barrier and the bad requests are sent once, by finish_phase */
    while (in_flight < WINDOW && next_request < requests_in_phase) {
        const uint32_t id = next_request++;
        take_slot(id);
        const uint64_t first = (uint64_t)id * PER_REQUEST;
        const uint32_t count = first + PER_REQUEST <= blocks ? PER_REQUEST : (uint32_t)(blocks - first);
        if (phase == Writing) {
            for (uint32_t b = 0; b < count; ++b)
                fill(data + slot_offset(id) + b * TESSERA_BLK_BLOCK_SIZE, first + b);
            send(TESSERA_BLK_WRITE, first, count, slot_offset(id), id);
        } else if (phase == Reading) {
            memset(data + slot_offset(id), 0, (uint64_t)count * TESSERA_BLK_BLOCK_SIZE);
            send(TESSERA_BLK_READ, first, count, slot_offset(id), id);
        } else if (phase == Storm) {
            send(TESSERA_BLK_READ, id % blocks, 1, slot_offset(id), id);
        }
    }
}

static void report(void)
{
    block_results_record(results, label, check_counts.passed, check_counts.failed);
    microkit_notify(MONITOR);
    phase = Done;
}

/* The bad requests of the pattern mode, each with the status it must get. */
static const struct {
    const char *name;
    struct tessera_blk_request request;
    uint32_t status;
} bad[] = {
    {"block.bad.past_the_partition", {TESSERA_BLK_READ, 1, ~0ull, 0, 0, 0}, TESSERA_BLK_ERROR_RANGE},
    {"block.bad.count_runs_past_the_partition", {TESSERA_BLK_READ, 16, 0, 0, 1, 0}, TESSERA_BLK_ERROR_RANGE},
    {"block.bad.buffer_outside_the_data_region", {TESSERA_BLK_READ, 1, 0, 1ull << 40, 2, 0}, TESSERA_BLK_ERROR_BUFFER},
    {"block.bad.buffer_runs_off_the_data_region", {TESSERA_BLK_WRITE, 2, 0, 0, 3, 0}, TESSERA_BLK_ERROR_BUFFER},
    {"block.bad.buffer_not_sector_aligned", {TESSERA_BLK_READ, 1, 0, 7, 4, 0}, TESSERA_BLK_ERROR_BUFFER},
    {"block.bad.count_zero", {TESSERA_BLK_READ, 0, 0, 0, 5, 0}, TESSERA_BLK_ERROR_INVALID},
    {"block.bad.count_above_max", {TESSERA_BLK_READ, 100000, 0, 0, 6, 0}, TESSERA_BLK_ERROR_INVALID},
    {"block.bad.unknown_code", {77, 1, 0, 0, 7, 0}, TESSERA_BLK_ERROR_INVALID},
};
#define BAD_COUNT (sizeof bad / sizeof bad[0])

static void send_bad(void)
{
    start_phase(Bad, BAD_COUNT);
    for (uint32_t i = 0; i < BAD_COUNT; ++i) {
        struct tessera_blk_request request = bad[i].request;
        if (i == 1)
            request.block = blocks - 8;             /* 16 blocks from 8 before the end */
        if (i == 3)
            request.offset = blk_data_size - TESSERA_BLK_BLOCK_SIZE; /* 2 blocks from the last one */
        send(request.code, request.block, request.count, request.offset, request.id);
    }
}

static void verify_read(uint32_t id, const struct tessera_blk_response *response)
{
    const uint8_t *data = (const uint8_t *)blk_data + slot_offset(id);
    uint8_t expected[TESSERA_BLK_BLOCK_SIZE];
    int good = response->status == TESSERA_BLK_OK;
    for (uint32_t b = 0; good && b < response->completed; ++b) {
        const uint64_t block = (uint64_t)id * PER_REQUEST + b;
        if (is("readonly")) {
            good = seeded(data + b * TESSERA_BLK_BLOCK_SIZE, block);
        } else {
            fill(expected, block);
            good = memcmp(data + b * TESSERA_BLK_BLOCK_SIZE, expected, sizeof expected) == 0;
        }
    }
    if (!good && errors[7]++ == 0)
        printf("%s: read %u does not hold what was written (status %u)\n", microkit_name, id, response->status);
}

static void finish_phase(void);

static void answer(const struct tessera_blk_response *response)
{
    --in_flight;
    if (response->id >= MAX_REQUESTS || answers[response->id]++ != 0) {
        check("block.client.each_request_answered_once", 0);
        return;
    }
    ++answered;
    errors[response->status < 7 ? response->status : 6]++;
    if (phase == Writing || phase == Reading || phase == Storm)
        free_slots |= 1u << slot_of[response->id];
    switch (phase) {
    case Writing:
        break;
    case Reading:
        verify_read(response->id, response);
        break;
    case Bad:
        if (response->status != bad[response->id].status)
            printf("%s: %s: status %u, expected %u\n", microkit_name, bad[response->id].name, response->status,
                   bad[response->id].status);
        check(bad[response->id].name, response->status == bad[response->id].status && response->completed == 0);
        break;
    default:
        break;
    }
    /* From a third of the writes on, the supervisor is asked after every batch sent (see
     * notified()); it restarts the driver once, when the device holds requests. */
    if (is("restart") && phase == Writing && answered >= requests_in_phase / 3) {
        if (!asked_for_restart)
            printf("%s: %u of %u writes answered: asking for a driver restart\n", microkit_name, answered,
                   requests_in_phase);
        asked_for_restart = 1;
    }
    if (answered == requests_in_phase)
        finish_phase();
}

static void finish_phase(void)
{
    const uint32_t requests = (uint32_t)((blocks + PER_REQUEST - 1) / PER_REQUEST);
    switch (phase) {
    case Writing:
        if (is("faulty")) {
            /* Blocks 64-127 are requests 8-15: exactly those fail. */
            printf("%s: %u writes ok, %u failed with I/O errors\n", microkit_name, errors[TESSERA_BLK_OK],
                   errors[TESSERA_BLK_ERROR_IO]);
            check("block.faulty.failing_blocks_get_io_errors", errors[TESSERA_BLK_ERROR_IO] == 8);
            check("block.faulty.other_blocks_are_written", errors[TESSERA_BLK_OK] == requests - 8);
            report();
            return;
        }
        if (is("readonly")) {
            check("block.readonly.every_write_refused", errors[TESSERA_BLK_ERROR_READ_ONLY] == requests);
            start_phase(Reading, requests);
            refill();
            return;
        }
        check("block.client.every_write_ok", errors[TESSERA_BLK_OK] == requests);
        start_phase(Barrier, 1);
        send(TESSERA_BLK_BARRIER, 0, 0, 0, 0);
        return;
    case Barrier:
        check("block.client.barrier_ok", errors[TESSERA_BLK_OK] == 1);
        start_phase(Reading, requests);
        refill();
        return;
    case Reading:
        printf("%s: read back %llu blocks, %u requests\n", microkit_name, (unsigned long long)blocks, answered);
        check(is("readonly") ? "block.readonly.reads_show_the_seed" : "block.client.reads_show_what_was_written",
              errors[TESSERA_BLK_OK] == requests && errors[7] == 0);
        if (is("pattern"))
            send_bad();
        else
            report();
        return;
    case Bad:
        report();
        return;
    case Storm:
        printf("%s: storm of %u reads answered\n", microkit_name, answered);
        check("block.storm.every_read_answered", errors[TESSERA_BLK_OK] == answered);
        report();
        return;
    default:
        return;
    }
}

/* A hostile client: a few honest reads, then a request queue tail a ring and more ahead of the
 * head (the control block's first word, tessera/queue/block.h). The virtualiser stops serving
 * this client; its partner streams on (the suite checks that, and the disk). */
static void corrupt_the_queue(void)
{
    start_phase(Storm, 4);
    refill();
    tessera_blk_client_publish(&disk);
    volatile uint32_t *tail = (volatile uint32_t *)(blk_queue + TESSERA_BLK_REQUEST_QUEUE_OFFSET);
    *tail += 0x40000000u;
    microkit_notify(VIRTUALISER);
    printf("%s: wrote an impossible request queue tail\n", microkit_name);
    check("block.corrupt.queue_corrupted", 1);
    report();
}

static void start(void)
{
    blocks = tessera_blk_client_capacity(&disk);
    printf("%s: %s disk '%s', %llu blocks%s\n", microkit_name, mode, tessera_blk_client_name(&disk),
           (unsigned long long)blocks, tessera_blk_client_read_only(&disk) ? ", read-only" : "");
    check("block.client.disk_ready", blocks > 0);
    if (is("corrupt")) {
        corrupt_the_queue();
        return;
    }
    if (is("storm")) {
        start_phase(Storm, MAX_REQUESTS);
    } else {
        start_phase(Writing, (uint32_t)((blocks + PER_REQUEST - 1) / PER_REQUEST));
    }
    refill();
}

void init(void)
{
    if (tessera_blk_client_init(&disk, (void *)blk_queue, tessera_blk_queue_capacity(blk_queue_size), (void *)blk_data,
                                blk_data_size, notify_virtualiser, 0) != TESSERA_BLK_CLIENT_OK)
        check("block.client.configured", 0);
}

void notified(microkit_channel ch)
{
    if (ch != VIRTUALISER || phase == Done)
        return;
    if (phase == Connecting) {
        if (!tessera_blk_client_connect(&disk))
            return;
        if (tessera_blk_client_failed(&disk)) {
            printf("%s: no disk: %s\n", microkit_name, tessera_blk_client_name(&disk));
            check(is("nodisk") ? "block.hostile.partition_refused" : "block.client.disk_ready", is("nodisk"));
            report();
            return;
        }
        if (!tessera_blk_client_ready(&disk))
            return;
        if (is("nodisk")) {
            check("block.hostile.partition_refused", 0);
            report();
            return;
        }
        start();
    }
    struct tessera_blk_response response;
    do {
        while (phase != Done && tessera_blk_client_take(&disk, &response) == 1) {
            answer(&response);
            refill();
        }
        tessera_blk_client_publish(&disk);
    } while (phase != Done && !tessera_blk_client_prepare_to_wait(&disk));
    /* The virtualiser and the driver (higher priorities) have passed the batch on by now. */
    if (asked_for_restart && phase == Writing)
        microkit_notify(SUPERVISOR);
}

/* The reader (systems/kv.system): uses interface kv but may call only get, count, describe and
 * get_blob. Each event "changed" wakes it; once the writer's counts are in the store it checks
 * what the writer left, adds the counts to its own and prints the system's summary line. */
#include <microkit.h>
#include <stdio.h>

#include "checks.h"
#include "kv.h"

static unsigned changes;
static int finished;

static void finish(uint64_t writer_passed)
{
    finished = 1;
    uint64_t writer_failed = 1, value = 0;
    check("kv.reader.writer_left_its_counts", kv_get(KV_READER, "writer.failed", &writer_failed) == 0);
    check("kv.reader.reads_what_the_writer_stored", kv_get(KV_READER, "gamma", &value) == 0 && value == 3);
    static uint8_t blob[KV_GET_BLOB_DATA_BOUND];
    size_t length = 0;
    int same = kv_get_blob(KV_READER, KV_READER_TRANSFER, "blob", blob, &length) == 0 && length == sizeof blob;
    for (size_t i = 0; same && i < length; ++i)
        same = blob[i] == (uint8_t)(i * 13 + 1);
    check("kv.reader.blob_through_its_own_dataport", same);
    uint32_t count = 0;
    check("kv.reader.count", kv_count(KV_READER, &count) == 0 && count == 4);
    check("kv.reader.woken_by_changed_events", changes > 1);
    printf("reader: woken %u times; the writer reported %lu passed, %lu failed\n", changes,
           (unsigned long)writer_passed, (unsigned long)writer_failed);
    check_add((unsigned)writer_passed, (unsigned)writer_failed);
    check_summary();
}

void init(void)
{
    /* The reader runs before the writer (its priority is higher): the store is empty. */
    uint32_t count = 99;
    check("kv.reader.count_before_the_writer", kv_count(KV_READER, &count) == 0 && count == 0);
    uint64_t value = 0;
    check("kv.reader.get_missing_is_not_found", kv_get(KV_READER, "alpha", &value) == KV_ERROR_NOT_FOUND);
    /* calls="get count describe get_blob": the store refuses the rest from this reader. */
    check("kv.reader.put_is_not_permitted", kv_put(KV_READER, "alpha", 1, true) == TESSERA_IFACE_BAD_METHOD);
    check("kv.reader.remove_is_not_permitted", kv_remove(KV_READER, "alpha") == TESSERA_IFACE_BAD_METHOD);
    printf("reader: waiting for the writer (%s for what it may not call)\n",
           kv_status_name(TESSERA_IFACE_BAD_METHOD));
}

void notified(microkit_channel ch)
{
    if (ch != KV_READER_CHANGED || finished)
        return;
    changes++;
    uint64_t passed = 0;
    if (kv_get(KV_READER, "writer.passed", &passed) == 0)
        finish(passed);
}

/* The writer (systems/kv.system): uses interface kv through the generated kv.h. It stores,
 * reads and removes values, checks every error the store declares, tries the bad input the
 * generated code refuses on either side, and leaves some values and its own check counts in the
 * store for the reader. */
#include <microkit.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "kv.h"

static uint8_t blob[KV_PUT_BLOB_DATA_BOUND];

static seL4_Word label(seL4_Word method)
{
    return (seL4_Word)KV_FINGERPRINT << TESSERA_IFACE_FINGERPRINT_SHIFT | method;
}

/* Sends words as they are, bypassing the stubs, and returns the status of the store's reply. */
static int raw_call(seL4_Word request_label, const seL4_Word *words, unsigned count)
{
    for (unsigned i = 0; i < count; ++i)
        microkit_mr_set((seL4_Uint8)i, words[i]);
    const microkit_msginfo reply = microkit_ppcall(KV_WRITER, microkit_msginfo_new(request_label, count));
    return (int)((microkit_msginfo_get_label(reply) & TESSERA_IFACE_STATUS_MASK) >> TESSERA_IFACE_STATUS_SHIFT);
}

static void numbers(void)
{
    uint32_t count = 99;
    check("kv.writer.count_starts_at_zero", kv_count(KV_WRITER, &count) == 0 && count == 0);
    uint64_t value = 0;
    check("kv.writer.put_then_get",
          kv_put(KV_WRITER, "alpha", 41, false) == 0 && kv_get(KV_WRITER, "alpha", &value) == 0 && value == 41);
    check("kv.writer.put_without_replace_is_exists", kv_put(KV_WRITER, "alpha", 7, false) == KV_ERROR_EXISTS);
    check("kv.writer.put_with_replace",
          kv_put(KV_WRITER, "alpha", 42, true) == 0 && kv_get(KV_WRITER, "alpha", &value) == 0 && value == 42);
    int64_t total = 0;
    check("kv.writer.add_negative", kv_add(KV_WRITER, "alpha", -44, &total) == 0 && total == -2);
    check("kv.writer.add_to_missing_is_not_found", kv_add(KV_WRITER, "beta", 1, &total) == KV_ERROR_NOT_FOUND);
    check("kv.writer.remove", kv_remove(KV_WRITER, "alpha") == 0);
    check("kv.writer.get_removed_is_not_found", kv_get(KV_WRITER, "alpha", &value) == KV_ERROR_NOT_FOUND);
    check("kv.writer.remove_twice_is_not_found", kv_remove(KV_WRITER, "alpha") == KV_ERROR_NOT_FOUND);
    enum kv_kind kind = KV_KIND_BLOB;
    uint32_t size = 0;
    check("kv.writer.describe_number", kv_put(KV_WRITER, "gamma", 3, false) == 0 &&
                                           kv_describe(KV_WRITER, "gamma", &kind, &size) == 0 &&
                                           kind == KV_KIND_NUMBER && size == 8);
}

static void blobs(void)
{
    for (size_t i = 0; i < sizeof blob; ++i)
        blob[i] = (uint8_t)(i * 13 + 1);
    check("kv.writer.put_blob", kv_put_blob(KV_WRITER, KV_WRITER_TRANSFER, "blob", blob, sizeof blob) == 0);
    static uint8_t back[KV_GET_BLOB_DATA_BOUND];
    size_t length = 0;
    check("kv.writer.get_blob_through_the_dataport",
          kv_get_blob(KV_WRITER, KV_WRITER_TRANSFER, "blob", back, &length) == 0 && length == sizeof blob &&
              memcmp(back, blob, length) == 0);
    enum kv_kind kind = KV_KIND_NUMBER;
    uint32_t size = 0;
    check("kv.writer.describe_blob", kv_describe(KV_WRITER, "blob", &kind, &size) == 0 && kind == KV_KIND_BLOB &&
                                         size == sizeof blob);
    uint64_t value = 0;
    check("kv.writer.get_of_blob_is_wrong_kind", kv_get(KV_WRITER, "blob", &value) == KV_ERROR_WRONG_KIND);
}

static void full_store(void)
{
    char key[8];
    int status = 0;
    unsigned stored = 0;
    /* gamma and blob are there already: 14 more fill the 16 places. */
    for (unsigned i = 0; i < 20 && status == 0; ++i) {
        snprintf(key, sizeof key, "k%u", i);
        status = kv_put(KV_WRITER, key, i, false);
        stored += status == 0;
    }
    check("kv.writer.seventeenth_key_is_full", status == KV_ERROR_FULL && stored == 14);
    for (unsigned i = 0; i < stored; ++i) {
        snprintf(key, sizeof key, "k%u", i);
        (void)kv_remove(KV_WRITER, key);
    }
    uint32_t count = 0;
    check("kv.writer.count_after_removing", kv_count(KV_WRITER, &count) == 0 && count == 2);
}

/* What the stubs refuse to send, and what the store's dispatcher refuses to read. */
static void bad_input(void)
{
    check("kv.writer.key_past_bound_is_refused_unsent",
          kv_put(KV_WRITER, "a key of thirty-three bytes, long", 1, true) == TESSERA_IFACE_BAD_ARGUMENT);
    check("kv.writer.blob_past_bound_is_refused_unsent",
          kv_put_blob(KV_WRITER, KV_WRITER_TRANSFER, "blob", blob, sizeof blob + 1) == TESSERA_IFACE_BAD_ARGUMENT);

    const seL4_Word key[2] = {3, 0x6d6b6b}; /* "kkm" */
    check("kv.writer.wrong_label_is_wrong_interface", raw_call(0x1234, key, 2) == TESSERA_IFACE_WRONG_INTERFACE);
    check("kv.writer.unknown_method_is_bad_method", raw_call(label(40), key, 2) == TESSERA_IFACE_BAD_METHOD);
    check("kv.writer.too_few_words_is_bad_message", raw_call(KV_LABEL_GET, key, 0) == TESSERA_IFACE_BAD_MESSAGE);
    const seL4_Word long_key[2] = {1000, 0x41};
    check("kv.writer.length_past_bound_is_bad_message",
          raw_call(KV_LABEL_GET, long_key, 2) == TESSERA_IFACE_BAD_MESSAGE);
    const seL4_Word unsent[2] = {24, 0x4141414141414141};
    check("kv.writer.length_past_words_sent_is_bad_message",
          raw_call(KV_LABEL_GET, unsent, 2) == TESSERA_IFACE_BAD_MESSAGE);
    const seL4_Word put[4] = {3, 0x6d6b6b, 5, 2}; /* replace = 2: no bool */
    check("kv.writer.bool_out_of_range_is_bad_message", raw_call(KV_LABEL_PUT, put, 4) == TESSERA_IFACE_BAD_MESSAGE);
    const seL4_Word nul[2] = {3, 0x6d006b};
    check("kv.writer.nul_inside_key_is_bad_message", raw_call(KV_LABEL_GET, nul, 2) == TESSERA_IFACE_BAD_MESSAGE);
    uint32_t count = 0;
    check("kv.writer.store_serves_after_bad_input", kv_count(KV_WRITER, &count) == 0 && count == 2);
}

void init(void)
{
    numbers();
    blobs();
    full_store();
    bad_input();
    printf("writer: %u passed, %u failed; leaving the counts for the reader\n", check_counts.passed,
           check_counts.failed);
    /* The reader finishes once "writer.passed" appears, so it goes in last. */
    (void)kv_put(KV_WRITER, "writer.failed", check_counts.failed, true);
    (void)kv_put(KV_WRITER, "writer.passed", check_counts.passed, true);
}

void notified(microkit_channel ch)
{
    (void)ch; /* the store's "changed" events; the writer made them */
}

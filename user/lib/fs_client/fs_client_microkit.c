/* The Microkit binding of the file-system client: each request is a protected procedure call on
 * the client's channel to the service, the words in message registers. */
#include <microkit.h>
#include <tessera/fs_client.h>

static uint64_t microkit_call(void *context, uint64_t operation, const uint64_t *words,
                              unsigned count, uint64_t *reply, unsigned reply_capacity)
{
    const microkit_channel channel = (microkit_channel)(uintptr_t)context;
    for (unsigned i = 0; i < count; ++i)
        microkit_mr_set((seL4_Uint8)i, words[i]);
    const microkit_msginfo answer =
        microkit_ppcall(channel, microkit_msginfo_new(operation, (seL4_Uint16)count));
    const unsigned got = (unsigned)microkit_msginfo_get_count(answer);
    for (unsigned i = 0; i < reply_capacity; ++i)
        reply[i] = i < got ? microkit_mr_get((seL4_Uint8)i) : 0;
    return microkit_msginfo_get_label(answer);
}

int tessera_fs_init_microkit(struct tessera_fs *fs, unsigned int channel, void *window,
                             size_t window_bytes)
{
    const struct tessera_fs_transport transport = {microkit_call, (void *)(uintptr_t)channel};
    return tessera_fs_init(fs, &transport, window, window_bytes);
}

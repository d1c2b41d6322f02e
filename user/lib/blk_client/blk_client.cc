// The block client library: thin C entry points over the typed queue views. Each call builds
// its view from the client's own record (never from shared memory), so a server that scribbles
// over the queue region can break this connection but nothing else in the client.
#include <tessera/blk_client.h>
#include <tessera/queue/block_queues.h>

namespace {

using tessera::queue::BlockClientEnd;
using tessera::queue::BlockQueueLayout;
using tessera::queue::QueueStatus;

BlockClientEnd view(const tessera_blk_client* client)
{
    return BlockClientEnd(BlockQueueLayout(client->queue_region, client->capacity));
}

const tessera_blk_info* info(const tessera_blk_client* client)
{
    return static_cast<const tessera_blk_info*>(client->queue_region);
}

// The server publishes the info fields before the state (release); read the state first.
uint32_t state(const tessera_blk_client* client)
{
    if (__atomic_load_n(&info(client)->magic, __ATOMIC_ACQUIRE) != TESSERA_BLK_INFO_MAGIC)
        return TESSERA_BLK_STATE_STARTING;
    return __atomic_load_n(&info(client)->state, __ATOMIC_ACQUIRE);
}

void signal_server(const tessera_blk_client* client)
{
    if (client->notify != nullptr)
        client->notify(client->context);
}

} // namespace

extern "C" {

int tessera_blk_client_init(tessera_blk_client* client, void* queue_region, uint32_t capacity,
                            void* data, uint64_t data_size, tessera_blk_notify_fn notify,
                            void* context)
{
    if (client == nullptr || queue_region == nullptr ||
        !tessera::queue::is_valid_block_capacity(capacity))
        return TESSERA_BLK_CLIENT_BAD_ARGUMENT;
    *client = tessera_blk_client{queue_region, capacity, static_cast<uint8_t*>(data),
                                 data == nullptr ? 0 : data_size, notify, context};
    return TESSERA_BLK_CLIENT_OK;
}

int tessera_blk_client_restarted(const tessera_blk_client* client)
{
    const tessera_blk_info* i = info(client);
    return state(client) != TESSERA_BLK_STATE_STARTING &&
           __atomic_load_n(&i->server_generation, __ATOMIC_ACQUIRE) !=
               __atomic_load_n(&i->client_generation, __ATOMIC_ACQUIRE);
}

int tessera_blk_client_connect(tessera_blk_client* client)
{
    if (state(client) == TESSERA_BLK_STATE_STARTING)
        return 0;
    if (tessera_blk_client_restarted(client)) {
        tessera_blk_info* i = static_cast<tessera_blk_info*>(client->queue_region);
        tessera::queue::reset_block_queues(BlockQueueLayout(client->queue_region, client->capacity));
        __atomic_store_n(&i->client_generation, __atomic_load_n(&i->server_generation, __ATOMIC_ACQUIRE),
                         __ATOMIC_RELEASE);
        signal_server(client);
    }
    return 1;
}

int tessera_blk_client_ready(const tessera_blk_client* client)
{
    return state(client) == TESSERA_BLK_STATE_READY && !tessera_blk_client_restarted(client);
}

int tessera_blk_client_failed(const tessera_blk_client* client)
{
    return state(client) == TESSERA_BLK_STATE_FAILED;
}

uint64_t tessera_blk_client_capacity(const tessera_blk_client* client)
{
    return tessera_blk_client_ready(client) ? info(client)->capacity : 0;
}

int tessera_blk_client_read_only(const tessera_blk_client* client)
{
    return (info(client)->flags & TESSERA_BLK_FLAG_READ_ONLY) != 0;
}

uint32_t tessera_blk_client_max_count(const tessera_blk_client* client)
{
    return tessera_blk_client_ready(client) ? info(client)->max_count : 0;
}

const char* tessera_blk_client_name(const tessera_blk_client* client)
{
    // The server owns the bytes; the last one is forced to NUL in the client's eyes by
    // returning an empty name when the server left it unterminated.
    const char* name = info(client)->name;
    for (size_t i = 0; i < sizeof info(client)->name; ++i)
        if (name[i] == '\0')
            return name;
    return "";
}

int tessera_blk_client_submit(tessera_blk_client* client, const tessera_blk_request* request)
{
    switch (view(client).requests.push(*request)) {
    case QueueStatus::Ok: return TESSERA_BLK_CLIENT_OK;
    case QueueStatus::Full: return TESSERA_BLK_CLIENT_FULL;
    default: return TESSERA_BLK_CLIENT_BROKEN;
    }
}

void tessera_blk_client_publish(tessera_blk_client* client)
{
    BlockClientEnd end = view(client);
    end.requests.publish([&] { signal_server(client); });
    // Taking responses may have made room the server waits for.
    end.responses.publish([&] { signal_server(client); });
}

int tessera_blk_client_take(tessera_blk_client* client, tessera_blk_response* response)
{
    switch (view(client).responses.pop(*response)) {
    case QueueStatus::Ok: return 1;
    case QueueStatus::Empty: return 0;
    default: return -1;
    }
}

int tessera_blk_client_prepare_to_wait(tessera_blk_client* client)
{
    return view(client).responses.prepare_to_sleep() ? 1 : 0;
}

void* tessera_blk_client_buffer(const tessera_blk_client* client, uint64_t offset, uint64_t bytes)
{
    if (client->data == nullptr || offset > client->data_size ||
        bytes > client->data_size - offset)
        return nullptr;
    return client->data + offset;
}

int tessera_blk_client_transfer(tessera_blk_client* client, const tessera_blk_request* request,
                                void (*wait)(void* context), void* wait_context,
                                tessera_blk_response* response)
{
    for (;;) {
        const int submitted = tessera_blk_client_submit(client, request);
        if (submitted == TESSERA_BLK_CLIENT_OK)
            break;
        if (submitted != TESSERA_BLK_CLIENT_FULL)
            return TESSERA_BLK_ERROR_NO_DEVICE;
        // Full: stale responses hold the server up; drop them and wait for room.
        tessera_blk_response stale;
        while (tessera_blk_client_take(client, &stale) == 1) {
        }
        tessera_blk_client_publish(client);
        wait(wait_context);
    }
    tessera_blk_client_publish(client);
    for (;;) {
        int taken;
        while ((taken = tessera_blk_client_take(client, response)) == 1)
            if (response->id == request->id) {
                tessera_blk_client_publish(client);
                return static_cast<int>(response->status);
            }
        if (taken < 0)
            return TESSERA_BLK_ERROR_NO_DEVICE;
        if (tessera_blk_client_prepare_to_wait(client))
            wait(wait_context);
    }
}

} // extern "C"

// Typed views of a block connection's queue region (tessera/queue/block.h) for C++ code: the
// client end produces requests and consumes responses, the server end the other way round.
// Each side builds its view from its own configuration, never from values in shared memory.
#pragma once

#include <tessera/queue/block.h>
#include <tessera/queue/consumer.h>
#include <tessera/queue/producer.h>

namespace tessera::queue {

static_assert(sizeof(Control) == TESSERA_BLK_QUEUE_CONTROL_BYTES);
static_assert(region_bytes<tessera_blk_request>(64) == TESSERA_BLK_REQUEST_QUEUE_BYTES(64));
static_assert(region_bytes<tessera_blk_response>(64) == TESSERA_BLK_RESPONSE_QUEUE_BYTES(64));
// Both control blocks stay cache-line aligned for every capacity (slots are 32 and 16 bytes,
// so a ring of at least 4 slots keeps the response queue 64-byte aligned).
static_assert(TESSERA_BLK_RESPONSE_QUEUE_OFFSET(4) % CacheLine == 0);

// The addresses of one connection's parts inside its mapped queue region.
struct BlockQueueLayout {
    tessera_blk_info* info;
    void* requests;
    void* responses;
    uint32_t capacity;

    // `region` is the mapped queue region, at least TESSERA_BLK_QUEUE_REGION_BYTES(capacity)
    // long; `capacity` is valid (a power of two, at least 4).
    BlockQueueLayout(void* region, uint32_t capacity_)
        : info(static_cast<tessera_blk_info*>(region)),
          requests(static_cast<char*>(region) + TESSERA_BLK_REQUEST_QUEUE_OFFSET),
          responses(static_cast<char*>(region) + TESSERA_BLK_RESPONSE_QUEUE_OFFSET(capacity_)),
          capacity(capacity_)
    {
    }
};

constexpr bool is_valid_block_capacity(uint32_t capacity)
{
    return is_valid_capacity(capacity) && capacity >= 4;
}

struct BlockClientEnd {
    Producer<tessera_blk_request> requests;
    Consumer<tessera_blk_response> responses;
    tessera_blk_info* info;

    explicit BlockClientEnd(const BlockQueueLayout& layout)
        : requests(layout.requests, layout.capacity),
          responses(layout.responses, layout.capacity), info(layout.info)
    {
    }
};

struct BlockServerEnd {
    Consumer<tessera_blk_request> requests;
    Producer<tessera_blk_response> responses;
    tessera_blk_info* info;

    explicit BlockServerEnd(const BlockQueueLayout& layout)
        : requests(layout.requests, layout.capacity),
          responses(layout.responses, layout.capacity), info(layout.info)
    {
    }
};

// Empties both queues of a connection and clears their signal flags. Only while the peer is
// known not to touch them (before it starts, or during the restart handshake).
inline void reset_block_queues(const BlockQueueLayout& layout)
{
    reset(*static_cast<Control*>(layout.requests));
    reset(*static_cast<Control*>(layout.responses));
}

} // namespace tessera::queue

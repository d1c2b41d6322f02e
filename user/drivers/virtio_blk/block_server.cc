// The driver's block protocol server.
#include "block_server.h"

#include <string.h>

namespace tessera::drivers::virtio_blk {
namespace {

using queue::BlockServerEnd;
using queue::QueueStatus;

void store_release(uint32_t* word, uint32_t value) { __atomic_store_n(word, value, __ATOMIC_RELEASE); }
uint32_t load_acquire(const uint32_t* word) { return __atomic_load_n(word, __ATOMIC_ACQUIRE); }

} // namespace

void BlockServer::publish_info(const queue::BlockQueueLayout& layout, uint32_t state, const char* name)
{
    tessera_blk_info* info = layout.info;
    store_release(&info->state, TESSERA_BLK_STATE_STARTING);
    const DeviceFacts facts = device_ != nullptr ? device_->facts() : DeviceFacts{};
    info->capacity = facts.capacity_blocks;
    info->flags = facts.read_only ? TESSERA_BLK_FLAG_READ_ONLY : 0;
    info->max_count = facts.max_count;
    memset(info->name, 0, sizeof info->name);
    strncpy(info->name, name, sizeof info->name - 1);
    // The previous generation lives in shared memory (this program may have been restarted
    // with fresh variables); the next one is always different from what the client acked.
    generation_ = info->server_generation + 1;
    if (generation_ == info->client_generation)
        ++generation_;
    store_release(&info->server_generation, generation_);
    store_release(&info->magic, TESSERA_BLK_INFO_MAGIC);
    store_release(&info->state, state);
}

void BlockServer::start(const queue::BlockQueueLayout& layout, BlockDevice& device, const char* name,
                        Signal signal, void* context)
{
    layout_ = layout;
    device_ = &device;
    signal_ = signal;
    context_ = context;
    serving_ = failed_ = broken_ = held_ = barrier_waiting_ = barrier_running_ = false;
    unanswered_ = 0;
    publish_info(layout, TESSERA_BLK_STATE_READY, name);
    signal_(context_);
}

void BlockServer::start_failed(const queue::BlockQueueLayout& layout, const char* name, Signal signal,
                               void* context)
{
    layout_ = layout;
    device_ = nullptr;
    signal_ = signal;
    context_ = context;
    serving_ = broken_ = held_ = barrier_waiting_ = barrier_running_ = false;
    failed_ = true;
    unanswered_ = 0;
    publish_info(layout, TESSERA_BLK_STATE_FAILED, name);
    signal_(context_);
}

bool BlockServer::check_handshake()
{
    if (layout_.info == nullptr)
        return false;
    if (load_acquire(&layout_.info->client_generation) != generation_) {
        serving_ = false;
        return false;
    }
    if (!serving_) {
        // The client reset both queues before acknowledging; start from its state.
        serving_ = true;
        broken_ = false;
    }
    return !broken_;
}

bool BlockServer::has_response_room() const
{
    // Every request taken must be answerable without waiting: answers still queued plus
    // requests still unanswered stay below the response queue's capacity.
    BlockServerEnd end(layout_);
    return end.responses.size() + unanswered_ < layout_.capacity;
}

void BlockServer::respond(uint32_t status, uint32_t completed, uint32_t id)
{
    BlockServerEnd end(layout_);
    if (end.responses.push(tessera_blk_response{status, completed, id, 0}) != QueueStatus::Ok)
        broken_ = true; // room was reserved, so only a corrupted index can get here
    if (status == TESSERA_BLK_OK)
        ++completed_;
    else
        ++rejected_;
}

uint32_t BlockServer::validate(const tessera_blk_request& request) const
{
    if (failed_ || device_ == nullptr)
        return TESSERA_BLK_ERROR_NO_DEVICE;
    const DeviceFacts& facts = device_->facts();
    switch (request.code) {
    case TESSERA_BLK_READ:
    case TESSERA_BLK_WRITE:
        if (request.count == 0 || request.count > facts.max_count)
            return TESSERA_BLK_ERROR_INVALID;
        if (request.block >= facts.capacity_blocks || request.count > facts.capacity_blocks - request.block)
            return TESSERA_BLK_ERROR_RANGE;
        if (request.code == TESSERA_BLK_WRITE && facts.read_only)
            return TESSERA_BLK_ERROR_READ_ONLY;
        return TESSERA_BLK_OK;
    case TESSERA_BLK_FLUSH:
    case TESSERA_BLK_BARRIER: return request.count == 0 ? TESSERA_BLK_OK : TESSERA_BLK_ERROR_INVALID;
    default: return TESSERA_BLK_ERROR_INVALID;
    }
}

bool BlockServer::submit(const tessera_blk_request& request)
{
    const uint32_t code = request.code == TESSERA_BLK_BARRIER ? uint32_t(TESSERA_BLK_FLUSH) : request.code;
    auto head = device_->submit(code, request.block, request.count, request.offset);
    if (!head)
        return false;
    in_flight_[head.value()] = InFlight{request.id, request.count, request.code};
    return true;
}

void BlockServer::take_completions()
{
    if (device_ == nullptr)
        return;
    uint16_t head;
    uint32_t status;
    while (device_->take_completion(head, status)) {
        const InFlight& done = in_flight_[head];
        --unanswered_;
        respond(status, status == TESSERA_BLK_OK ? done.count : 0, done.id);
        if (done.code == TESSERA_BLK_BARRIER)
            barrier_running_ = false;
    }
    if (device_->is_broken() && device_->outstanding() != 0) {
        // The device wrote nonsense into the used ring: nothing it holds will come back.
        failed_ = true;
    }
}

BlockServer::Stop BlockServer::take_requests()
{
    BlockServerEnd end(layout_);
    for (;;) {
        if (barrier_running_)
            return Stop::WaitsForDevice;
        if (barrier_waiting_) {
            if (device_ != nullptr && device_->outstanding() != 0)
                return Stop::WaitsForDevice; // drains first; completions call back here
            barrier_waiting_ = false;
            if (device_ != nullptr && device_->facts().has_flush && !failed_) {
                if (!submit(barrier_)) { // an empty queue always has room for a flush
                    failed_ = true;
                    --unanswered_;
                    respond(TESSERA_BLK_ERROR_IO, 0, barrier_.id);
                    continue;
                }
                barrier_running_ = true;
                continue;
            }
            // No volatile cache: everything completed is already durable.
            --unanswered_;
            respond(TESSERA_BLK_OK, 0, barrier_.id);
            continue;
        }
        if (held_) {
            if (!device_->has_room_for(held_request_.count) || !submit(held_request_))
                return Stop::WaitsForDevice;
            held_ = false;
            continue;
        }
        // Without room for one more answer: answers still owed come from the device; with none
        // owed the response queue is full and the client frees it.
        if (!has_response_room())
            return unanswered_ != 0 ? Stop::WaitsForDevice : Stop::WaitsForClient;
        tessera_blk_request request;
        const QueueStatus popped = end.requests.pop(request);
        if (popped == QueueStatus::Empty)
            return Stop::Drained;
        if (popped != QueueStatus::Ok) {
            broken_ = true;
            return Stop::Broken;
        }
        ++unanswered_;
        const uint32_t status = validate(request);
        if (status != TESSERA_BLK_OK) {
            --unanswered_;
            respond(status, 0, request.id);
            continue;
        }
        if (request.code == TESSERA_BLK_BARRIER) {
            barrier_ = request;
            barrier_waiting_ = true;
            continue;
        }
        if (request.code == TESSERA_BLK_FLUSH && !device_->facts().has_flush) {
            --unanswered_;
            respond(TESSERA_BLK_OK, 0, request.id);
            continue;
        }
        if (!device_->has_room_for(request.count) || !submit(request)) {
            held_ = true;
            held_request_ = request;
            return Stop::WaitsForDevice;
        }
    }
}

void BlockServer::run()
{
    for (;;) {
        if (!check_handshake())
            return;
        BlockServerEnd end(layout_);
        take_completions();
        const Stop stop = take_requests();
        if (device_ != nullptr)
            device_->publish();
        end.responses.publish([&] { signal_(context_); });
        end.requests.publish([&] { signal_(context_); });
        if (stop == Stop::Broken || broken_)
            return;
        // Sleep only when something will wake this server: the client's next request (queue
        // drained) or its next taken answer (queue full), and the device's next completion.
        bool quiet = true;
        if (stop == Stop::Drained)
            quiet = end.requests.prepare_to_sleep();
        else if (stop == Stop::WaitsForClient)
            quiet = end.responses.prepare_to_sleep();
        if (quiet && device_ != nullptr && device_->outstanding() != 0)
            quiet = device_->prepare_to_sleep();
        if (quiet)
            return;
    }
}

} // namespace tessera::drivers::virtio_blk

// The driver's side of the block protocol: takes requests from its one client (the block
// virtualiser), checks them against the disk, runs them on the device and answers each exactly
// once. Barriers drain the device before they run and hold back everything after them. Restarts
// follow the handshake in tessera/queue/block.h: a (re)started server serves nothing until its
// client has reset the queues and acknowledged the new generation.
#pragma once

#include <tessera/queue/block_queues.h>

#include "block_device.h"

namespace tessera::drivers::virtio_blk {

class BlockServer {
public:
    using Signal = void (*)(void* context);

    // Publishes the disk in the info page and starts a new generation; `device` was started.
    // `signal` notifies the client. Call again after every (re)start.
    void start(const queue::BlockQueueLayout& layout, BlockDevice& device, const char* name,
               Signal signal, void* context);
    // The device could not be brought up: the client learns the disk failed; every request
    // then gets NO_DEVICE.
    void start_failed(const queue::BlockQueueLayout& layout, const char* name, Signal signal,
                      void* context);

    // Does all work possible now (after a notification or an interrupt): completions become
    // responses, requests go to the device, the client is signalled if it waits. Returns
    // when there is nothing left and both the client and the device will signal again.
    void run();

    bool is_serving() const { return serving_; }
    uint64_t completed() const { return completed_; }
    uint64_t rejected() const { return rejected_; }

private:
    struct InFlight {
        uint32_t id;
        uint32_t count;
        uint32_t code;
    };

    void publish_info(const queue::BlockQueueLayout& layout, uint32_t state, const char* name);
    bool check_handshake();
    void take_completions();
    enum class Stop { Drained, WaitsForDevice, WaitsForClient, Broken };
    Stop take_requests();
    // Checks a request against the disk; TESSERA_BLK_OK when it may go to the device.
    uint32_t validate(const tessera_blk_request& request) const;
    void respond(uint32_t status, uint32_t completed, uint32_t id);
    bool submit(const tessera_blk_request& request);
    bool has_response_room() const;

    queue::BlockQueueLayout layout_{nullptr, 4};
    BlockDevice* device_ = nullptr;
    Signal signal_ = nullptr;
    void* context_ = nullptr;
    uint32_t generation_ = 0;
    bool serving_ = false;
    bool failed_ = false;
    bool broken_ = false; // the client corrupted a queue: wait for its next handshake

    // A request taken from the queue but not yet on the device (descriptors were short).
    bool held_ = false;
    tessera_blk_request held_request_{};
    // A barrier waits for the device to drain, then runs as a flush; nothing after it starts
    // until it completes.
    bool barrier_waiting_ = false;
    bool barrier_running_ = false;
    tessera_blk_request barrier_{};
    InFlight in_flight_[virtio::SplitQueue::MaxSize] = {};
    uint32_t unanswered_ = 0; // requests taken and not yet answered
    uint64_t completed_ = 0, rejected_ = 0;
};

} // namespace tessera::drivers::virtio_blk

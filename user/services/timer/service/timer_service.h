// The timer protocol's logic (tessera/timer.h), free of system calls: decodes a client's call,
// keeps every client's timeouts in one TimeoutQueue, keeps the clock armed for the earliest, and
// collects the channels to notify when timeouts expire. The HPET driver runs it with one slot
// per client on the HPET; the timer service with TESSERA_TIMER_SLOTS slots on the driver.
#pragma once

#include <stdint.h>
#include <tessera/timer.h>

#include "one_shot_clock.h"
#include "timeout_queue.h"

namespace tessera::timer {

constexpr uint32_t MaxChannels = 63; // Microkit channel ids 0..62

// A protected procedure call as the PD runtime received it.
struct Request {
    uint64_t label;
    uint32_t length;          // message registers sent
    uint64_t registers[2];    // MR0, MR1 (what was sent; the rest is zero)
};

struct Reply {
    tessera_timer_status status;
    uint32_t length; // 0 or 1
    uint64_t value;  // MR0 when length is 1
};

class TimerService {
public:
    // `slots_per_client` is 1 (the driver) up to TimeoutQueue::Slots (the service).
    TimerService(OneShotClock& clock, uint32_t slots_per_client);

    // A client's call on `channel` (0..62). Decodes it whole before changing anything.
    Reply handle(uint32_t channel, const Request& request);
    // The clock's event: hands out what is due and arms the clock for the next deadline.
    void handle_clock_event();
    // Channels to notify since the last call (bit per channel), cleared by the call.
    uint64_t take_notifications();

    uint32_t client_count() const { return client_count_; }
    uint32_t pending() const { return queue_.size(); }

private:
    static constexpr uint8_t NoClient = 0xff;
    // The client index of `channel`, made on first use; NoClient if there is no room.
    uint8_t client_for(uint32_t channel);
    Reply set(uint32_t channel, uint32_t slot, Instant deadline, Instant now);
    Reply cancel(uint32_t channel, uint32_t slot);
    Reply collect_expired(uint32_t channel);
    // Expires what is due at `now`, then arms the clock for the earliest deadline left.
    void expire_and_rearm(Instant now);

    OneShotClock& clock_;
    uint32_t slots_per_client_;
    TimeoutQueue queue_;
    uint8_t client_of_channel_[MaxChannels];
    uint8_t channel_of_client_[TimeoutQueue::MaxClients] = {};
    uint64_t expired_[TimeoutQueue::MaxClients] = {}; // slots fired and not yet collected
    uint32_t client_count_ = 0;
    uint64_t notifications_ = 0;
    bool armed_ = false;
    Instant armed_for_;
};

} // namespace tessera::timer

// The timer protocol's logic (timer_service.h).
#include "timer_service.h"

namespace tessera::timer {

namespace {

Reply status_only(tessera_timer_status status)
{
    return Reply{status, 0, 0};
}

Reply value(uint64_t word)
{
    return Reply{TESSERA_TIMER_OK, 1, word};
}

} // namespace

TimerService::TimerService(OneShotClock& clock, uint32_t slots_per_client)
    : clock_(clock),
      slots_per_client_(slots_per_client == 0 || slots_per_client > TimeoutQueue::Slots
                            ? TimeoutQueue::Slots
                            : slots_per_client)
{
    for (uint8_t& client : client_of_channel_)
        client = NoClient;
}

Reply TimerService::handle(uint32_t channel, const Request& request)
{
    if (channel >= MaxChannels)
        return status_only(TESSERA_TIMER_BAD_REQUEST);
    const uint64_t first = request.length >= 1 ? request.registers[0] : 0;
    const uint64_t second = request.length >= 2 ? request.registers[1] : 0;
    switch (request.label) {
    case TESSERA_TIMER_GET_TIME:
        return value(clock_.now().nanoseconds());
    case TESSERA_TIMER_SET_TIMEOUT: {
        // sDDF's form sends the time alone: slot 0.
        if (request.length < 1)
            return status_only(TESSERA_TIMER_BAD_REQUEST);
        if (second >= slots_per_client_)
            return status_only(TESSERA_TIMER_BAD_SLOT);
        if (first > TESSERA_TIMER_MAX_TIMEOUT_NS)
            return status_only(TESSERA_TIMER_TOO_FAR);
        const Instant now = clock_.now();
        return set(channel, static_cast<uint32_t>(second), Instant{now.nanoseconds() + first}, now);
    }
    case TESSERA_TIMER_SET_DEADLINE: {
        if (request.length < 2)
            return status_only(TESSERA_TIMER_BAD_REQUEST);
        if (second >= slots_per_client_)
            return status_only(TESSERA_TIMER_BAD_SLOT);
        const Instant now = clock_.now();
        if (first > now.nanoseconds() && first - now.nanoseconds() > TESSERA_TIMER_MAX_TIMEOUT_NS)
            return status_only(TESSERA_TIMER_TOO_FAR);
        return set(channel, static_cast<uint32_t>(second), Instant{first}, now);
    }
    case TESSERA_TIMER_CANCEL:
        if (request.length < 1)
            return status_only(TESSERA_TIMER_BAD_REQUEST);
        if (first >= slots_per_client_)
            return status_only(TESSERA_TIMER_BAD_SLOT);
        return cancel(channel, static_cast<uint32_t>(first));
    case TESSERA_TIMER_EXPIRED:
        return collect_expired(channel);
    default:
        return status_only(TESSERA_TIMER_BAD_REQUEST);
    }
}

uint8_t TimerService::client_for(uint32_t channel)
{
    if (client_of_channel_[channel] != NoClient)
        return client_of_channel_[channel];
    if (client_count_ == TimeoutQueue::MaxClients)
        return NoClient;
    const uint8_t client = static_cast<uint8_t>(client_count_++);
    client_of_channel_[channel] = client;
    channel_of_client_[client] = static_cast<uint8_t>(channel);
    return client;
}

Reply TimerService::set(uint32_t channel, uint32_t slot, Instant deadline, Instant now)
{
    const uint8_t client = client_for(channel);
    if (client == NoClient)
        return status_only(TESSERA_TIMER_TOO_MANY_CLIENTS);
    queue_.set(TimeoutId{client, slot}, deadline);
    // A slot set again forgets that its previous timeout fired and was not yet collected.
    expired_[client] &= ~(uint64_t{1} << slot);
    expire_and_rearm(now); // the clock was read a moment ago: one call to the driver less
    return status_only(TESSERA_TIMER_OK);
}

Reply TimerService::cancel(uint32_t channel, uint32_t slot)
{
    const uint8_t client = client_of_channel_[channel];
    if (client == NoClient)
        return value(0);
    const bool was_pending = queue_.cancel(TimeoutId{client, slot});
    expired_[client] &= ~(uint64_t{1} << slot);
    if (was_pending)
        expire_and_rearm(clock_.now());
    return value(was_pending ? 1 : 0);
}

Reply TimerService::collect_expired(uint32_t channel)
{
    const uint8_t client = client_of_channel_[channel];
    if (client == NoClient)
        return value(0);
    const uint64_t expired = expired_[client];
    expired_[client] = 0;
    return value(expired);
}

void TimerService::handle_clock_event()
{
    // The event answers the request that was armed; whatever is left needs a new one.
    armed_ = false;
    expire_and_rearm(clock_.now());
}

uint64_t TimerService::take_notifications()
{
    const uint64_t channels = notifications_;
    notifications_ = 0;
    return channels;
}

void TimerService::expire_and_rearm(Instant now)
{
    for (;;) {
        queue_.expire_due(now, [&](TimeoutId id) {
            expired_[id.client] |= uint64_t{1} << id.slot;
            notifications_ |= uint64_t{1} << channel_of_client_[id.client];
        });
        if (queue_.is_empty()) {
            if (armed_)
                clock_.disarm();
            armed_ = false;
            return;
        }
        const Instant next = queue_.earliest();
        if (armed_ && armed_for_ == next)
            return;
        if (clock_.arm(next)) {
            armed_ = true;
            armed_for_ = next;
            return;
        }
        // Passed while being armed: due now, and the clock may stay quiet.
        armed_ = false;
        now = clock_.now();
    }
}

} // namespace tessera::timer

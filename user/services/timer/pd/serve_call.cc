// Protected procedure calls into the timer protocol's logic (serve_call.h).
#include "serve_call.h"

namespace tessera::timer {

microkit_msginfo serve_call(TimerService& service, microkit_channel channel, microkit_msginfo call)
{
    Request request{};
    request.label = microkit_msginfo_get_label(call);
    request.length = static_cast<uint32_t>(microkit_msginfo_get_count(call));
    // Only the registers the caller sent are read; the rest stay zero.
    for (uint32_t i = 0; i < request.length && i < 2; ++i)
        request.registers[i] = microkit_mr_get(static_cast<seL4_Uint8>(i));
    const Reply reply = service.handle(channel, request);
    notify_channels(service.take_notifications());
    if (reply.length != 0)
        microkit_mr_set(0, reply.value);
    return microkit_msginfo_new(reply.status, static_cast<seL4_Uint16>(reply.length));
}

microkit_msginfo serve_protected(TimerService& service, bool ready, microkit_channel own_channel,
                                 microkit_channel channel, microkit_msginfo call)
{
    if (!ready)
        return microkit_msginfo_new(TESSERA_TIMER_NO_DEVICE, 0);
    if (channel == own_channel)
        return microkit_msginfo_new(TESSERA_TIMER_BAD_REQUEST, 0);
    return serve_call(service, channel, call);
}

void notify_channels(uint64_t channels)
{
    while (channels != 0) {
        const auto channel = static_cast<microkit_channel>(__builtin_ctzll(channels));
        channels &= channels - 1;
        microkit_notify(channel);
    }
}

} // namespace tessera::timer

// The timer service's protection domain: many timeouts per client (TESSERA_TIMER_SLOTS), on one
// timeout of the HPET driver. Channel 0 leads to the driver (this PD calls it, so the driver has
// the higher priority); every other channel is a client, which calls this PD (so clients have
// lower priorities). docs/drivers.md, "Timer".
#include <microkit.h>
#include <stdio.h>
#include <tessera/timer_client.h>

#include "serve_call.h"
#include "timer_service.h"

namespace {

using namespace tessera::timer;

constexpr microkit_channel DriverChannel = 0;

// The driver's slot 0, through its protected procedure calls.
class DriverClock final : public OneShotClock {
public:
    Instant now() override { return Instant{tessera_timer_now(DriverChannel)}; }
    // The driver notifies even for a deadline already past, so the event always comes.
    bool arm(Instant deadline) override
    {
        (void)tessera_timer_set_deadline(DriverChannel, 0, deadline.nanoseconds());
        return true;
    }
    void disarm() override { (void)tessera_timer_cancel(DriverChannel, 0); }
};

DriverClock driver;
TimerService service(driver, TESSERA_TIMER_SLOTS);
bool ready;

} // namespace

extern "C" void init(void)
{
    const microkit_msginfo reply =
        microkit_ppcall(DriverChannel, microkit_msginfo_new(TESSERA_TIMER_GET_TIME, 0));
    ready = microkit_msginfo_get_label(reply) == TESSERA_TIMER_OK;
    if (!ready)
        printf("%s: the HPET driver has no clock (status %lu): every call will fail\n",
               microkit_name, static_cast<unsigned long>(microkit_msginfo_get_label(reply)));
}

extern "C" void notified(microkit_channel channel)
{
    if (channel != DriverChannel || !ready)
        return;
    service.handle_clock_event();
    notify_channels(service.take_notifications());
}

// Microkit's entry point `protected` is a C++ keyword; the assembler name gives it to this one.
microkit_msginfo serve(microkit_channel channel, microkit_msginfo call) __asm__("protected");
microkit_msginfo serve(microkit_channel channel, microkit_msginfo call)
{
    return serve_protected(service, ready, DriverChannel, channel, call);
}

// The Microkit side of the timer protocol's logic, shared by the HPET driver's and the timer
// service's protection domains: a protected procedure call in, the reply out, notifications sent.
#pragma once

#include <microkit.h>

#include "timer_service.h"

namespace tessera::timer {

// Decodes the call's message registers for `service`, sends the notifications it produced and
// returns the reply.
microkit_msginfo serve_call(TimerService& service, microkit_channel channel, microkit_msginfo call);

// A timer PD's whole protected(): NO_DEVICE while the timer has no clock (`ready` false),
// BAD_REQUEST on `own_channel` (the interrupt or the driver, which never call), serve_call()
// otherwise.
microkit_msginfo serve_protected(TimerService& service, bool ready, microkit_channel own_channel,
                                 microkit_channel channel, microkit_msginfo call);

// Notifies every channel whose bit is set.
void notify_channels(uint64_t channels);

} // namespace tessera::timer

// A clock that can raise one event at a deadline: what the timer protocol's logic runs on. The
// HPET driver implements it with the HPET's counter and timer 0; the timer service with calls to
// the driver.
#pragma once

#include "timeout_queue.h"

namespace tessera::timer {

class OneShotClock {
public:
    virtual Instant now() = 0;
    // Asks for one event at `deadline`, replacing the previous request. Returns false when the
    // deadline had passed by the time it was armed: the caller treats it as due now (an event
    // may follow or not). Returns true when the event will come.
    virtual bool arm(Instant deadline) = 0;
    // Withdraws the request; an event already on its way may still arrive.
    virtual void disarm() = 0;

protected:
    ~OneShotClock() = default;
};

} // namespace tessera::timer

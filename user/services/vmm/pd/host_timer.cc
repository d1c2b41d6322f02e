#include "host_timer.h"

namespace tessera::services::vmm {

libos::Result<void> HostTimer::attach(const GuestClock& clock, volatile uint64_t* registers,
                                      seL4_CPtr irq_handler)
{
    clock_ = &clock;
    handler_ = irq_handler;
    const timer::HpetInitError error = hpet_.init(registers);
    if (error != timer::HpetInitError::None)
        return libos::make_error(seL4_IllegalOperation, timer::describe(error));
    // An edge from before the HPET took the line over (the PIT's) must not stay pending.
    acknowledge();
    return {};
}

bool HostTimer::arm(uint64_t deadline_ns)
{
    if (deadline_ns == armed_for_)
        return true;
    armed_for_ = deadline_ns;
    if (deadline_ns == UINT64_MAX) {
        hpet_.disarm();
        return true;
    }
    // Guest time is the TSC's; the HPET keeps its own: convert by the distance from now.
    const uint64_t now = clock_->now_ns();
    const uint64_t wait = deadline_ns > now ? deadline_ns - now : 0;
    if (hpet_.arm(timer::Instant{hpet_.now().nanoseconds() + wait}))
        return true;
    armed_for_ = UINT64_MAX; // nothing armed: the next call must try again
    return false;
}

void HostTimer::acknowledge()
{
    armed_for_ = UINT64_MAX; // one-shot: the next deadline must be armed again
    (void)seL4_IRQHandler_Ack(handler_);
}

} // namespace tessera::services::vmm

// The VMM's wake-up: HPET timer 0 (legacy routing, I/O APIC pin 2) signals the notification bound
// to the VMM's thread, so that seL4_VMEnter returns when the guest's next timer interrupt is due
// even while the guest runs without exits, and a halted guest lets the VMM block instead of spin.
// The VMM is the HPET's only user: as a root task it maps the HPET and takes the interrupt itself
// (init); as a protection domain the system gives it both (attach; the notification is the PD's).
#pragma once

#include <sel4/sel4.h>
#include <tessera/libos/result.h>

#include "guest_clock.h"
#include "hpet.h"

namespace tessera::services::vmm {

class HostTimer {
public:
    // Maps the HPET's registers at `window` (a free, 2 MiB-aligned address whose PDPT the VMM
    // already has), takes pin 2's IRQ handler and binds a new notification to the VMM's thread.
    libos::Result<void> init(const GuestClock& clock, seL4_Word window);
    // The HPET's registers already mapped (uncached) and the handler of its interrupt, whose
    // notification is bound to this thread.
    libos::Result<void> attach(const GuestClock& clock, volatile uint64_t* registers,
                               seL4_CPtr irq_handler);

    // One wake-up at guest time `deadline_ns` (replacing any earlier one); UINT64_MAX for none.
    // False when that time has passed: no interrupt will come for it.
    bool arm(uint64_t deadline_ns);
    // After the notification: the interrupt is acknowledged so that the next one can come.
    void acknowledge();
    seL4_CPtr notification() const { return notification_; }
    uint64_t now_ns() const { return clock_->now_ns(); }

private:
    const GuestClock* clock_ = nullptr;
    timer::Hpet hpet_;
    seL4_CPtr handler_ = seL4_CapNull;
    seL4_CPtr notification_ = seL4_CapNull;
    uint64_t armed_for_ = UINT64_MAX;
};

} // namespace tessera::services::vmm

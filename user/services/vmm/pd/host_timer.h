// The VMM's wake-up: HPET timer 0 (legacy routing, I/O APIC pin 2) signals the notification bound
// to the VMM's thread, so that seL4_VMEnter returns when the guest's next timer interrupt is due
// even while the guest runs without exits, and a halted guest lets the VMM block instead of spin.
// The VMM is the HPET's only user (it is a root task of its own today; in a system it would ask
// the timer service instead).
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

    // One wake-up at guest time `deadline_ns` (replacing any earlier one); UINT64_MAX for none.
    void arm(uint64_t deadline_ns);
    // After the notification: the interrupt is acknowledged so that the next one can come.
    void acknowledge();
    seL4_CPtr notification() const { return notification_; }

private:
    const GuestClock* clock_ = nullptr;
    timer::Hpet hpet_;
    seL4_CPtr handler_ = seL4_CapNull;
    seL4_CPtr notification_ = seL4_CapNull;
    uint64_t armed_for_ = UINT64_MAX;
};

} // namespace tessera::services::vmm

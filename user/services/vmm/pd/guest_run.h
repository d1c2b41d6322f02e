// The VMM protection domain's side of one VCPU: the Linux 64-bit entry state written into the
// VCPU, then the exit loop: seL4_VMEnter, the exit decoded, the portable ExitHandler's answer
// sent back with the next entry, until the guest powers off, resets or must stop.
#pragma once

#include <sel4/sel4.h>
#include <tessera/libos/result.h>

#include "exit_handler.h"
#include "guest_clock.h"

namespace tessera::services::vmm {

// Long mode with paging on, as the 64-bit boot protocol asks (the loader's GDT, identity page
// tables and boot_params). Errors name the field WriteState refused.
libos::Result<void> set_linux_entry_state(seL4_CPtr vcpu, const LinuxBootPlan& plan);

struct GuestEnd {
    ExitAction action; // PowerOff, Reset or Stop
    const char* reason;
    uint64_t rip; // where the guest was at the end
};

// What the exit loop needs from the place the VMM runs in: a root task of its own (the HPET and
// the kernel's console, pd/main.cc) or a protection domain of a system whose host devices
// (timer, serial client, block client) signal its bound notification (linux/).
class GuestHost {
public:
    // Before each entry: moves what host devices have for the guest (console input) into the
    // platform. True when guest-visible state changed (an interrupt may be due).
    virtual bool poll(uint64_t now_ns) = 0;
    // The one wake-up, at guest time `deadline_ns` (UINT64_MAX: none), replacing any earlier.
    // False when that time has already passed (nothing will signal: the loop acts as if it had).
    virtual bool arm(uint64_t deadline_ns) = 0;
    // Notification bits that ended seL4_VMEnter or a wait: each served (a timer acknowledged,
    // console input taken, disk completions delivered to the guest's device).
    virtual void notified(seL4_Word badge, uint64_t now_ns) = 0;
    // Blocks until a notification while the guest halts; its badge. Partial output leaves first.
    virtual seL4_Word wait() = 0;

protected:
    ~GuestHost() = default;
};

// Runs the bound VCPU from `first` until the guest ends; `host` wakes the VMM at the guest's
// timer deadlines and brings it host events.
GuestEnd run_guest(seL4_CPtr vcpu, ExitHandler& handler, Platform& platform,
                   const GuestClock& clock, GuestHost& host, const VcpuEntry& first);

// Prints the VMM's last line ("vmm: the guest powered off after N exits", or why it stopped)
// and returns the VMM's status: 0 powered off, 1 stopped, 2 reset.
int report_guest_end(const GuestEnd& end, uint64_t exits);

} // namespace tessera::services::vmm

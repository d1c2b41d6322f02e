// The VMM protection domain's side of one VCPU: the Linux 64-bit entry state written into the
// VCPU, then the exit loop: seL4_VMEnter, the exit decoded, the portable ExitHandler's answer
// sent back with the next entry, until the guest powers off, resets or must stop.
#pragma once

#include <sel4/sel4.h>
#include <tessera/libos/result.h>

#include "console_input.h"
#include "exit_handler.h"
#include "guest_clock.h"
#include "host_timer.h"

namespace tessera::services::vmm {

// Long mode with paging on, as the 64-bit boot protocol asks (the loader's GDT, identity page
// tables and boot_params). Errors name the field WriteState refused.
libos::Result<void> set_linux_entry_state(seL4_CPtr vcpu, const LinuxBootPlan& plan);

struct GuestEnd {
    ExitAction action; // PowerOff, Reset or Stop
    const char* reason;
    uint64_t rip; // where the guest was at the end
};

// Runs the bound VCPU from `first` until the guest ends; `timer` wakes the VMM at the guest's
// timer deadlines and to poll `input`.
GuestEnd run_guest(seL4_CPtr vcpu, ExitHandler& handler, Platform& platform,
                   const GuestClock& clock, HostTimer& timer, ConsoleInput& input,
                   const VcpuEntry& first);

} // namespace tessera::services::vmm

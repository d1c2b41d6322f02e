// The HPET driver's protection domain: holds the HPET's register page (uncached, address patched
// into `hpet_registers` by the system description) and timer 0's interrupt on channel 0, and
// serves the timer protocol (tessera/timer.h) to every other channel, one timeout each, as
// seL4's sDDF timer drivers do. Clients call it, so they have lower priorities.
#include <microkit.h>
#include <stdio.h>

#include "hpet.h"
#include "serve_call.h"
#include "timer_service.h"

// Patched by the system description (map setvar_vaddr): where the HPET's registers are mapped.
extern "C" {
__attribute__((section(".data"))) uintptr_t hpet_registers;
}

namespace {

using namespace tessera::timer;

constexpr microkit_channel IrqChannel = 0;

Hpet hpet;
TimerService service(hpet, 1);
bool ready;

} // namespace

extern "C" void init(void)
{
    const HpetInitError error = hpet.init(reinterpret_cast<volatile uint64_t*>(hpet_registers));
    ready = error == HpetInitError::None;
    if (!ready)
        printf("%s: %s: every call will fail\n", microkit_name, describe(error));
}

extern "C" void notified(microkit_channel channel)
{
    if (channel != IrqChannel)
        return;
    // Acknowledged first: the counter is read after, so an edge that comes meanwhile is either
    // seen as due now or delivered again.
    microkit_irq_ack(channel);
    if (!ready)
        return;
    service.handle_clock_event();
    notify_channels(service.take_notifications());
}

// Microkit's entry point `protected` is a C++ keyword; the assembler name gives it to this one.
microkit_msginfo serve(microkit_channel channel, microkit_msginfo call) __asm__("protected");
microkit_msginfo serve(microkit_channel channel, microkit_msginfo call)
{
    return serve_protected(service, ready, IrqChannel, channel, call);
}

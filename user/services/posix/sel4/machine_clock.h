// The time calls' clock on a PC: the HPET's main counter for monotonic time (nanoseconds since
// the counter started, which it does at boot), and the CMOS real-time clock, read once at start,
// for the offset to the Unix epoch (the RTC counts whole seconds: realtime is within a second).
// Its events are HPET timer 0's interrupt (legacy replacement routing: I/O APIC pin 2), signalled
// to a notification bound to the server's thread, so the server's receive on its endpoint
// returns with Server::ClockBadge when a deadline comes.
#pragma once

#include <tessera/alloc/object_allocator.h>

#include "hpet.h"
#include "sel4/page_tables.h"
#include "server/server.h"

namespace tessera::posix::sel4 {

class MachineClock final : public server::Clock {
public:
    // Maps the HPET (uncached, at `window` in the server's address space) and reads the RTC.
    // False after printing why, when either is missing or refused.
    // Without the interrupt (refused, printed) the clock still reads, but has no events.
    bool start(alloc::ObjectAllocator& objects, PageTables& self, uint64_t window);
    // The same in a protection domain, from what its description gave it: the HPET's registers
    // already mapped, a capability for the RTC's ports (0x70-0x71) and the handler of timer 0's
    // interrupt, which is rebound to a notification of the server's own (badged ClockBadge).
    bool start_given(alloc::ObjectAllocator& objects, volatile uint64_t* registers,
                     seL4_CPtr rtc_ports, seL4_CPtr irq_handler);

    uint64_t monotonic_nanoseconds() override;
    uint64_t realtime_nanoseconds() override;
    bool has_events() const override { return irq_handler_ != 0; }
    bool arm(uint64_t deadline) override;
    void disarm() override;
    void acknowledge() override;

private:
    bool read_time(volatile uint64_t* registers, seL4_CPtr rtc_ports);
    bool take_interrupt(alloc::ObjectAllocator& objects, seL4_CPtr handler);

    timer::Hpet hpet_;
    uint64_t epoch_offset_ = 0; // realtime - monotonic, in nanoseconds
    seL4_CPtr irq_handler_ = 0;
    bool armed_ = false;
    uint64_t armed_deadline_ = 0;
};

} // namespace tessera::posix::sel4

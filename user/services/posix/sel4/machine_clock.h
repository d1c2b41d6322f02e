// The time calls' clock on a PC: the HPET's main counter for monotonic time (nanoseconds since
// the counter started, which it does at boot), and the CMOS real-time clock, read once at start,
// for the offset to the Unix epoch (the RTC counts whole seconds: realtime is within a second).
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
    bool start(alloc::ObjectAllocator& objects, PageTables& self, uint64_t window);

    uint64_t monotonic_nanoseconds() override;
    uint64_t realtime_nanoseconds() override;

private:
    timer::Hpet hpet_;
    uint64_t epoch_offset_ = 0; // realtime - monotonic, in nanoseconds
};

// The RTC's date and time (UTC, as QEMU and most PCs keep it) as seconds since 1970.
struct RtcTime {
    unsigned year, month, day, hour, minute, second;
};
uint64_t seconds_since_epoch(const RtcTime& time);

} // namespace tessera::posix::sel4

// seL4's domain scheduler state (src/object/domain.c, src/kernel/thread.c nextDomain): a cyclic
// table of (domain, duration in timer ticks) entries that the kernel steps through from a start
// index, returning to the start at an end marker. Only threads of the current domain run.
#pragma once

#include <cstdint>

#include "base/types.h"

namespace tessera::core {

// The most domains and schedule entries: seL4's KernelNumDomains and KernelNumDomainSchedules
// as Microkit 2.3.0's SDK builds its kernels (16 and 100). How many a booted kernel has is its
// DomainLimits: seL4 fixes them at build time, Tessera reads them from its kernel file at boot,
// where the tools write them (kernel/arch/x86_64/boot/kernel_config.h, decision 22).
inline constexpr unsigned DomainCount = 16;
inline constexpr Word DomainScheduleLength = 100;
// seL4 packs an entry into a word with the domain in the top 8 bits: durations have 56.
inline constexpr uint64_t DomainMaxDuration = ~uint64_t{0} >> 8;

enum class Domain : uint8_t {};

struct DomainLimits {
    unsigned domains = 1;   // seL4's default build: one domain
    Word schedule_length = 2; // ... and KernelNumDomainSchedules' value without domains
    // Microkit's SDK kernels.
    static constexpr DomainLimits microkit() { return DomainLimits{DomainCount, DomainScheduleLength}; }
};

struct DomainEntry {
    Domain domain{};
    uint64_t duration = 0; // timer ticks; 0 with domain 0 is an end marker
    bool is_end_marker() const { return domain == Domain{} && duration == 0; }
};

class DomainSchedule {
public:
    // After boot (seL4 init_core_state): entry 0 is domain 0 for the longest duration, every
    // other entry an end marker, so one domain runs as if there were no domain scheduler.
    DomainSchedule() { entries_[0] = DomainEntry{Domain{}, DomainMaxDuration}; }

    // Sets how many domains and entries this kernel has (at boot, before any thread runs).
    void set_limits(DomainLimits limits) { limits_ = limits; }
    const DomainLimits& limits() const { return limits_; }

    Domain current() const { return current_; }
    Word index() const { return index_; }
    Word start() const { return start_; }
    uint64_t remaining() const { return remaining_; }
    const DomainEntry& entry(Word index) const { return entries_[index]; }
    bool is_end_marker(Word index) const { return entries_[index].is_end_marker(); }
    // Whether `domain` gets a turn: an entry from the start index to the first end marker names it.
    bool is_scheduled(Domain domain) const;

    // One timer tick (seL4 timerTick's domain half). True when the domain's time just ran out:
    // the caller then asks for a reschedule, which moves to the next entry.
    bool tick();
    // Whether the current entry's time is over (seL4 ksDomainTime == 0).
    bool is_expired() const { return remaining_ == 0; }
    // seL4 nextDomain: the next entry, or the start one after an end marker.
    void advance();
    // seL4 invokeDomainScheduleConfigure: the entry changes now; the running entry keeps its
    // remaining time. Decoded by the caller (index < length - 1, domain < count, duration fits).
    void configure(Word index, DomainEntry entry) { entries_[index] = entry; }
    // seL4 invokeDomainScheduleSetStart: the current entry ends now and the next choice starts
    // at `index` (not an end marker: decoded by the caller).
    void set_start(Word index);

private:
    DomainLimits limits_;
    DomainEntry entries_[DomainScheduleLength];
    Word start_ = 0;
    Word index_ = 0;
    Domain current_{};
    uint64_t remaining_ = DomainMaxDuration;
};

} // namespace tessera::core

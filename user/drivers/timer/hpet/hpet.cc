// The HPET as a one-shot clock (hpet.h). Register offsets and bits: IA-PC HPET 1.0a, section 2.3.
#include "hpet.h"

namespace tessera::timer {

namespace {

constexpr uint32_t Capabilities = 0x000, Configuration = 0x010, MainCounter = 0x0f0,
                   Timer0Configuration = 0x100, Timer0Comparator = 0x108;

// General capabilities: period in bits 63:32, 64-bit counter, legacy replacement capable.
constexpr uint64_t CounterIs64Bits = 1ull << 13, LegacyRoutingCapable = 1ull << 15;
// General configuration.
constexpr uint64_t Enable = 1ull << 0, LegacyRouting = 1ull << 1;
// Timer N configuration.
constexpr uint64_t LevelTriggered = 1ull << 1, InterruptEnable = 1ull << 2, Periodic = 1ull << 3,
                   Force32Bit = 1ull << 8;

} // namespace

const char* describe(HpetInitError error)
{
    switch (error) {
    case HpetInitError::None:
        return "no error";
    case HpetInitError::NoHpet:
        return "no HPET: the counter period is 0 or above 100 ns";
    case HpetInitError::NarrowCounter:
        return "the HPET's main counter has 32 bits; this driver needs 64";
    case HpetInitError::NoLegacyRouting:
        return "the HPET cannot route timer 0 in legacy replacement mode";
    }
    return "unknown error";
}

HpetInitError Hpet::init(volatile uint64_t* registers)
{
    registers_ = registers;
    const uint64_t capabilities = reg(Capabilities);
    if (!conversion_.init(capabilities >> 32))
        return HpetInitError::NoHpet;
    if ((capabilities & CounterIs64Bits) == 0)
        return HpetInitError::NarrowCounter;
    if ((capabilities & LegacyRoutingCapable) == 0)
        return HpetInitError::NoLegacyRouting;
    reg(Timer0Configuration) =
        reg(Timer0Configuration) & ~(LevelTriggered | InterruptEnable | Periodic | Force32Bit);
    reg(Configuration) = reg(Configuration) | Enable | LegacyRouting;
    return HpetInitError::None;
}

Instant Hpet::now()
{
    return Instant{conversion_.to_nanoseconds(reg(MainCounter))};
}

bool Hpet::arm(Instant deadline)
{
    const uint64_t comparator = conversion_.to_ticks(deadline.nanoseconds());
    // The comparator is written before the interrupt is enabled, so no stale value fires it.
    reg(Timer0Comparator) = comparator;
    reg(Timer0Configuration) = reg(Timer0Configuration) | InterruptEnable;
    // The timer fires when the counter reaches the comparator; one already passed never fires.
    return reg(MainCounter) < comparator;
}

void Hpet::disarm()
{
    reg(Timer0Configuration) = reg(Timer0Configuration) & ~InterruptEnable;
}

} // namespace tessera::timer

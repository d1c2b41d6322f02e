// The HPET as a one-shot clock (hpet.h), over its registers as user/lib/pc_devices declares them.
#include "hpet.h"

#include <tessera/pc_devices/hpet_registers.h>

namespace tessera::timer {

using namespace pc_devices::hpet;

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
    if (!conversion_.init(capabilities >> PeriodShift))
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

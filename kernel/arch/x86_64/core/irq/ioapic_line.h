// An IOAPIC interrupt line as seL4's IRQControl_GetIOAPIC names it: which chip and pin, and the
// trigger mode and polarity the caller asked for (the numbers are the redirection entry's bits).
#pragma once

#include "base/types.h"

namespace tessera::core {

struct IoapicPin {
    Word ioapic;
    Word pin;
    constexpr bool operator==(const IoapicPin&) const = default;
};

namespace ioapic {
enum class Trigger : Word { Edge = 0, Level = 1 };
enum class Polarity : Word { ActiveHigh = 0, ActiveLow = 1 };
} // namespace ioapic

} // namespace tessera::core

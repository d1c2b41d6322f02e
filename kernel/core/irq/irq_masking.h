// Whether an interrupt line is masked: what the IRQ table asks of the architecture's interrupt
// controller (x86_64: the IOAPIC entry's mask bit, 1 = masked).
#pragma once

#include "base/types.h"

namespace tessera::core {

enum class IrqMasking : Word { Unmasked = 0, Masked = 1 };

} // namespace tessera::core

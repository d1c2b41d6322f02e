// What a device interrupt does once the arch has turned its vector into an IRQ number (seL4
// handleInterrupt): signal the notification the IRQ's handler set and mask the line until the
// driver acknowledges it; anything unexpected is counted, never fatal.
#pragma once

#include "base/types.h"
#include "irq/irq_table.h"

namespace tessera::core {

// Signals a notification; the kernel's IPC implements it (seL4 sendSignal).
class NotificationSignaller {
public:
    virtual void signal(PAddr notification, Badge badge) = 0;

protected:
    ~NotificationSignaller() = default;
};

enum class IrqOutcome { Signalled, Undelivered, Unclaimed, Spurious };

// The caller acknowledges the interrupt at the local APIC afterwards, whatever the outcome.
IrqOutcome handle_irq(IrqTable& table, InterruptController& controller,
                      NotificationSignaller& signaller, IrqNumber irq);

} // namespace tessera::core

// Recording stand-ins for the arch side of device support: the kernel's notification signalling
// (port instructions and the IOAPIC are the fake arch library's FakePorts and FakeController).
#pragma once

#include <utility>
#include <vector>

#include "fake_interrupt_controller.h"
#include "fake_ports.h"
#include "irq/irq_delivery.h"
#include "irq/irq_table.h"

namespace tessera::core::test {

struct FakeSignaller final : NotificationSignaller {
    std::vector<std::pair<PAddr, Badge>> signals;
    void signal(PAddr notification, Badge badge) override
    {
        signals.emplace_back(notification, badge);
    }
};

} // namespace tessera::core::test

// Recording stand-ins for the arch side of device support: port instructions and the kernel's
// notification signalling (the IOAPIC's is the fake arch library's FakeController).
#pragma once

#include <utility>
#include <vector>

#include "fake_interrupt_controller.h"
#include "ioport/ioport_invocation.h"
#include "irq/irq_delivery.h"
#include "irq/irq_table.h"

namespace tessera::core::test {

struct FakePorts final : PortAccess {
    struct Access {
        Word port;
        PortWidth width;
        Word value;
        bool operator==(const Access&) const = default;
    };
    std::vector<Access> reads, writes;
    Word next_read_value = 0;
    Word read(IoPort port, PortWidth width) override
    {
        reads.push_back({port.raw(), width, next_read_value});
        return next_read_value;
    }
    void write(IoPort port, PortWidth width, Word value) override
    {
        writes.push_back({port.raw(), width, value});
    }
};

struct FakeSignaller final : NotificationSignaller {
    std::vector<std::pair<PAddr, Badge>> signals;
    void signal(PAddr notification, Badge badge) override
    {
        signals.emplace_back(notification, badge);
    }
};

} // namespace tessera::core::test

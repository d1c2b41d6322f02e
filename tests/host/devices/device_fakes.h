// Recording stand-ins for the arch side of device support: port instructions, the IOAPIC and the
// kernel's notification signalling.
#pragma once

#include <map>
#include <utility>
#include <vector>

#include "ioport/ioport_invocation.h"
#include "irq/ioapic_entry.h"
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

struct FakeController final : InterruptController {
    struct Route {
        ioapic::Trigger trigger;
        ioapic::Polarity polarity;
        Word vector;
    };
    Word ioapics = 1;
    std::map<std::pair<Word, Word>, Route> routes;
    std::map<std::pair<Word, Word>, bool> masked; // true: masked at the chip
    Word ioapic_count() const override { return ioapics; }
    void route_pin(IoapicPin pin, ioapic::Trigger trigger, ioapic::Polarity polarity,
                   Word vector) override
    {
        routes[{pin.ioapic, pin.pin}] = {trigger, polarity, vector};
        masked[{pin.ioapic, pin.pin}] = true;
    }
    void mask_pin(IoapicPin pin, ioapic::Masking masking) override
    {
        masked[{pin.ioapic, pin.pin}] = masking == ioapic::Masking::Masked;
    }
    bool has_route(Word ioapic, Word pin) const { return routes.count({ioapic, pin}) == 1; }
    Route route(Word ioapic, Word pin) const { return routes.at({ioapic, pin}); }
    bool is_masked(Word ioapic, Word pin) const
    {
        auto it = masked.find({ioapic, pin});
        return it == masked.end() || it->second;
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

// The host tests' interrupt controller: core::InterruptController recording the pins it routes and
// masks, with one IOAPIC unless a test says otherwise. fake_interrupt_controller.cc defines
// InterruptController's members over it, linked in place of the kernel's IOAPICs (STYLE rule 9).
#pragma once

#include <map>
#include <utility>

#include "irq/ioapic_entry.h"
#include "irq/irq_route.h"

namespace tessera::core::test {

// The only InterruptController a host test makes.
class FakeController final : public InterruptController {
public:
    struct Route {
        ioapic::Trigger trigger;
        ioapic::Polarity polarity;
        Word vector;
    };
    Word ioapics = 1;
    std::map<std::pair<Word, Word>, Route> routes;
    std::map<std::pair<Word, Word>, bool> masked; // true: masked at the chip

    bool has_route(Word ioapic, Word pin) const { return routes.count({ioapic, pin}) == 1; }
    Route route(Word ioapic, Word pin) const { return routes.at({ioapic, pin}); }
    bool is_masked(Word ioapic, Word pin) const
    {
        auto it = masked.find({ioapic, pin});
        return it == masked.end() || it->second;
    }
};

} // namespace tessera::core::test

// core::InterruptController for the host tests, over FakeController's maps.
#include "fake_interrupt_controller.h"

namespace tessera::core {

namespace {

// Sound because a host test makes no InterruptController but a FakeController (the constructor
// is protected and FakeController is its only class here).
test::FakeController& fake(InterruptController& controller)
{
    return static_cast<test::FakeController&>(controller);
}

} // namespace

Word InterruptController::ioapic_count() const
{
    return static_cast<const test::FakeController&>(*this).ioapics;
}

void InterruptController::route_pin(IoapicPin pin, ioapic::Trigger trigger,
                                    ioapic::Polarity polarity, Word vector)
{
    test::FakeController& f = fake(*this);
    f.routes[{pin.ioapic, pin.pin}] = {trigger, polarity, vector};
    f.masked[{pin.ioapic, pin.pin}] = true;
}

void InterruptController::mask_pin(IoapicPin pin, IrqMasking masking)
{
    fake(*this).masked[{pin.ioapic, pin.pin}] = masking == IrqMasking::Masked;
}

} // namespace tessera::core

// The I/O APIC model (io_apic.h).
#include "io_apic.h"

namespace tessera::services::vmm {
namespace {

constexpr uint64_t SelectOffset = 0x00, WindowOffset = 0x10;
constexpr uint8_t RegisterId = 0x00, RegisterVersion = 0x01, RegisterArbitration = 0x02,
                  RegisterTableFirst = 0x10;
constexpr uint32_t Version = 0x20; // 82093AA-compatible version as Linux expects

constexpr uint64_t EntryVector = 0xff;
constexpr unsigned EntryModeShift = 8;
constexpr uint64_t EntryLogical = 1ull << 11;
constexpr uint64_t EntryDeliveryPending = 1ull << 12;
constexpr uint64_t EntryRemoteIrr = 1ull << 14;
constexpr uint64_t EntryLevel = 1ull << 15;
constexpr uint64_t EntryMasked = 1ull << 16;
constexpr unsigned EntryDestinationShift = 56;
// Bits software may write: all but delivery status and Remote IRR.
constexpr uint64_t EntryWritable = ~(EntryDeliveryPending | EntryRemoteIrr);

} // namespace

IoApic::IoApic(InterruptSink& sink, uint8_t id) : sink_(sink), id_(id)
{
    for (uint64_t& entry : entries_)
        entry = EntryMasked; // reset state: every input masked
}

uint32_t IoApic::read_register(uint8_t index) const
{
    if (index == RegisterId || index == RegisterArbitration)
        return static_cast<uint32_t>(id_ & 0x0f) << 24;
    if (index == RegisterVersion)
        return Version | ((IoApicPins - 1) << 16);
    if (index >= RegisterTableFirst && index < RegisterTableFirst + 2 * IoApicPins) {
        unsigned pin = (index - RegisterTableFirst) / 2;
        bool high = (index - RegisterTableFirst) % 2 == 1;
        return static_cast<uint32_t>(high ? entries_[pin] >> 32 : entries_[pin]);
    }
    return 0;
}

void IoApic::write_register(uint8_t index, uint32_t value)
{
    if (index == RegisterId) {
        id_ = static_cast<uint8_t>((value >> 24) & 0x0f);
        return;
    }
    if (index < RegisterTableFirst || index >= RegisterTableFirst + 2 * IoApicPins)
        return; // version and arbitration are read-only
    unsigned pin = (index - RegisterTableFirst) / 2;
    bool high = (index - RegisterTableFirst) % 2 == 1;
    uint64_t entry = entries_[pin];
    uint64_t updated = high ? (entry & 0xffffffffull) | (static_cast<uint64_t>(value) << 32)
                            : (entry & ~0xffffffffull) | value;
    entries_[pin] = (updated & EntryWritable) | (entry & EntryRemoteIrr);
    if (!(entries_[pin] & EntryLevel))
        entries_[pin] &= ~EntryRemoteIrr;
    // Unmasking a level-triggered input whose line is asserted delivers it now.
    if (entries_[pin] & EntryLevel)
        try_deliver(pin);
}

uint32_t IoApic::read(uint64_t offset) const
{
    if (offset == SelectOffset)
        return select_;
    if (offset == WindowOffset)
        return read_register(select_);
    return 0;
}

void IoApic::write(uint64_t offset, uint32_t value)
{
    if (offset == SelectOffset)
        select_ = static_cast<uint8_t>(value);
    else if (offset == WindowOffset)
        write_register(select_, value);
}

void IoApic::try_deliver(unsigned pin)
{
    uint64_t entry = entries_[pin];
    if (!lines_[pin] || (entry & EntryMasked))
        return;
    bool level = (entry & EntryLevel) != 0;
    if (level && (entry & EntryRemoteIrr))
        return; // the last delivery has not been EOIed yet
    InterruptMessage message{static_cast<uint8_t>(entry & EntryVector),
                             static_cast<DeliveryMode>((entry >> EntryModeShift) & 7), level,
                             (entry & EntryLogical) != 0,
                             static_cast<uint8_t>(entry >> EntryDestinationShift)};
    if (level)
        entries_[pin] |= EntryRemoteIrr;
    sink_.deliver(message);
}

void IoApic::set_line(unsigned pin, bool asserted)
{
    if (pin >= IoApicPins)
        return;
    bool rising = asserted && !lines_[pin];
    lines_[pin] = asserted;
    bool level = (entries_[pin] & EntryLevel) != 0;
    // Edge inputs fire on the rising edge only (an edge while masked is lost, as on the chip);
    // level inputs fire while asserted.
    if (level || rising)
        try_deliver(pin);
}

void IoApic::end_of_interrupt(uint8_t vector)
{
    for (unsigned pin = 0; pin < IoApicPins; ++pin) {
        uint64_t entry = entries_[pin];
        if ((entry & EntryLevel) && (entry & EntryRemoteIrr) && (entry & EntryVector) == vector) {
            entries_[pin] &= ~EntryRemoteIrr;
            try_deliver(pin);
        }
    }
}

} // namespace tessera::services::vmm

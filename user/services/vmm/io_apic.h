// The guest's I/O APIC at 0xfec00000 (24 inputs, GSI 0-23): the indirect register window Linux
// programs, edge- and level-triggered delivery with Remote IRR and EOI, masking. What it delivers
// goes to an InterruptSink (the VMM's local APIC). Facts from the Intel 82093AA data sheet (1996).
// The VMM's devices assert and deassert inputs logically, so the polarity bit is kept but does not
// invert anything.
#pragma once

#include <stdint.h>

namespace tessera::services::vmm {

constexpr unsigned IoApicPins = 24;
constexpr uint64_t IoApicWindowBytes = 0x20;

enum class DeliveryMode : uint8_t {
    Fixed = 0,
    LowestPriority = 1,
    Smi = 2,
    Nmi = 4,
    Init = 5,
    ExtInt = 7,
};

struct InterruptMessage {
    uint8_t vector;
    DeliveryMode mode;
    bool level_triggered;
    bool logical_destination;
    uint8_t destination;
};

class InterruptSink {
public:
    virtual void deliver(const InterruptMessage& message) = 0;

protected:
    ~InterruptSink() = default;
};

class IoApic {
public:
    IoApic(InterruptSink& sink, uint8_t id);

    // 32-bit MMIO at `offset` from the base: 0x00 IOREGSEL, 0x10 IOWIN; others read 0, ignore
    // writes.
    uint32_t read(uint64_t offset) const;
    void write(uint64_t offset, uint32_t value);

    // An input's request; `pin` >= IoApicPins is ignored.
    void set_line(unsigned pin, bool asserted);
    // The local APIC's EOI for `vector`: level-triggered entries with that vector may fire again.
    void end_of_interrupt(uint8_t vector);

    uint64_t redirection(unsigned pin) const { return pin < IoApicPins ? entries_[pin] : 0; }

private:
    void try_deliver(unsigned pin);
    uint32_t read_register(uint8_t index) const;
    void write_register(uint8_t index, uint32_t value);

    InterruptSink& sink_;
    uint8_t id_;
    uint8_t select_ = 0;
    uint64_t entries_[IoApicPins];
    bool lines_[IoApicPins] = {};
};

} // namespace tessera::services::vmm

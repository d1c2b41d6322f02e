// The legacy 8259A pair (ports 0x20/0x21, 0xa0/0xa1) and its edge/level control registers
// (0x4d0/0x4d1), present because the MADT says PCAT_COMPAT: Linux probes the master's mask
// register, runs the initialisation sequence and then masks every input, taking its interrupts
// from the I/O APIC. So this pair keeps exact register state (ICW sequence, IMR, OCW3 read
// select, ELCR) but never raises an interrupt: the VMM's devices are wired to the I/O APIC.
// Facts from the Intel 8259A data sheet (1988).
#pragma once

#include <stdint.h>

namespace tessera::services::vmm {

class Pic8259Pair {
public:
    static bool handles(uint16_t port);
    uint8_t read(uint16_t port) const;
    void write(uint16_t port, uint8_t value);

    // The vector base each chip was initialised with (ICW2), for tests and diagnostics.
    uint8_t vector_base(bool slave) const { return chips_[slave ? 1 : 0].vector_base; }

private:
    struct Chip {
        uint8_t mask = 0xff; // IMR: all masked until initialised
        uint8_t vector_base = 0;
        uint8_t init_step = 0; // 0 ready; 2, 3, 4: expecting ICW2, ICW3, ICW4
        bool expects_icw4 = false;
        bool single = false;
        bool read_isr = false; // OCW3: the command port reads ISR (else IRR)
        uint8_t elcr = 0;
    };

    Chip chips_[2];
};

} // namespace tessera::services::vmm

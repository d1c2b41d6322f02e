// The ACPI fixed hardware the guest's FADT names (acpi_tables.h): PM1a event and control
// registers, the 3.579545 MHz PM timer, and the chipset reset register at 0xcf9. This is how a
// guest powers off (SLP_TYP = \_S5's value with SLP_EN) or resets, and the PM timer is a clock
// Linux can calibrate against. ACPI 6.4, 4.8.3 (PM1 registers), 4.8.3.3 (PM timer).
#pragma once

#include <stdint.h>

namespace tessera::services::vmm {

enum class PowerEvent : uint8_t { None, PowerOff, Reset };

constexpr uint64_t PmTimerHz = 3579545;

class AcpiPm {
public:
    // Whether `port` belongs to these registers.
    static bool handles(uint16_t port);

    // I/O reads and writes of `size` 1, 2 or 4 bytes at `port` (handles(port) must hold; bytes
    // past the register block read 0xff and are ignored). `now_ns` is the guest's monotonic time.
    uint32_t read(uint16_t port, unsigned size, uint64_t now_ns) const;
    PowerEvent write(uint16_t port, unsigned size, uint32_t value);

    // Pressing the power button: the guest sees PWRBTN_STS and, when it enabled the event, an
    // SCI, and shuts down in an orderly way.
    void press_power_button();
    // Whether the SCI line is raised.
    bool sci_pending() const;

private:
    uint8_t read_byte(uint16_t port, uint64_t now_ns) const;
    PowerEvent write_byte(uint16_t port, uint8_t value);

    uint16_t status_ = 0;
    uint16_t enable_ = 0;
    uint16_t control_ = 1; // SCI_EN: ACPI mode from the start (the FADT has no SMI_CMD)
};

} // namespace tessera::services::vmm

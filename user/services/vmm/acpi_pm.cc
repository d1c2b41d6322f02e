// The ACPI PM registers (acpi_pm.h).
#include "acpi_pm.h"

#include "acpi_tables.h"
#include "time_scale.h"

namespace tessera::services::vmm {
namespace {

constexpr uint16_t PowerButtonStatus = 1u << 8;
constexpr uint16_t WakeStatus = 1u << 15;
constexpr uint16_t ControlWritable = Pm1SciEnable | Pm1SleepTypeMask | (1u << 1) | (1u << 2);
constexpr uint8_t ResetCpu = 1u << 2;

} // namespace

bool AcpiPm::handles(uint16_t port)
{
    return (port >= acpi_port::Pm1aEvent && port < acpi_port::PmTimer + 4) ||
           port == acpi_port::Reset;
}

uint8_t AcpiPm::read_byte(uint16_t port, uint64_t now_ns) const
{
    auto byte_of = [](uint32_t value, unsigned index) {
        return static_cast<uint8_t>(value >> (8 * index));
    };
    if (port >= acpi_port::Pm1aEvent && port < acpi_port::Pm1aEvent + 2)
        return byte_of(status_, port - acpi_port::Pm1aEvent);
    if (port >= acpi_port::Pm1aEvent + 2 && port < acpi_port::Pm1aEvent + 4)
        return byte_of(enable_, port - acpi_port::Pm1aEvent - 2);
    if (port >= acpi_port::Pm1aControl && port < acpi_port::Pm1aControl + 2)
        return byte_of(control_, port - acpi_port::Pm1aControl);
    if (port >= acpi_port::PmTimer && port < acpi_port::PmTimer + 4) {
        // 32-bit counter (FADT TMR_VAL_EXT).
        const uint64_t ticks = scale_down(now_ns, PmTimerHz, NsPerSecond);
        return byte_of(static_cast<uint32_t>(ticks), port - acpi_port::PmTimer);
    }
    return 0xff;
}

uint32_t AcpiPm::read(uint16_t port, unsigned size, uint64_t now_ns) const
{
    uint32_t value = 0;
    for (unsigned i = 0; i < size && i < 4; ++i)
        value |= static_cast<uint32_t>(read_byte(static_cast<uint16_t>(port + i), now_ns))
                 << (8 * i);
    return value;
}

PowerEvent AcpiPm::write_byte(uint16_t port, uint8_t value)
{
    auto with_byte = [](uint16_t word, unsigned index, uint8_t byte) {
        unsigned shift = 8 * index;
        return static_cast<uint16_t>((word & ~(0xffu << shift)) | (byte << shift));
    };
    if (port >= acpi_port::Pm1aEvent && port < acpi_port::Pm1aEvent + 2) {
        // Status bits are cleared by writing 1.
        unsigned index = port - acpi_port::Pm1aEvent;
        status_ = static_cast<uint16_t>(status_ & ~(static_cast<uint16_t>(value) << (8 * index)));
        return PowerEvent::None;
    }
    if (port >= acpi_port::Pm1aEvent + 2 && port < acpi_port::Pm1aEvent + 4) {
        enable_ = with_byte(enable_, port - acpi_port::Pm1aEvent - 2, value);
        return PowerEvent::None;
    }
    if (port >= acpi_port::Pm1aControl && port < acpi_port::Pm1aControl + 2) {
        uint16_t written = with_byte(control_, port - acpi_port::Pm1aControl, value);
        bool sleep = (written & Pm1SleepEnable) != 0;
        // SLP_EN is write-only and SCI_EN stays set: there is no legacy mode to return to.
        control_ = static_cast<uint16_t>((written & ControlWritable) | Pm1SciEnable);
        if (!sleep)
            return PowerEvent::None;
        unsigned type = (written & Pm1SleepTypeMask) >> Pm1SleepTypeShift;
        // Only \_S5 is announced; another sleep type is a guest bug and changes nothing.
        return type == S5SleepType ? PowerEvent::PowerOff : PowerEvent::None;
    }
    if (port == acpi_port::Reset && (value & ResetCpu) != 0)
        return PowerEvent::Reset;
    return PowerEvent::None;
}

PowerEvent AcpiPm::write(uint16_t port, unsigned size, uint32_t value)
{
    // A 16-bit write to PM1 control must see both bytes before SLP_EN acts: apply the low byte
    // first, then the high byte (which holds SLP_TYP and SLP_EN).
    PowerEvent event = PowerEvent::None;
    for (unsigned i = 0; i < size && i < 4; ++i) {
        PowerEvent byte_event =
            write_byte(static_cast<uint16_t>(port + i), static_cast<uint8_t>(value >> (8 * i)));
        if (byte_event != PowerEvent::None)
            event = byte_event;
    }
    return event;
}

void AcpiPm::press_power_button()
{
    status_ |= PowerButtonStatus;
}

bool AcpiPm::sci_pending() const
{
    return (status_ & enable_ & ~WakeStatus) != 0 && (control_ & Pm1SciEnable) != 0;
}

} // namespace tessera::services::vmm

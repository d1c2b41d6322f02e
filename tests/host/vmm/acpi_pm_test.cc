// The ACPI PM registers: poweroff as Linux's acpi_power_off writes it, reset through 0xcf9, the
// PM timer's rate and wrap, write-one-to-clear status, and the SCI for the power button.
#include "acpi_pm.h"
#include "acpi_tables.h"

#include <gtest/gtest.h>

namespace tessera::services::vmm {
namespace {

constexpr uint16_t Status = acpi_port::Pm1aEvent, Enable = acpi_port::Pm1aEvent + 2,
                   Control = acpi_port::Pm1aControl, Timer = acpi_port::PmTimer;

TEST(AcpiPm, PowersOffOnSleepTypeFiveWithSleepEnable)
{
    AcpiPm pm;
    uint32_t control = pm.read(Control, 2, 0);
    EXPECT_EQ(control & Pm1SciEnable, Pm1SciEnable); // ACPI mode from reset
    // ACPICA writes SLP_TYP first, then SLP_TYP|SLP_EN.
    uint32_t typed = (control & ~Pm1SleepTypeMask) | (S5SleepType << Pm1SleepTypeShift);
    EXPECT_EQ(pm.write(Control, 2, typed), PowerEvent::None);
    EXPECT_EQ(pm.write(Control, 2, typed | Pm1SleepEnable), PowerEvent::PowerOff);
    EXPECT_EQ(pm.read(Control, 2, 0) & Pm1SleepEnable, 0u); // write-only
}

TEST(AcpiPm, IgnoresSleepTypesItNeverAnnounced)
{
    AcpiPm pm;
    for (uint32_t type = 0; type < 8; ++type) {
        if (type == S5SleepType)
            continue;
        EXPECT_EQ(pm.write(Control, 2, Pm1SciEnable | (type << Pm1SleepTypeShift) | Pm1SleepEnable),
                  PowerEvent::None)
            << type;
    }
}

TEST(AcpiPm, AcceptsPoweroffAsAByteWriteOfTheHighByte)
{
    AcpiPm pm;
    uint8_t high = static_cast<uint8_t>(((S5SleepType << Pm1SleepTypeShift) | Pm1SleepEnable) >> 8);
    EXPECT_EQ(pm.write(Control + 1, 1, high), PowerEvent::PowerOff);
}

TEST(AcpiPm, ResetsThroughTheResetRegister)
{
    AcpiPm pm;
    EXPECT_TRUE(AcpiPm::handles(acpi_port::Reset));
    EXPECT_EQ(pm.write(acpi_port::Reset, 1, 0x02), PowerEvent::None);
    EXPECT_EQ(pm.write(acpi_port::Reset, 1, acpi_port::ResetValue), PowerEvent::Reset);
}

TEST(AcpiPm, TimerCountsAt3579545HzAndWrapsAt32Bits)
{
    AcpiPm pm;
    EXPECT_EQ(pm.read(Timer, 4, 0), 0u);
    EXPECT_EQ(pm.read(Timer, 4, 1000000000), 3579545u);
    EXPECT_EQ(pm.read(Timer, 4, 1000), 3u);
    // 2^32 ticks take 1199.86 s; one second later the counter has wrapped.
    uint64_t wrap_ns = (uint64_t{1} << 32) * 1000000000 / PmTimerHz + 1;
    EXPECT_LT(pm.read(Timer, 4, wrap_ns + 1000000000), 3579546u);
    EXPECT_EQ(pm.read(Timer + 2, 2, 1000000000), 3579545u >> 16);
}

TEST(AcpiPm, PowerButtonRaisesSciOnlyWhenEnabledAndClearsByWritingOne)
{
    AcpiPm pm;
    pm.press_power_button();
    EXPECT_EQ(pm.read(Status, 2, 0), 1u << 8);
    EXPECT_FALSE(pm.sci_pending());
    pm.write(Enable, 2, 1u << 8);
    EXPECT_EQ(pm.read(Enable, 2, 0), 1u << 8);
    EXPECT_TRUE(pm.sci_pending());
    pm.write(Status, 2, 0); // writing 0 clears nothing
    EXPECT_TRUE(pm.sci_pending());
    pm.write(Status, 2, 1u << 8);
    EXPECT_FALSE(pm.sci_pending());
    EXPECT_EQ(pm.read(Status, 2, 0), 0u);
}

TEST(AcpiPm, ClaimsOnlyItsPorts)
{
    EXPECT_TRUE(AcpiPm::handles(Status));
    EXPECT_TRUE(AcpiPm::handles(Timer + 3));
    EXPECT_FALSE(AcpiPm::handles(Timer + 4));
    EXPECT_FALSE(AcpiPm::handles(Status - 1));
    EXPECT_FALSE(AcpiPm::handles(0x3f8));
}

} // namespace
} // namespace tessera::services::vmm

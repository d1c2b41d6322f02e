// Local APIC, legacy PIC and timer calibration.
#include "arch/x86_64/lapic.h"

#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/vectors.h"

namespace tessera::x86_64 {
namespace {

// Register offsets in the xAPIC page; the x2APIC MSR is 0x800 + offset / 16.
constexpr uint32_t RegisterId = 0x20, RegisterTaskPriority = 0x80, RegisterEoi = 0xb0,
                   RegisterSpurious = 0xf0, RegisterLvtTimer = 0x320, RegisterInitialCount = 0x380,
                   RegisterCurrentCount = 0x390, RegisterDivide = 0x3e0;
constexpr uint64_t ApicBaseEnable = 1u << 11, ApicBaseX2Apic = 1u << 10;
constexpr uint32_t SpuriousEnable = 1u << 8;
constexpr uint32_t TimerPeriodic = 1u << 17, LvtMasked = 1u << 16;
constexpr uint32_t DivideBy16 = 0x3;

bool x2apic_mode = false;
volatile uint32_t* xapic = nullptr;
uint64_t measured_tsc_hz = 0;
uint64_t apic_ticks_per_ms = 0;

uint32_t read_register(uint32_t offset)
{
    if (x2apic_mode)
        return uint32_t(read_msr(0x800 + offset / 16));
    return xapic[offset / 4];
}

void write_register(uint32_t offset, uint32_t value)
{
    if (x2apic_mode)
        write_msr(0x800 + offset / 16, value);
    else
        xapic[offset / 4] = value;
}

// PIT channel 2 (its gate is port 0x61 bit 0, its output bit 5), input clock 1.193182 MHz.
constexpr uint32_t PitHz = 1193182;

} // namespace

void disable_legacy_pic()
{
    // ICW1..ICW4: init, vector base, cascade wiring, 8086 mode; then mask everything.
    out8(0x20, 0x11);
    out8(0xa0, 0x11);
    out8(0x21, vector::PicBase);
    out8(0xa1, vector::PicBase + 8);
    out8(0x21, 0x04);
    out8(0xa1, 0x02);
    out8(0x21, 0x01);
    out8(0xa1, 0x01);
    out8(0x21, 0xff);
    out8(0xa1, 0xff);
}

void lapic_init()
{
    uint64_t base = read_msr(msr::ApicBase);
    base |= ApicBaseEnable;
    if (cpu_features().x2apic) {
        base |= ApicBaseX2Apic;
        x2apic_mode = true;
    }
    write_msr(msr::ApicBase, base);
    if (!x2apic_mode)
        xapic = physical_to_virtual<volatile uint32_t>(base & ~uint64_t{0xfff});
    write_register(RegisterTaskPriority, 0);
    write_register(RegisterSpurious, SpuriousEnable | vector::LocalApicSpurious);
    write_register(RegisterLvtTimer, LvtMasked | vector::LocalApicTimer);
}

uint32_t lapic_id() { return x2apic_mode ? read_register(RegisterId) : read_register(RegisterId) >> 24; }

void lapic_end_of_interrupt() { write_register(RegisterEoi, 0); }

bool lapic_interrupt_pending()
{
    // The Interrupt Request Register: 256 bits in eight 32-bit registers 0x10 apart (Intel SDM
    // vol. 3A, 11.8.4). Vectors below 32 are exceptions and never set.
    constexpr uint32_t RegisterIrr = 0x200;
    for (uint32_t i = 1; i < 8; i++)
        if (read_register(RegisterIrr + i * 0x10) != 0)
            return true;
    return false;
}

uint64_t calibrate_timers()
{
    // One millisecond: 1,193 PIT ticks, so the TSC frequency is within 0.1% (one tick) and the
    // boot spends a million instructions waiting under icount, not the ten million of 10 ms.
    constexpr uint32_t Milliseconds = 1;
    constexpr uint32_t PitCount = PitHz * Milliseconds / 1000;
    write_register(RegisterDivide, DivideBy16);
    write_register(RegisterLvtTimer, LvtMasked | vector::LocalApicTimer);

    out8(0x61, uint8_t((in8(0x61) & ~0x02) | 0x01)); // gate on, speaker off
    out8(0x43, 0xb0);                                  // channel 2, lobyte/hibyte, mode 0
    out8(0x42, uint8_t(PitCount & 0xff));
    out8(0x42, uint8_t(PitCount >> 8));
    const uint8_t gate = in8(0x61) & ~0x01;
    out8(0x61, gate); // restart the count with a rising gate edge
    out8(0x61, gate | 0x01);

    write_register(RegisterInitialCount, 0xffffffff);
    const uint64_t tsc_start = read_tsc();
    while ((in8(0x61) & 0x20) == 0) {
    }
    const uint64_t tsc_end = read_tsc();
    const uint32_t apic_elapsed = 0xffffffff - read_register(RegisterCurrentCount);
    write_register(RegisterInitialCount, 0);

    measured_tsc_hz = (tsc_end - tsc_start) * (1000 / Milliseconds);
    apic_ticks_per_ms = apic_elapsed / Milliseconds;
    if (apic_ticks_per_ms == 0)
        apic_ticks_per_ms = 1;
    return measured_tsc_hz;
}

uint64_t tsc_hz() { return measured_tsc_hz; }

void lapic_timer_start_periodic(uint32_t microseconds)
{
    uint64_t count = apic_ticks_per_ms * microseconds / 1000;
    if (count == 0)
        count = 1;
    write_register(RegisterDivide, DivideBy16);
    write_register(RegisterLvtTimer, TimerPeriodic | vector::LocalApicTimer);
    write_register(RegisterInitialCount, uint32_t(count > 0xffffffff ? 0xffffffff : count));
}

} // namespace tessera::x86_64

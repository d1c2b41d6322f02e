// HPET and CMOS RTC access for the time calls.
#include "sel4/machine_clock.h"

#include <stdio.h>

#include <sel4/sel4.h>

#include "core/time/calendar.h"
#include "sel4/self_caps.h"

namespace tessera::posix::sel4 {

namespace {

constexpr uint64_t HpetAddress = 0xfed00000; // the PC's HPET block (ACPI HPET table's default)
constexpr uint16_t RtcIndex = 0x70, RtcData = 0x71;
// The RTC's registers (MC146818): the time fields, status A (update in progress) and B.
constexpr uint8_t Seconds = 0x00, Minutes = 0x02, Hours = 0x04, Day = 0x07, Month = 0x08,
                  Year = 0x09, Century = 0x32, StatusA = 0x0a, StatusB = 0x0b;
constexpr uint8_t UpdateInProgress = 0x80, BinaryMode = 0x04, HourMode24 = 0x02;
constexpr uint64_t NanosecondsPerSecond = 1000000000;
// HPET timer 0 in legacy replacement routing takes ISA IRQ 0, which QEMU's MADT overrides to
// I/O APIC 0 pin 2; edge-triggered, active high; the kernel's vector offset for it.
constexpr uint64_t MaxStep = 3600 * NanosecondsPerSecond;
constexpr seL4_Word IoApic = 0, LegacyPin = 2, EdgeTriggered = 0, ActiveHigh = 0, Vector = 0;

class Rtc {
public:
    explicit Rtc(seL4_CPtr ports) : ports_(ports) {}
    uint8_t read(uint8_t index)
    {
        (void)seL4_X86_IOPort_Out8(ports_, RtcIndex, index);
        return uint8_t(seL4_X86_IOPort_In8(ports_, RtcData).result);
    }

private:
    seL4_CPtr ports_;
};

unsigned from_bcd(uint8_t value, bool binary)
{
    return binary ? value : (value >> 4) * 10u + (value & 0x0f);
}

// One consistent reading: the fields are read twice, after any update in progress, until two
// readings agree (an update between them would mix two seconds).
CalendarTime read_rtc(Rtc& rtc)
{
    uint8_t fields[7] = {}, again[7] = {};
    const uint8_t indices[7] = {Seconds, Minutes, Hours, Day, Month, Year, Century};
    for (int tries = 0; tries < 10; ++tries) {
        while (rtc.read(StatusA) & UpdateInProgress) {
        }
        for (int i = 0; i < 7; ++i)
            fields[i] = rtc.read(indices[i]);
        while (rtc.read(StatusA) & UpdateInProgress) {
        }
        for (int i = 0; i < 7; ++i)
            again[i] = rtc.read(indices[i]);
        if (__builtin_memcmp(fields, again, sizeof fields) == 0)
            break;
    }
    const uint8_t status = rtc.read(StatusB);
    const bool binary = status & BinaryMode;
    CalendarTime time{};
    time.second = from_bcd(fields[0], binary);
    time.minute = from_bcd(fields[1], binary);
    time.hour = from_bcd(fields[2] & 0x7f, binary);
    if (!(status & HourMode24)) // 12-hour mode: 12 is midnight or noon, bit 7 is PM
        time.hour = time.hour % 12 + (fields[2] & 0x80 ? 12 : 0);
    time.day = from_bcd(fields[3], binary);
    time.month = from_bcd(fields[4], binary);
    const unsigned century = from_bcd(fields[6], binary);
    time.year = (century >= 19 && century <= 30 ? century : 20) * 100 + from_bcd(fields[5], binary);
    return time;
}

} // namespace

bool MachineClock::take_interrupt(alloc::ObjectAllocator& objects, seL4_CPtr handler)
{
    const SelfCaps& self = self_caps();
    auto notification = objects.notification();
    auto badged = objects.slots().allocate();
    bool ok = handler != 0 && notification && badged;
    ok = ok && seL4_CNode_Mint(self.cnode, libos::raw(badged.value()), seL4_WordBits, self.cnode,
                               libos::raw(notification.value().cap), seL4_WordBits,
                               seL4_AllRights, server::Server::ClockBadge) == seL4_NoError;
    ok = ok && seL4_IRQHandler_SetNotification(handler, libos::raw(badged.value())) == seL4_NoError;
    // A PD's thread comes bound to its Microkit notification; the server waits on its endpoint
    // with its own bound instead (a root task has none bound: the unbind is refused, harmlessly).
    (void)seL4_TCB_UnbindNotification(self.tcb);
    ok = ok && seL4_TCB_BindNotification(self.tcb, libos::raw(notification.value().cap)) ==
                   seL4_NoError;
    if (!ok) {
        printf("posix: the clock's interrupt is refused: sleeping calls are ENOSYS\n");
        return false;
    }
    irq_handler_ = handler;
    (void)seL4_IRQHandler_Ack(irq_handler_);
    return true;
}

bool MachineClock::read_time(volatile uint64_t* registers, seL4_CPtr rtc_ports)
{
    const timer::HpetInitError error = hpet_.init(registers);
    if (error != timer::HpetInitError::None) {
        printf("posix: no clock: %s\n", timer::describe(error));
        return false;
    }
    Rtc rtc(rtc_ports);
    const uint64_t seconds = seconds_since_epoch(read_rtc(rtc));
    epoch_offset_ = seconds * NanosecondsPerSecond - monotonic_nanoseconds();
    return true;
}

bool MachineClock::start(alloc::ObjectAllocator& objects, PageTables& self, uint64_t window)
{
    auto frame = objects.allocate_at(seL4_X86_4K, libos::SizeBits{0}, libos::PAddr{HpetAddress});
    if (!frame || self.map(libos::raw(frame.value().cap), window, seL4_ReadWrite,
                           seL4_X86_CacheDisabled) != seL4_NoError) {
        printf("posix: no clock: the HPET at %#lx cannot be mapped\n", (unsigned long)HpetAddress);
        return false;
    }
    auto slot = objects.slots().allocate();
    if (!slot || seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, RtcIndex, RtcData,
                                              seL4_CapInitThreadCNode, libos::raw(slot.value()),
                                              seL4_WordBits) != seL4_NoError) {
        printf("posix: no clock: the RTC's ports are refused\n");
        return false;
    }
    if (!read_time(reinterpret_cast<volatile uint64_t*>(window), libos::raw(slot.value())))
        return false;
    auto handler = objects.slots().allocate();
    const bool routed =
        handler && seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, seL4_CapInitThreadCNode,
                                             libos::raw(handler.value()), seL4_WordBits, IoApic,
                                             LegacyPin, EdgeTriggered, ActiveHigh,
                                             Vector) == seL4_NoError;
    (void)take_interrupt(objects, routed ? libos::raw(handler.value()) : 0);
    return true;
}

bool MachineClock::start_given(alloc::ObjectAllocator& objects, volatile uint64_t* registers,
                               seL4_CPtr rtc_ports, seL4_CPtr irq_handler)
{
    if (!read_time(registers, rtc_ports))
        return false;
    (void)take_interrupt(objects, irq_handler);
    return true;
}

uint64_t MachineClock::monotonic_nanoseconds()
{
    return hpet_.now().nanoseconds();
}

uint64_t MachineClock::realtime_nanoseconds()
{
    return monotonic_nanoseconds() + epoch_offset_;
}

} // namespace tessera::posix::sel4

namespace tessera::posix::sel4 {

bool MachineClock::arm(uint64_t deadline)
{
    // A far deadline is reached in steps (an early event only makes the server re-arm), so
    // that the conversion to counter ticks cannot overflow.
    const uint64_t present = monotonic_nanoseconds();
    if (deadline > present && deadline - present > MaxStep)
        deadline = present + MaxStep;
    // The comparator already holds this deadline and its event has not come: nothing to do
    // (the server re-arms after every message).
    if (armed_ && armed_deadline_ == deadline && present < deadline)
        return true;
    armed_ = hpet_.arm(timer::Instant{deadline});
    armed_deadline_ = deadline;
    return armed_;
}

void MachineClock::disarm()
{
    if (armed_)
        hpet_.disarm();
    armed_ = false;
}

void MachineClock::acknowledge()
{
    armed_ = false;
    (void)seL4_IRQHandler_Ack(irq_handler_);
}

} // namespace tessera::posix::sel4

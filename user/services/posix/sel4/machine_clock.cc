// HPET and CMOS RTC access for the time calls.
#include "sel4/machine_clock.h"

#include <stdio.h>

#include <sel4/sel4.h>

namespace tessera::posix::sel4 {

namespace {

constexpr uint64_t HpetAddress = 0xfed00000; // the PC's HPET block (ACPI HPET table's default)
constexpr uint16_t RtcIndex = 0x70, RtcData = 0x71;
// The RTC's registers (MC146818): the time fields, status A (update in progress) and B.
constexpr uint8_t Seconds = 0x00, Minutes = 0x02, Hours = 0x04, Day = 0x07, Month = 0x08,
                  Year = 0x09, Century = 0x32, StatusA = 0x0a, StatusB = 0x0b;
constexpr uint8_t UpdateInProgress = 0x80, BinaryMode = 0x04, HourMode24 = 0x02;
constexpr uint64_t NanosecondsPerSecond = 1000000000;

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
RtcTime read_rtc(Rtc& rtc)
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
    RtcTime time{};
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

uint64_t seconds_since_epoch(const RtcTime& time)
{
    // Days since 1970-01-01 of a proleptic Gregorian date: years counted from March, so the
    // leap day falls at the end of the counted year.
    const int64_t y = int64_t(time.year) - (time.month <= 2 ? 1 : 0);
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t year_of_era = y - era * 400;
    const int64_t month = time.month > 2 ? time.month - 3 : time.month + 9;
    const int64_t day_of_year = (153 * month + 2) / 5 + time.day - 1;
    const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    const int64_t days = era * 146097 + day_of_era - 719468;
    return uint64_t(days * 86400 + time.hour * 3600 + time.minute * 60 + time.second);
}

bool MachineClock::start(alloc::ObjectAllocator& objects, PageTables& self, uint64_t window)
{
    auto frame = objects.allocate_at(seL4_X86_4K, libos::SizeBits{0}, libos::PAddr{HpetAddress});
    if (!frame || self.map(libos::raw(frame.value().cap), window, seL4_ReadWrite,
                           seL4_X86_CacheDisabled) != seL4_NoError) {
        printf("posix: no clock: the HPET at %#lx cannot be mapped\n", (unsigned long)HpetAddress);
        return false;
    }
    const timer::HpetInitError error = hpet_.init(reinterpret_cast<volatile uint64_t*>(window));
    if (error != timer::HpetInitError::None) {
        printf("posix: no clock: %s\n", timer::describe(error));
        return false;
    }
    auto slot = objects.slots().allocate();
    if (!slot || seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, RtcIndex, RtcData,
                                              seL4_CapInitThreadCNode, libos::raw(slot.value()),
                                              seL4_WordBits) != seL4_NoError) {
        printf("posix: no clock: the RTC's ports are refused\n");
        return false;
    }
    Rtc rtc(libos::raw(slot.value()));
    const uint64_t seconds = seconds_since_epoch(read_rtc(rtc));
    epoch_offset_ = seconds * NanosecondsPerSecond - monotonic_nanoseconds();
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

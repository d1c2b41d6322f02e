// The 16550 UART on COM1 as the kernel console, polled: the kernel never takes serial interrupts
// (a user-level driver may own COM2, or COM1 once the kernel stops printing).
#include "arch/platform.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/serial.h"

namespace tessera::x86_64 {
namespace {

constexpr uint16_t Com1 = 0x3f8;
// Register offsets from the base port (16550 data sheet).
constexpr uint16_t Data = 0, InterruptEnable = 1, FifoControl = 2, LineControl = 3,
                   ModemControl = 4, LineStatus = 5;
constexpr uint8_t LineStatusTransmitEmpty = 1u << 5, LineStatusDataReady = 1u << 0;

} // namespace

void serial_init()
{
    out8(Com1 + InterruptEnable, 0x00);
    out8(Com1 + LineControl, 0x80); // divisor latch
    out8(Com1 + Data, 0x01);        // 115200 baud
    out8(Com1 + InterruptEnable, 0x00);
    out8(Com1 + LineControl, 0x03); // 8N1
    out8(Com1 + FifoControl, 0xC7); // FIFO on, cleared, 14-byte threshold
    out8(Com1 + ModemControl, 0x03);
}

int serial_try_get() { return (in8(Com1 + LineStatus) & LineStatusDataReady) ? in8(Com1 + Data) : -1; }

} // namespace tessera::x86_64

namespace tessera::arch {

void console_put(char c)
{
    using namespace x86_64;
    for (unsigned spins = 0; spins < 100000; spins++)
        if (in8(Com1 + LineStatus) & LineStatusTransmitEmpty)
            break;
    out8(Com1 + Data, uint8_t(c));
}

void exit_system(unsigned status)
{
    // QEMU's isa-debug-exit (iobase 0xf4) turns this write into QEMU's exit status
    // (status << 1) | 1; on hardware without it the write is ignored and the CPU halts.
    x86_64::out32(0xf4, status);
    x86_64::halt_forever();
}

} // namespace tessera::arch

// Framed console output through the kernel's debug console (COM1).
#include "sel4/serial_console.h"

#include <sel4/sel4.h>

namespace tessera::posix::sel4 {

namespace {

constexpr char FrameStart = 0x1e; // ASCII record separator: never in the kernel's text
constexpr size_t BytesPerLine = 256;

void put_text(const char* text)
{
    while (*text != '\0')
        seL4_DebugPutChar(*text++);
}

const char digits[] = "0123456789abcdef";

void put_hex(const uint8_t* bytes, size_t length)
{
    for (size_t i = 0; i < length; ++i) {
        seL4_DebugPutChar(digits[bytes[i] >> 4]);
        seL4_DebugPutChar(digits[bytes[i] & 15]);
    }
}

} // namespace

void SerialConsole::write(int fd, const char* bytes, size_t length)
{
    for (size_t done = 0; done < length;) {
        seL4_DebugPutChar(FrameStart);
        seL4_DebugPutChar(char('0' + (fd & 7)));
        seL4_DebugPutChar(' ');
        const size_t chunk = length - done < BytesPerLine ? length - done : BytesPerLine;
        put_hex(reinterpret_cast<const uint8_t*>(bytes) + done, chunk);
        done += chunk;
        seL4_DebugPutChar('\n');
    }
}

void SerialConsole::finish(int status)
{
    char line[16] = {FrameStart, 'X'};
    int n = 2;
    if (status >= 100)
        line[n++] = char('0' + status / 100);
    if (status >= 10)
        line[n++] = char('0' + status / 10 % 10);
    line[n++] = char('0' + status % 10);
    line[n++] = '\n';
    line[n] = '\0';
    put_text(line);
}

} // namespace tessera::posix::sel4

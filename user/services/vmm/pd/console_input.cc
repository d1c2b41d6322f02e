#include "console_input.h"

#include <sel4/sel4.h>

namespace tessera::services::vmm {
namespace {

// The kernel console's received bytes, one tessera_DebugGetChar each.
struct KernelConsoleSource final : ByteSource {
    size_t read(uint8_t* buffer, size_t capacity) override
    {
        size_t count = 0;
        for (int byte; count < capacity && (byte = tessera_DebugGetChar()) >= 0;)
            buffer[count++] = uint8_t(byte);
        return count;
    }
};

} // namespace

bool ConsoleInput::poll(Uart16550& uart, uint64_t now_ns)
{
    if (now_ns < next_poll_ns_)
        return false;
    // Also while the guest does not listen: the timer must not be armed in the past again.
    next_poll_ns_ = now_ns + PollIntervalNs;
    KernelConsoleSource console;
    return uart.receive_from(console);
}

} // namespace tessera::services::vmm

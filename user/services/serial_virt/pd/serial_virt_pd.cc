// The serial virtualiser's protection domain: the rings and channels of the system's
// tessera_serial_virt_config (a C file linked in: tessera_add_serial_virtualiser), the logic of
// virt/, and the control channel's protected procedure calls. Every notification, from the
// driver or any client, runs one pass of the logic; its wake-ups become notifications.
#include <microkit.h>
#include <stdio.h>
#include <tessera/serial_virt_config.h>

#include "virtualiser.h"

namespace {

using namespace tessera::serial;

Virtualiser virt;
bool ready;

RingRegion region(const tessera_serial_virt_region& from)
{
    if (from.vaddr == nullptr || from.size == nullptr)
        return RingRegion{nullptr, 0};
    return RingRegion{reinterpret_cast<void*>(*from.vaddr), *from.size};
}

void wake(const Wakeups& wakeups)
{
    const auto& config = tessera_serial_virt_config;
    if (wakeups.driver)
        microkit_notify(config.driver_channel);
    for (uint32_t clients = wakeups.clients; clients != 0; clients &= clients - 1)
        microkit_notify(config.clients[__builtin_ctz(clients)].channel);
}

} // namespace

extern "C" void init(void)
{
    const auto& config = tessera_serial_virt_config;
    ClientSetup clients[MaxClients] = {};
    const uint32_t count = config.client_count <= MaxClients ? config.client_count : MaxClients + 1;
    for (uint32_t i = 0; i < count && i < MaxClients; ++i)
        clients[i] = ClientSetup{config.clients[i].name, config.clients[i].prefix,
                                 region(config.clients[i].tx), region(config.clients[i].rx)};
    const SetupError error =
        virt.setup(DriverSetup{region(config.driver_tx), region(config.driver_rx)}, clients, count);
    ready = error == SetupError::None;
    if (!ready) {
        printf("%s: cannot start: %s\n", microkit_name, describe(error));
        return;
    }
    wake(virt.process());
}

extern "C" void notified(microkit_channel)
{
    if (ready)
        wake(virt.process());
}

// Microkit's entry point `protected` is a C++ keyword; the assembler name gives it to this one.
// Only the configured control channel may switch the input.
microkit_msginfo serve(microkit_channel channel, microkit_msginfo call) __asm__("protected");
microkit_msginfo serve(microkit_channel channel, microkit_msginfo call)
{
    const auto& config = tessera_serial_virt_config;
    if (!ready || channel != config.control_channel)
        return microkit_msginfo_new(1, 0);
    switch (microkit_msginfo_get_label(call)) {
    case TESSERA_SERIAL_VIRT_SELECT_INPUT: {
        if (microkit_msginfo_get_count(call) < 1)
            return microkit_msginfo_new(1, 0);
        const seL4_Word index = microkit_mr_get(0);
        const bool selected = virt.select_input(index < 0xffffffffu ? static_cast<uint32_t>(index)
                                                                    : 0xffffffffu);
        wake(virt.process()); // its message line goes out
        return microkit_msginfo_new(selected ? 0 : 1, 0);
    }
    case TESSERA_SERIAL_VIRT_INPUT_CLIENT:
        microkit_mr_set(0, virt.input_client());
        return microkit_msginfo_new(0, 1);
    default:
        return microkit_msginfo_new(1, 0);
    }
}

/* The serial virtualiser's configuration for systems/shell.system: the UART driver on channel
 * 0 and one client, the shell, on channel 1, with no prefix so that its output is the shell's
 * text alone. Nobody may switch the input. Addresses and sizes are patched in by the description. */
#include <stddef.h>
#include <stdint.h>
#include <tessera/serial_virt_config.h>

__attribute__((section(".data"))) uintptr_t console_tx;
__attribute__((section(".data"))) size_t console_tx_size;
__attribute__((section(".data"))) uintptr_t console_rx;
__attribute__((section(".data"))) size_t console_rx_size;
__attribute__((section(".data"))) uintptr_t shell_tx;
__attribute__((section(".data"))) size_t shell_tx_size;
__attribute__((section(".data"))) uintptr_t shell_rx;
__attribute__((section(".data"))) size_t shell_rx_size;

const struct tessera_serial_virt_config tessera_serial_virt_config = {
    .driver_channel = 0,
    .driver_tx = {&console_tx, &console_tx_size},
    .driver_rx = {&console_rx, &console_rx_size},
    .control_channel = TESSERA_SERIAL_VIRT_NO_CHANNEL,
    .client_count = 1,
    .clients = {
        {"shell", "", 1, {&shell_tx, &shell_tx_size}, {&shell_rx, &shell_rx_size}},
    },
};

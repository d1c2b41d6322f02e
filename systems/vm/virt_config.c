/* The serial virtualiser's configuration for systems/vm.system: the UART driver on channel 0 and
 * three clients: the guest's COM1 (the VMM's SerialConsole, prefix "guest: ", first, so input
 * goes to the guest), the VMM's own messages (no prefix: they already say "vmm: ") and the native
 * PD adder. The ring addresses and sizes are patched in by the description's setvar_vaddr and
 * setvar_size. */
#include <stddef.h>
#include <stdint.h>
#include <tessera/serial_virt_config.h>

__attribute__((section(".data"))) uintptr_t uart_tx;
__attribute__((section(".data"))) size_t uart_tx_size;
__attribute__((section(".data"))) uintptr_t uart_rx;
__attribute__((section(".data"))) size_t uart_rx_size;
__attribute__((section(".data"))) uintptr_t guest_tx;
__attribute__((section(".data"))) size_t guest_tx_size;
__attribute__((section(".data"))) uintptr_t guest_rx;
__attribute__((section(".data"))) size_t guest_rx_size;
__attribute__((section(".data"))) uintptr_t vmm_tx;
__attribute__((section(".data"))) size_t vmm_tx_size;
__attribute__((section(".data"))) uintptr_t vmm_rx;
__attribute__((section(".data"))) size_t vmm_rx_size;
__attribute__((section(".data"))) uintptr_t adder_tx;
__attribute__((section(".data"))) size_t adder_tx_size;
__attribute__((section(".data"))) uintptr_t adder_rx;
__attribute__((section(".data"))) size_t adder_rx_size;

const struct tessera_serial_virt_config tessera_serial_virt_config = {
    .driver_channel = 0,
    .driver_tx = {&uart_tx, &uart_tx_size},
    .driver_rx = {&uart_rx, &uart_rx_size},
    .control_channel = TESSERA_SERIAL_VIRT_NO_CHANNEL,
    .client_count = 3,
    .clients = {
        {"guest", "guest: ", 1, {&guest_tx, &guest_tx_size}, {&guest_rx, &guest_rx_size}},
        {"vmm", "", 2, {&vmm_tx, &vmm_tx_size}, {&vmm_rx, &vmm_rx_size}},
        {"adder", "adder: ", 3, {&adder_tx, &adder_tx_size}, {&adder_rx, &adder_rx_size}},
    },
};

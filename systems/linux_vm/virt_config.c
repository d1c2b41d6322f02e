/* The serial virtualiser of `tessera vm`'s system (tools/tessera/src/vm_system.cc): the UART
 * driver on channel 0 and two clients, both without a prefix so that the tool's standard output
 * is the guest's console as the guest wrote it: the guest's COM1 first (typed input goes to it),
 * then the VMM's own lines (they say "vmm: "). The ring addresses and sizes are patched in by the
 * description's setvar_vaddr and setvar_size. */
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

const struct tessera_serial_virt_config tessera_serial_virt_config = {
    .driver_channel = 0,
    .driver_tx = {&uart_tx, &uart_tx_size},
    .driver_rx = {&uart_rx, &uart_rx_size},
    .control_channel = TESSERA_SERIAL_VIRT_NO_CHANNEL,
    .client_count = 2,
    .clients = {
        {"guest", "", 1, {&guest_tx, &guest_tx_size}, {&guest_rx, &guest_rx_size}},
        {"vmm", "", 2, {&vmm_tx, &vmm_tx_size}, {&vmm_rx, &vmm_rx_size}},
    },
};

/* The serial virtualiser's configuration for systems/serial.system: the driver on channel 0, five
 * clients on channels 1-5, each line prefixed with the client's name; gamma's channel (3) may
 * switch the input by protected procedure call. The ring addresses and sizes are patched in by
 * the description's setvar_vaddr and setvar_size. */
#include <stddef.h>
#include <stdint.h>
#include <tessera/serial_virt_config.h>

__attribute__((section(".data"))) uintptr_t uart_tx;
__attribute__((section(".data"))) size_t uart_tx_size;
__attribute__((section(".data"))) uintptr_t uart_rx;
__attribute__((section(".data"))) size_t uart_rx_size;
__attribute__((section(".data"))) uintptr_t alpha_tx;
__attribute__((section(".data"))) size_t alpha_tx_size;
__attribute__((section(".data"))) uintptr_t alpha_rx;
__attribute__((section(".data"))) size_t alpha_rx_size;
__attribute__((section(".data"))) uintptr_t beta_tx;
__attribute__((section(".data"))) size_t beta_tx_size;
__attribute__((section(".data"))) uintptr_t beta_rx;
__attribute__((section(".data"))) size_t beta_rx_size;
__attribute__((section(".data"))) uintptr_t gamma_tx;
__attribute__((section(".data"))) size_t gamma_tx_size;
__attribute__((section(".data"))) uintptr_t gamma_rx;
__attribute__((section(".data"))) size_t gamma_rx_size;
__attribute__((section(".data"))) uintptr_t flood_tx;
__attribute__((section(".data"))) size_t flood_tx_size;
__attribute__((section(".data"))) uintptr_t flood_rx;
__attribute__((section(".data"))) size_t flood_rx_size;
__attribute__((section(".data"))) uintptr_t monitor_tx;
__attribute__((section(".data"))) size_t monitor_tx_size;
__attribute__((section(".data"))) uintptr_t monitor_rx;
__attribute__((section(".data"))) size_t monitor_rx_size;

const struct tessera_serial_virt_config tessera_serial_virt_config = {
    .driver_channel = 0,
    .driver_tx = {&uart_tx, &uart_tx_size},
    .driver_rx = {&uart_rx, &uart_rx_size},
    .control_channel = 3,
    .client_count = 5,
    .clients = {
        {"alpha", "alpha: ", 1, {&alpha_tx, &alpha_tx_size}, {&alpha_rx, &alpha_rx_size}},
        {"beta", "beta: ", 2, {&beta_tx, &beta_tx_size}, {&beta_rx, &beta_rx_size}},
        {"gamma", "gamma: ", 3, {&gamma_tx, &gamma_tx_size}, {&gamma_rx, &gamma_rx_size}},
        {"flood", "flood: ", 4, {&flood_tx, &flood_tx_size}, {&flood_rx, &flood_rx_size}},
        {"monitor", "monitor: ", 5, {&monitor_tx, &monitor_tx_size}, {&monitor_rx, &monitor_rx_size}},
    },
};

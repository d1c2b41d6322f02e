/* The serial virtualiser's configuration for bench/drivers/serial_bench.system: the driver on
 * channel 0 and one client, the benchmark, on channel 1, prefixed "bench: " (the BENCH line parser
 * takes one such tag). */
#include <stddef.h>
#include <stdint.h>
#include <tessera/serial_virt_config.h>

__attribute__((section(".data"))) uintptr_t uart_tx;
__attribute__((section(".data"))) size_t uart_tx_size;
__attribute__((section(".data"))) uintptr_t uart_rx;
__attribute__((section(".data"))) size_t uart_rx_size;
__attribute__((section(".data"))) uintptr_t bench_tx;
__attribute__((section(".data"))) size_t bench_tx_size;
__attribute__((section(".data"))) uintptr_t bench_rx;
__attribute__((section(".data"))) size_t bench_rx_size;

const struct tessera_serial_virt_config tessera_serial_virt_config = {
    .driver_channel = 0,
    .driver_tx = {&uart_tx, &uart_tx_size},
    .driver_rx = {&uart_rx, &uart_rx_size},
    .control_channel = TESSERA_SERIAL_VIRT_NO_CHANNEL,
    .client_count = 1,
    .clients = {{"bench", "bench: ", 1, {&bench_tx, &bench_tx_size}, {&bench_rx, &bench_rx_size}}},
};

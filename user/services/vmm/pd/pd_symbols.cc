// The VMM PDs' patched variables and their serial clients (pd_symbols.h).
#include "pd_symbols.h"

extern "C" {
__attribute__((section(".data"))) uintptr_t guest_ram;
__attribute__((section(".data"))) size_t guest_ram_size;
__attribute__((section(".data"))) uintptr_t guest_serial_tx;
__attribute__((section(".data"))) size_t guest_serial_tx_size;
__attribute__((section(".data"))) uintptr_t guest_serial_rx;
__attribute__((section(".data"))) size_t guest_serial_rx_size;
__attribute__((section(".data"))) uintptr_t vmm_serial_tx;
__attribute__((section(".data"))) size_t vmm_serial_tx_size;
__attribute__((section(".data"))) uintptr_t vmm_serial_rx;
__attribute__((section(".data"))) size_t vmm_serial_rx_size;
__attribute__((section(".data"))) uintptr_t guest_bundle;
__attribute__((section(".data"))) size_t guest_bundle_size;
__attribute__((section(".data"))) uintptr_t tsc_frequency;
__attribute__((section(".data"))) uintptr_t hpet_registers;
__attribute__((section(".data"))) uintptr_t blk_queue;
__attribute__((section(".data"))) size_t blk_queue_size;
__attribute__((section(".data"))) uintptr_t blk_data;
__attribute__((section(".data"))) size_t blk_data_size;
}

namespace tessera::services::vmm {
namespace {

bool attach(tessera_serial_client& client, uintptr_t tx, size_t tx_size, uintptr_t rx,
            size_t rx_size, microkit_channel ch)
{
    const tessera_serial_client_ops ops = tessera_serial_client_microkit_ops(ch);
    return tessera_serial_client_init(&client, reinterpret_cast<void*>(tx), tx_size,
                                      reinterpret_cast<void*>(rx), rx_size, &ops,
                                      TESSERA_SERIAL_DROP_WHEN_FULL) == TESSERA_SERIAL_OK;
}

} // namespace

bool attach_guest_serial(tessera_serial_client& client, microkit_channel ch)
{
    return attach(client, guest_serial_tx, guest_serial_tx_size, guest_serial_rx,
                  guest_serial_rx_size, ch);
}

bool attach_vmm_serial(tessera_serial_client& client, microkit_channel ch)
{
    return attach(client, vmm_serial_tx, vmm_serial_tx_size, vmm_serial_rx, vmm_serial_rx_size,
                  ch);
}

} // namespace tessera::services::vmm

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
__attribute__((section(".data"))) char exit_storm_limit[24];
}

// One disk's four variables, named as tools/tessera/src/vm_system.cc patches them.
#define TESSERA_VMM_DISK(n)                                                                        \
    extern "C" {                                                                                   \
    __attribute__((section(".data"))) uintptr_t blk##n##_queue;                                    \
    __attribute__((section(".data"))) size_t blk##n##_queue_size;                                  \
    __attribute__((section(".data"))) uintptr_t blk##n##_data;                                     \
    __attribute__((section(".data"))) size_t blk##n##_data_size;                                   \
    }
TESSERA_VMM_DISK(0)
TESSERA_VMM_DISK(1)
TESSERA_VMM_DISK(2)
TESSERA_VMM_DISK(3)
#undef TESSERA_VMM_DISK

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

DiskRegions disk_regions(unsigned index)
{
    switch (index) {
    case 0: return {blk0_queue, blk0_queue_size, blk0_data, blk0_data_size};
    case 1: return {blk1_queue, blk1_queue_size, blk1_data, blk1_data_size};
    case 2: return {blk2_queue, blk2_queue_size, blk2_data, blk2_data_size};
    case 3: return {blk3_queue, blk3_queue_size, blk3_data, blk3_data_size};
    default: return {};
    }
}

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

// The serial benchmark's client (bench/drivers/serial_bench.system): throughput through the serial
// virtualiser and the UART driver.
//   serial_virt_write_1k  1 KiB (16 lines of 64 bytes) written into the client library until the
//                         client's ring is empty: the virtualiser and the driver run above this
//                         PD, so that is when every byte has gone out of the UART (16 x 71 bytes
//                         with the prefix): client, virtualiser, driver and the UART's ports.
// It prints through the virtualiser like any client, so its BENCH lines reach the log whole.
#include <microkit.h>
#include <stdio.h>
#include <tessera/serial_client.h>

#include "bench/system/timestamp.h"
#include "bench_report.h"
#include "bench_size.h"

// Patched by the description: the serial rings.
extern "C" {
__attribute__((section(".data"))) uintptr_t serial_tx;
__attribute__((section(".data"))) size_t serial_tx_size;
__attribute__((section(".data"))) uintptr_t serial_rx;
__attribute__((section(".data"))) size_t serial_rx_size;
}

namespace {

using namespace tessera::bench;
using tessera::bench::drivers::sizes;

constexpr microkit_channel Serial = 0;

tessera_serial_client serial;
drivers::Report report;
Ticks samples[drivers::MaxSamples];

void write_kilobytes()
{
    char kilobyte[1024];
    for (unsigned i = 0; i < sizeof kilobyte; ++i)
        kilobyte[i] = (i % 64 == 63) ? '\n' : static_cast<char>('a' + i % 26);
    const uint32_t warmup = sizes.warmup / 10;
    for (uint32_t round = 0; round < warmup + sizes.serial_kib; ++round) {
        const Timestamp start = start_timestamp();
        tessera_serial_client_write(&serial, kilobyte, sizeof kilobyte);
        // Control is back once the virtualiser and the driver have nothing left to do, unless the
        // UART pushed back: then the ring drains while this PD yields.
        while (tessera_serial_free_space(&serial.tx) != static_cast<long>(serial.tx.capacity))
            seL4_Yield();
        const Timestamp end = end_timestamp();
        if (round >= warmup)
            samples[round - warmup] = ticks_between(start, end);
    }
    report.result("serial_virt_write_1k", samples, sizes.serial_kib);
}

} // namespace

extern "C" void init(void)
{
    if (tessera_serial_client_init_microkit(&serial, reinterpret_cast<void*>(serial_tx),
                                            serial_tx_size, reinterpret_cast<void*>(serial_rx),
                                            serial_rx_size, Serial) != TESSERA_SERIAL_OK) {
        report.failure("serial_virt_write_1k", "the serial rings are unusable"); // the console
        report.finish();
        return;
    }
    tessera_serial_client_use_for_stdio(&serial);
    write_kilobytes();
    report.finish();
}

extern "C" void notified(microkit_channel channel)
{
    (void)channel;
}

// The fault the driver scenario needs (systems/dynamic_driver.system), kept out of the driver:
// linked with -Wl,--wrap=notified around the unchanged virtio-blk driver, it lets the driver's
// first run handle `fault_after` events and then, at the first one after which the device
// holds requests, write to an unmapped page: a real fault with requests in flight, which the
// manager sees and answers by its restart policy. Later runs (the driver's status page counts
// its starts) never fault.
#include <microkit.h>
#include <stdint.h>

#include "driver_status.h"

extern "C" {
// Patched by the description (<setvar symbol="fault_after" string="N"/>, decimal); in .data so
// that the program file holds it. "0": never fault.
__attribute__((section(".data"))) char fault_after[8] = "0";
extern uintptr_t driver_status;
void __real_notified(microkit_channel channel);
void __wrap_notified(microkit_channel channel);
}

namespace {
uint64_t events = 0;

uint64_t decimal(const char* text)
{
    uint64_t value = 0;
    for (; *text >= '0' && *text <= '9'; ++text)
        value = value * 10 + uint64_t(*text - '0');
    return value;
}
} // namespace

void __wrap_notified(microkit_channel channel)
{
    __real_notified(channel);
    const uint64_t limit = decimal(fault_after);
    if (driver_status == 0 || limit == 0)
        return;
    const auto* status = reinterpret_cast<volatile tessera_driver_status*>(driver_status);
    if (status->starts != 1 || ++events < limit || status->at_device == 0)
        return;
    volatile uintptr_t address = 0x10; // below every mapping
    *reinterpret_cast<volatile int*>(address) = 1;
}

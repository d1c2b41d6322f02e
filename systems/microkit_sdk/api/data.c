/* Memory: a region prefilled from a file, a device region at a fixed physical address, the
 * physical address of a region placed at boot, a large stack; and the debug output calls. */
#include <stdint.h>
#include <microkit.h>

#include "check.h"

#define TABLE_BYTES 5000 /* the Makefile writes table.bin: 'a' + i % 26 */
#define HPET_VENDOR_INTEL 0x8086

uintptr_t table;
uint64_t table_size, table_region_size;
uintptr_t hpet;
uint64_t hpet_paddr, dma_paddr;
uint64_t tally_channel; /* setvar_id of this PD's channel end to tally */

void init(void)
{
    check("prefill.size", table_size == TABLE_BYTES && table_region_size == 0x2000);
    const char *bytes = (const char *)table;
    unsigned int wrong = 0;
    for (unsigned int i = 0; i < TABLE_BYTES; i++)
        wrong += bytes[i] != (char)('a' + i % 26);
    for (unsigned int i = TABLE_BYTES; i < table_region_size; i++)
        wrong += bytes[i] != 0;
    check("prefill.contents", wrong == 0);

    check("region_paddr.fixed", hpet_paddr == 0xfed00000);
    check("region_paddr.placed_at_boot", dma_paddr != 0 && dma_paddr % 0x1000 == 0);
    const uint64_t capabilities = *(volatile const uint64_t *)hpet;
    check("device_memory.hpet_vendor", (capabilities >> 16 & 0xffff) == HPET_VENDOR_INTEL);

    /* Most of the 64 KiB stack, written and read back. */
    volatile char page[48 * 1024];
    for (unsigned int i = 0; i < sizeof page; i += 512)
        page[i] = (char)(i / 512);
    unsigned int lost = 0;
    for (unsigned int i = 0; i < sizeof page; i += 512)
        lost += page[i] != (char)(i / 512);
    check("stack_size", lost == 0);

    check("channel.setvar_id", tally_channel == 7);
    /* A channel this PD does not have: refused with a message, nothing sent. */
    microkit_notify(42);
    microkit_dbg_puts("data: put8 ");
    microkit_dbg_put8(255);
    microkit_dbg_puts(" put32 ");
    microkit_dbg_put32(4000000000u);
    microkit_dbg_puts("\n");
    report((microkit_channel)tally_channel);
}

void notified(microkit_channel ch)
{
}

/* systems/vm.system's native protection domain: answers the VMM's calls (MR0 + 22) and, before
 * it replies, notifies the VMM, whose guest is about to run again: the VMM sees the notification
 * in place of its next guest entry (libmicrokit's VCPU event loop, docs/vmm.md). It prints
 * through the serial virtualiser, on the console it shares with the guest. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>
#include <tessera/serial_client.h>

#define SERIAL_CHANNEL 0
#define VMM_CHANNEL 1

/* Patched by the tool: the client's two ring regions. */
__attribute__((section(".data"))) uintptr_t serial_tx;
__attribute__((section(".data"))) size_t serial_tx_size;
__attribute__((section(".data"))) uintptr_t serial_rx;
__attribute__((section(".data"))) size_t serial_rx_size;

static struct tessera_serial_client serial;

void init(void)
{
    /* A server: output that finds the ring full is dropped rather than waited for. */
    const struct tessera_serial_client_ops ops = tessera_serial_client_microkit_ops(SERIAL_CHANNEL);
    if (tessera_serial_client_init(&serial, (void *)serial_tx, serial_tx_size, (void *)serial_rx,
                                   serial_rx_size, &ops, TESSERA_SERIAL_DROP_WHEN_FULL) ==
        TESSERA_SERIAL_OK)
        tessera_serial_client_use_for_stdio(&serial);
    printf("ready to answer the VMM\n");
}

void notified(microkit_channel ch)
{
    if (ch == SERIAL_CHANNEL)
        return;
    printf("unexpected notification on channel %u\n", ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    if (ch != VMM_CHANNEL || microkit_msginfo_get_count(msginfo) != 1)
        return microkit_msginfo_new(1, 0);
    const seL4_Word answer = microkit_mr_get(0) + 22;
    printf("answered %lu + 22 = %lu\n", (unsigned long)microkit_mr_get(0), (unsigned long)answer);
    microkit_notify(VMM_CHANNEL);
    microkit_mr_set(0, answer);
    return microkit_msginfo_new(0, 1);
}

/* I/O ports and an interrupt: the UART's scratch register through one port, the PIT (i8254)
 * through four, its interrupt by I/O APIC pin, acknowledged with microkit_deferred_irq_ack; and
 * the TSC frequency the kernel put in BootInfo (prefill_bootinfo).
 *
 * The PIT's edge is lost if it comes while the interrupt is masked, i.e. before its
 * acknowledgement; a deferred one goes out only when notified() returns. So the next count
 * starts from a later entry point: the pacer, of lower priority, runs only once this PD waits
 * (the acknowledgement sent) and notifies it back. */
#include <stdint.h>
#include <microkit.h>

#include "check.h"

#define TALLY 0
#define PACER 6
#define PIT_COMMAND 3 /* offset of the mode/command port from 0x40 */
#define TICKS 3

uint64_t scratch_id, scratch_port; /* setvar_id, setvar_addr of <ioport id="1"> */
uint64_t pit_ports;                /* setvar_addr of <ioport id="2"> */
uint64_t pit_irq;                  /* setvar_id of the <irq> */
uintptr_t tsc_info;                /* setvar_vaddr of the BootInfo region */
uintptr_t status;                  /* shared with the busy PD: 1 when the interrupts are done */

static unsigned int ticks;

/* Channel 0, one shot (mode 0): one rising edge after `count` PIT cycles. */
static void pit_one_shot(uint16_t count)
{
    microkit_x86_ioport_write_8(2, pit_ports + PIT_COMMAND, 0x30);
    microkit_x86_ioport_write_8(2, pit_ports, count & 0xff);
    microkit_x86_ioport_write_8(2, pit_ports, count >> 8);
}

void init(void)
{
    check("ioport.setvars", scratch_id == 1 && scratch_port == 0x3ff && pit_ports == 0x40);
    microkit_x86_ioport_write_8(1, scratch_port, 0x5a);
    const seL4_Uint8 first = microkit_x86_ioport_read_8(1, scratch_port);
    microkit_x86_ioport_write_8(1, scratch_port, 0xa5);
    const seL4_Uint8 second = microkit_x86_ioport_read_8(1, scratch_port);
    check("ioport.scratch_register", first == 0x5a && second == 0xa5);
    /* An id this PD was not given: refused with a message, nothing done. */
    check("ioport.unknown_id_refused", microkit_x86_ioport_read_8(9, scratch_port) == 0);

    const seL4_BootInfoHeader *header = (const seL4_BootInfoHeader *)tsc_info;
    const uint32_t mhz = *(const uint32_t *)(tsc_info + sizeof *header);
    check("bootinfo.tsc_frequency", header->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ &&
                                        header->len >= sizeof *header + sizeof mhz && mhz > 0);

    check("irq.setvar_id", pit_irq == 5);
    /* The interrupt is masked until its first acknowledgement, which the event loop gives only
     * after init(): acknowledge it now, or an edge raised before then would be lost. */
    microkit_irq_ack(pit_irq);
    pit_one_shot(0x2000);
}

void notified(microkit_channel ch)
{
    if (ch == PACER) {
        pit_one_shot(0x2000);
        return;
    }
    if (ch != pit_irq) {
        check("notified.unexpected", 0);
        return;
    }
    /* Acknowledged when this entry point returns, without a system call of its own on MCS. */
    microkit_deferred_irq_ack(ch);
    if (++ticks < TICKS) {
        microkit_notify(PACER);
        return;
    }
    check("irq.three_ticks_with_deferred_ack", ticks == TICKS);
    *(volatile uint64_t *)status = 1;
    report(TALLY);
}

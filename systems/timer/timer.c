/* A user-level timer driver: HPET timer 0 as a one-shot in legacy replacement mode (IA-PC HPET
 * specification 1.0a), whose interrupt the tool routed to this protection domain as irq id 3.
 * Each interrupt arrives as notified(3); the driver counts it once the counter has passed the
 * comparator, acknowledges the interrupt and arms the next one. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>

#include "checks.h"

#define TIMER_IRQ 3
#define TICKS 5

/* Patched by the tool (setvar_vaddr): where the HPET's register page is mapped. */
uintptr_t hpet_registers = 1; /* initialised: the tool patches data, not .bss */
/* The page shared with the busy PD: its first word becomes 1 when the driver is done. */
uintptr_t status = 1;

enum { CAPABILITIES = 0x0, CONFIG = 0x10, COUNTER = 0xf0, TIMER0_CONFIG = 0x100, TIMER0_COMPARATOR = 0x108 };
enum { ENABLE = 1, LEGACY_ROUTE = 2, TIMER_INTERRUPT_ENABLE = 4, TIMER_LEVEL = 2, TIMER_PERIODIC = 8 };

static volatile uint64_t *reg(unsigned offset) { return (volatile uint64_t *)(hpet_registers + offset); }

static unsigned ticks, early, stray;
static uint64_t comparator;

/* One interrupt about a millisecond from now: the comparator is written before the interrupt
 * is enabled, so it never fires early. */
static void arm(void)
{
    const uint64_t period_fs = *reg(CAPABILITIES) >> 32;
    comparator = *reg(COUNTER) + 1000000000000ull / period_fs;
    *reg(TIMER0_COMPARATOR) = comparator;
    *reg(TIMER0_CONFIG) |= TIMER_INTERRUPT_ENABLE;
}

void init(void)
{
    check("timer.irq_routed", (microkit_irqs & (1ull << TIMER_IRQ)) != 0);
    const uint64_t period_fs = *reg(CAPABILITIES) >> 32;
    check("timer.hpet_registers_readable", period_fs > 0 && period_fs <= 100000000ull);
    /* Timer 0 edge-triggered and one-shot, then the main counter on with legacy routing. */
    *reg(TIMER0_CONFIG) &= ~(uint64_t)(TIMER_LEVEL | TIMER_INTERRUPT_ENABLE | TIMER_PERIODIC);
    *reg(CONFIG) |= ENABLE | LEGACY_ROUTE;
    arm();
}

void notified(microkit_channel ch)
{
    if (ch != TIMER_IRQ) {
        stray++;
        return;
    }
    /* Done: once routing is back with the PIT its interrupts may arrive; left unacknowledged,
     * the line stays masked. */
    if (ticks == TICKS)
        return;
    /* Until init() turned legacy routing on, pin 2 was the PIT's: an edge it latched then can
     * still arrive once. It is acknowledged and not counted; timer 0's one-shot stays armed. */
    if (*reg(COUNTER) < comparator) {
        early++;
        microkit_irq_ack(ch);
        return;
    }
    ticks++;
    *reg(TIMER0_CONFIG) &= ~(uint64_t)TIMER_INTERRUPT_ENABLE;
    microkit_irq_ack(ch);
    if (ticks < TICKS) {
        arm();
        return;
    }
    *reg(CONFIG) &= ~(uint64_t)(ENABLE | LEGACY_ROUTE); /* the PIT gets IRQ 0 back */
    /* Reached only after the fifth: a lost interrupt leaves the test without its summary line. */
    printf("timer: %u interrupts, each after its comparator\n", ticks);
    check("timer.no_notification_on_other_channels", stray == 0);
    check("timer.at_most_one_early_pit_interrupt", early <= 1);
    check_summary();
    *(volatile uint64_t *)status = 1;
}

/* Ping: each round leaves a token in the shared buffer, calls pong's protected procedure, then
 * notifies pong and waits for its notification back before the next round. At the end it asks
 * pong for its tally and prints the summary of both. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>

#include "checks.h"
#include "protocol.h"

/* Patched by setvar_vaddr; initialised so that it lives in .data. */
uintptr_t shared_buffer = 1;

static unsigned round;
static unsigned answered_rounds;

static void start_round(void)
{
    *(volatile uint64_t *)shared_buffer = TOKEN_BASE + round;
    microkit_mr_set(0, round);
    const microkit_msginfo reply = microkit_ppcall(PONG_CHANNEL, microkit_msginfo_new(LABEL_SQUARE, 1));
    char name[64];
    snprintf(name, sizeof name, "pingpong.ppcall.round_%u", round);
    check(name, microkit_msginfo_get_count(reply) == 2 && microkit_mr_get(0) == round * round &&
                    microkit_mr_get(1) == TOKEN_BASE + round);
    microkit_notify(PONG_CHANNEL);
}

static void finish(void)
{
    const microkit_msginfo reply = microkit_ppcall(PONG_CHANNEL, microkit_msginfo_new(LABEL_REPORT, 0));
    const seL4_Word calls = microkit_mr_get(0), notifications = microkit_mr_get(1);
    const seL4_Word pong_passed = microkit_mr_get(2), pong_failed = microkit_mr_get(3);
    check("pingpong.report.reply", microkit_msginfo_get_count(reply) == 4);
    /* The report call itself is not counted by pong: it answers before counting. */
    check("pingpong.report.pong_counted_every_call", calls == ROUNDS);
    check("pingpong.report.pong_counted_every_notification", notifications == ROUNDS);
    check("pingpong.notify.every_round_answered", answered_rounds == ROUNDS);
    check_add((unsigned)pong_passed, (unsigned)pong_failed);
    check_summary();
}

void init(void)
{
    check("pingpong.ping.setvar_vaddr", shared_buffer == 0x2000000);
    check("pingpong.ping.channel_masks",
          microkit_notifications == 1u << PONG_CHANNEL && microkit_pps == 1u << PONG_CHANNEL);
    start_round();
}

void notified(microkit_channel ch)
{
    if (!check("pingpong.notify.from_pong", ch == PONG_CHANNEL))
        return;
    answered_rounds++;
    if (++round < ROUNDS)
        start_round();
    else
        finish();
}

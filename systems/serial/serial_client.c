/* The serial system's clients, one program for five protection domains that differ by name. All
 * print through the serial virtualiser (printf goes to the serial client library):
 *   alpha, beta  60 numbered lines each (the clients yield between bursts, so the lines of all
 *                interleave), then the input lines the test types for them, echoed as
 *                "got: ..." and compared with what the test sends;
 *   gamma        a few lines, the control channel's calls, then it breaks its own transmit ring's
 *                indices, loses one line to that and carries on; then one input line;
 *   flood        400 numbered lines as fast as the ring takes them, in bursts of 20;
 *   monitor      waits at the lowest priority until the others are done, prints their checks and
 *                the summary line.
 * A numbered line is "line NNN PAYLOAD"; tests/system/serial/check_serial_output.py computes the
 * same payloads and checks every line on the host. */
#include <microkit.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tessera/serial_client.h>
#include <tessera/serial_virt_config.h>

#include "checks.h"
#include "results.h"

#define VIRT 0 /* the channel to the serial virtualiser */

/* Patched by the tool: the two ring regions and the results page. */
__attribute__((section(".data"))) uintptr_t serial_tx;
__attribute__((section(".data"))) size_t serial_tx_size;
__attribute__((section(".data"))) uintptr_t serial_rx;
__attribute__((section(".data"))) size_t serial_rx_size;
__attribute__((section(".data"))) uintptr_t results;

enum role { ALPHA, BETA, GAMMA, FLOOD, MONITOR, NONE };

static enum role role = NONE;
static struct tessera_serial_client serial;
static struct serial_client_result *me;
static int printed_all;

/* The input the test types for each client (tests/system/serial/input.txt), in order. */
static const char *const expected_input[3][2] = {
    {"to alpha 1", "to alpha 2"},
    {"to beta 1", "to beta \x1c 2"}, /* the test typed Ctrl-\ twice: one reaches beta */
    {"to gamma 1", 0},
};

static void note(const char *name, int ok)
{
    if (ok) {
        me->passed++;
        return;
    }
    if (me->failed++ == 0)
        strncpy(me->first_failure, name, sizeof me->first_failure - 1);
}

static unsigned expected_inputs(void)
{
    return role == ALPHA || role == BETA ? 2 : role == GAMMA ? 1 : 0;
}

static void finish_if_done(void)
{
    if (me == 0 || me->done || !printed_all || me->input_lines < expected_inputs())
        return;
    __atomic_store_n(&me->done, 1, __ATOMIC_RELEASE);
}

/* Line `number`'s payload for client `name`: 8 to 68 letters. */
static void payload(const char *name, unsigned number, char *out)
{
    const unsigned length = 8 + number * 13 % 61;
    for (unsigned k = 0; k < length; ++k)
        out[k] = (char)('a' + ((unsigned)name[0] + number * 7 + k * 3) % 26);
    out[length] = '\0';
}

/* Numbered lines, giving the CPU to the other clients (of the same priority) after every
 * `burst` lines, so that their lines interleave on the terminal. */
static void print_numbered(unsigned count, unsigned burst)
{
    char text[72];
    for (unsigned number = 0; number < count; ++number) {
        payload(microkit_name, number, text);
        printf("line %03u %s\n", number, text);
        if ((number + 1) % burst == 0)
            seL4_Yield();
    }
    me->lines = count;
}

/* The control channel: a client number that does not exist is refused; the current one is
 * named. Selecting a real client here would move the test's input, so it is not done. */
static void control_calls(void)
{
    microkit_mr_set(0, 99);
    const microkit_msginfo refused =
        microkit_ppcall(VIRT, microkit_msginfo_new(TESSERA_SERIAL_VIRT_SELECT_INPUT, 1));
    note("control_refuses_client_99", microkit_msginfo_get_label(refused) == 1);
    const microkit_msginfo current =
        microkit_ppcall(VIRT, microkit_msginfo_new(TESSERA_SERIAL_VIRT_INPUT_CLIENT, 0));
    note("control_names_the_input_client",
         microkit_msginfo_get_label(current) == 0 && microkit_mr_get(0) < 5);
}

/* Writes garbage into the transmit ring's tail, as a buggy or hostile client would. The
 * virtualiser (higher priority) runs at the notification, reports it and resynchronises; the
 * client library then finds its own index stale, drops one line and resynchronises too. */
static const char lost_line[] = "this line is lost to the broken ring\n";

static void break_own_ring(void)
{
    struct tessera_serial_control *control = (struct tessera_serial_control *)serial_tx;
    __atomic_store_n(&control->tail, control->tail + 0x10000000u, __ATOMIC_RELEASE);
    microkit_notify(VIRT);
    printf("%s", lost_line);
    note("ring_break_costs_one_line",
         serial.corrupt_events == 1 && serial.dropped_bytes == sizeof lost_line - 1);
    printf("recovered after breaking its ring\n");
}

static void read_input(void);

static void report_and_summarise(void)
{
    struct serial_results *all = (struct serial_results *)results;
    for (unsigned i = 0; i < SERIAL_CLIENTS; ++i)
        while (__atomic_load_n(&all->clients[i].done, __ATOMIC_ACQUIRE) == 0)
            ;
    for (unsigned i = 0; i < SERIAL_CLIENTS; ++i) {
        const struct serial_client_result *client = &all->clients[i];
        printf("%s: %u checks, %u lines printed, %u input lines\n", serial_client_names[i],
               client->passed + client->failed, client->lines, client->input_lines);
        if (client->failed != 0)
            printf("%s: %u failed, the first: %s\n", serial_client_names[i], client->failed,
                   client->first_failure);
        char name[32];
        snprintf(name, sizeof name, "serial.%s", serial_client_names[i]);
        check(name, client->failed == 0 && client->passed != 0);
        check_add(client->passed, client->failed);
    }
    check_summary();
}

void init(void)
{
    static const char *const names[] = {"alpha", "beta", "gamma", "flood", "monitor"};
    for (unsigned i = 0; i < 5; ++i)
        if (strcmp(microkit_name, names[i]) == 0)
            role = (enum role)i;
    if (role == NONE)
        return;
    if (tessera_serial_client_init_microkit(&serial, (void *)serial_tx, serial_tx_size,
                                            (void *)serial_rx, serial_rx_size, VIRT) != 0) {
        printf("%s: the serial rings are unusable\n", microkit_name); /* debug console */
        return;
    }
    tessera_serial_client_use_for_stdio(&serial);
    if (role == MONITOR) {
        report_and_summarise();
        return;
    }
    me = &((struct serial_results *)results)->clients[role];
    switch (role) {
    case ALPHA:
    case BETA:
        print_numbered(60, 1);
        break;
    case GAMMA:
        print_numbered(5, 1);
        control_calls();
        break_own_ring();
        break;
    default:
        print_numbered(400, 20);
        break;
    }
    note("no_other_output_dropped",
         serial.dropped_bytes == (role == GAMMA ? sizeof lost_line - 1 : 0));
    printed_all = 1;
    /* Input may have come before this PD ran: read it now, as the client library asks. */
    read_input();
}

/* Input, assembled into lines; each is echoed and compared with what the test typed. Reads
 * until nothing is left, after which the next input brings a notification. */
static void read_input(void)
{
    static char line[96];
    static unsigned length;
    char bytes[64];
    long count;
    while ((count = tessera_serial_client_read(&serial, bytes, sizeof bytes)) > 0) {
        for (long i = 0; i < count; ++i) {
            if (bytes[i] != '\n') {
                if (length < sizeof line - 1)
                    line[length++] = bytes[i];
                continue;
            }
            line[length] = '\0';
            if (length != 0) { /* the test starts with newlines, some of which may be lost */
                printf("got: %s\n", line);
                const unsigned index = me->input_lines++;
                note("input_as_typed", index < expected_inputs() &&
                                           strcmp(line, expected_input[role][index]) == 0);
            }
            length = 0;
        }
    }
    finish_if_done();
}

void notified(microkit_channel ch)
{
    if (ch == VIRT && me != 0)
        read_input();
}

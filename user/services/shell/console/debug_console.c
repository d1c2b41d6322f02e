/* The kernel's debug console as the serial virtualiser's driver, until the 16550 driver's
 * protection domain can be given COM1's I/O ports: it speaks the driver's side of the serial
 * protocol (tessera/queue/serial.h) on channel 0, writing the virtualiser's bytes with
 * seL4_DebugPutChar and reading COM1's input with tessera_DebugGetChar, which never blocks. So it
 * polls: it runs at the lowest priority and yields between rounds while input can still come.
 * After the end-of-input byte (0x04, docs/booting.md) nothing more comes, and it sleeps until
 * the virtualiser has output for it.
 *
 * It is also the system's power switch: a notification on channel 1 (the shell's `halt`) makes
 * it write out every byte still queued, then end the system with seL4_DebugHalt (status 0 on
 * Tessera; on seL4's debug kernel the machine halts). Being the lowest priority, it runs only
 * once the shell and the virtualiser have nothing left to do, so their output is in its ring. */
#include <microkit.h>
#include <tessera/queue/serial.h>

#define VIRTUALISER_CHANNEL 0
#define POWER_CHANNEL 1
#define END_OF_INPUT 0x04

/* Patched by the system description (setvar_vaddr, setvar_size). */
__attribute__((section(".data"))) uintptr_t console_tx = 0;
__attribute__((section(".data"))) size_t console_tx_size = 0;
__attribute__((section(".data"))) uintptr_t console_rx = 0;
__attribute__((section(".data"))) size_t console_rx_size = 0;

static struct tessera_serial_ring output; /* the virtualiser writes, this PD reads */
static struct tessera_serial_ring input;  /* this PD writes, the virtualiser reads */
static int input_ended;
static int held_byte = -1; /* read from COM1, not yet in a full input ring */

/* Writes out what the virtualiser queued; 1 if anything moved. */
static int write_output(void)
{
    uint8_t bytes[256];
    int moved = 0;
    long count;
    while ((count = tessera_serial_read(&output, bytes, sizeof bytes)) > 0) {
        for (long i = 0; i < count; ++i)
            seL4_DebugPutChar((char)bytes[i]);
        moved = 1;
    }
    if (count == TESSERA_SERIAL_CORRUPT)
        tessera_serial_resynchronise_consumer(&output);
    if (moved && tessera_serial_consumer_signal_needed(&output))
        microkit_notify(VIRTUALISER_CHANNEL);
    return moved;
}

/* Moves COM1's waiting input into the ring; 1 if anything moved. */
static int read_input(void)
{
    int moved = 0;
    while (!input_ended || held_byte >= 0) {
        if (held_byte < 0)
            held_byte = tessera_DebugGetChar();
        if (held_byte < 0)
            break;
        const uint8_t byte = (uint8_t)held_byte;
        const long written = tessera_serial_write(&input, &byte, 1);
        if (written == TESSERA_SERIAL_CORRUPT) {
            tessera_serial_resynchronise_producer(&input);
            continue;
        }
        if (written == 0)
            break; /* the virtualiser is behind: keep the byte, COM1's FIFO holds the rest */
        moved = 1;
        held_byte = -1;
        if (byte == END_OF_INPUT)
            input_ended = 1;
    }
    if (moved && tessera_serial_producer_signal_needed(&input))
        microkit_notify(VIRTUALISER_CHANNEL);
    return moved;
}

/* Every queued byte out, then the end. The virtualiser runs at a higher priority, so each
 * notification has it move what its clients still hold before this PD goes on. */
static void power_off(void)
{
    for (int round = 0; round < 64; ++round) {
        const int moved = write_output();
        microkit_notify(VIRTUALISER_CHANNEL);
        if (!moved && tessera_serial_available(&output) == 0)
            break;
    }
    seL4_DebugHalt();
}

void init(void)
{
    if (tessera_serial_attach_consumer(&output, (void *)console_tx, console_tx_size) !=
            TESSERA_SERIAL_OK ||
        tessera_serial_attach_producer(&input, (void *)console_rx, console_rx_size) !=
            TESSERA_SERIAL_OK) {
        microkit_dbg_puts("debug_console: the rings are missing or too small\n");
        return;
    }
    for (;;) {
        const int moved = write_output() | read_input();
        seL4_Word badge = 0;
        if (input_ended && held_byte < 0) {
            /* Nothing more can come from COM1: sleep until there is output or a power-off. */
            if (tessera_serial_consumer_prepare_to_sleep(&output) == 1)
                seL4_Wait(MICROKIT_INPUT_CAP, &badge);
        } else {
            seL4_Poll(MICROKIT_INPUT_CAP, &badge);
            if (!moved && badge == 0)
                seL4_Yield();
        }
        if (badge & (1ull << POWER_CHANNEL))
            power_off();
    }
}

/* Never reached: init does not return. */
void notified(microkit_channel channel)
{
    (void)channel;
}

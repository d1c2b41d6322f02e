/* The power switch of a system whose console is the UART driver: the shell's `halt` notifies it
 * on channel 0, and it ends the run with status 0 through QEMU's exit device (I/O port 0xf4, its
 * <ioport id="0">), which both kernels give a protection domain the same way.
 *
 * Output must be out before the power goes: it watches the rings between the shell and the UART
 * (setvar_vaddr watch0..watch3 with their sizes, mapped read-only) and ends the run only once
 * every one is empty. The UART driver takes bytes out of its ring only after it has written them
 * to the chip, so an empty driver ring means the bytes have left.
 *
 * It runs at the lowest priority and never blocks: while it yields, no thread is ever idle, so
 * Tessera's kernel has no reason to print its idle line into the shell's output between two
 * commands (the UART driver and the virtualiser wake on interrupts and notifications, at higher
 * priorities, and take the CPU whenever they have work). */
#include <microkit.h>
#include <tessera/queue/serial.h>

#define SHELL_CHANNEL 0
#define EXIT_PORT_ID 0
#define EXIT_PORT 0xf4
#define WATCHED_RINGS 4

/* Patched by the system description; an unset one (address 0) is not watched. */
__attribute__((section(".data"))) uintptr_t watch0 = 0;
__attribute__((section(".data"))) size_t watch0_size = 0;
__attribute__((section(".data"))) uintptr_t watch1 = 0;
__attribute__((section(".data"))) size_t watch1_size = 0;
__attribute__((section(".data"))) uintptr_t watch2 = 0;
__attribute__((section(".data"))) size_t watch2_size = 0;
__attribute__((section(".data"))) uintptr_t watch3 = 0;
__attribute__((section(".data"))) size_t watch3_size = 0;
/* The status the run ends with. */
__attribute__((section(".data"))) uint32_t exit_status = 0;

static const struct tessera_serial_control *rings[WATCHED_RINGS];

/* Both indices are the peers' own: this PD only reads them. */
static int drained(void)
{
    for (int i = 0; i < WATCHED_RINGS; ++i) {
        if (rings[i] == NULL)
            continue;
        const uint32_t head = __atomic_load_n(&rings[i]->head, __ATOMIC_ACQUIRE);
        const uint32_t tail = __atomic_load_n(&rings[i]->tail, __ATOMIC_ACQUIRE);
        if (head != tail)
            return 0;
    }
    return 1;
}

static void power_off(void)
{
    /* A peer that stopped (or broke its ring) must not keep the machine on: give up waiting
     * after a bounded number of rounds, each a yield to every busier thread. */
    for (unsigned round = 0; round < 1000000 && !drained(); ++round)
        seL4_Yield();
    microkit_x86_ioport_write_32(EXIT_PORT_ID, EXIT_PORT, exit_status);
    /* The exit device ends QEMU at once; nothing runs after it. */
    for (;;)
        seL4_Yield();
}

static void watch(int index, uintptr_t address, size_t size)
{
    if (address != 0 && size >= TESSERA_SERIAL_CONTROL_BYTES)
        rings[index] = (const struct tessera_serial_control *)address;
}

void init(void)
{
    watch(0, watch0, watch0_size);
    watch(1, watch1, watch1_size);
    watch(2, watch2, watch2_size);
    watch(3, watch3, watch3_size);
    for (;;) {
        seL4_Word badge = 0;
        seL4_Poll(MICROKIT_INPUT_CAP, &badge);
        if (badge & (1ull << SHELL_CHANNEL))
            power_off();
        seL4_Yield();
    }
}

/* Never reached: init does not return. */
void notified(microkit_channel channel)
{
    (void)channel;
}

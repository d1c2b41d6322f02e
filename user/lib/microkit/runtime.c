/* The protection-domain runtime: sets up thread-local storage and the IPC buffer, the console and
 * constructors, calls init(), then serves events for ever: protected procedure calls (badge bit
 * 63), children's faults (bit 62) and notifications (one bit per channel id). */
#include <microkit.h>
#include <stdio.h>
#include <tessera/libc.h>

/* In .data, not .bss, so that `tessera build` can patch them in the file. */
__attribute__((section(".data"))) char microkit_name[64] = "unnamed";
__attribute__((section(".data"))) seL4_Word microkit_irqs = 0;
__attribute__((section(".data"))) seL4_Word microkit_notifications = 0;
__attribute__((section(".data"))) seL4_Word microkit_pps = 0;
__attribute__((section(".data"))) seL4_Bool microkit_passive = 0;

/* From the user runtime (user/lib/runtime/tls.cc): the initial thread's TLS block. */
uintptr_t tessera_runtime_init_initial_thread_tls(void);

static seL4_Bool have_deferred_signal;
static microkit_channel deferred_channel;

void microkit_dbg_putc(int c)
{
    seL4_DebugPutChar((char)c);
}

void microkit_dbg_puts(const char *s)
{
    while (*s)
        seL4_DebugPutChar(*s++);
}

static void console_put(void *context, char c)
{
    (void)context;
    seL4_DebugPutChar(c);
}

void microkit_report_bad_channel(const char *call, microkit_channel ch)
{
    printf("%s: %s: channel %u is not one of this protection domain's\n", microkit_name, call, ch);
}

void microkit_deferred_notify(microkit_channel ch)
{
    if (have_deferred_signal && deferred_channel != ch)
        microkit_notify(deferred_channel);
    have_deferred_signal = 1;
    deferred_channel = ch;
}

void microkit_pd_restart(microkit_child pd, seL4_Word entry_point)
{
    seL4_UserContext registers = {0};
    registers.rip = entry_point;
    /* Only rip is written; the child keeps its stack and everything else. */
    (void)seL4_TCB_WriteRegisters(MICROKIT_BASE_TCB_CAP + pd, 1, 0, 1, &registers);
}

__attribute__((weak)) microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)msginfo;
    printf("%s: protected procedure call on channel %u, but protected() is not defined\n",
           microkit_name, ch);
    return microkit_msginfo_new(0, 0);
}

__attribute__((weak)) seL4_Bool fault(microkit_child child, microkit_msginfo msginfo,
                                      microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    printf("%s: child %u faulted (fault type %lu), but fault() is not defined\n", microkit_name,
           child, (unsigned long)microkit_msginfo_get_label(msginfo));
    return 0;
}

static void send_deferred_signal(void)
{
    if (have_deferred_signal) {
        have_deferred_signal = 0;
        microkit_notify(deferred_channel);
    }
}

static void deliver_notifications(seL4_Word badge)
{
    for (microkit_channel ch = 0; badge != 0 && ch < MICROKIT_MAX_CHANNELS; ++ch, badge >>= 1)
        if (badge & 1)
            notified(ch);
}

static __attribute__((noreturn)) void serve_events(void)
{
    seL4_Bool have_reply = 0;
    microkit_msginfo reply = microkit_msginfo_new(0, 0);
    const seL4_Word id_mask = (seL4_Word)0x3f;
    for (;;) {
        seL4_Word badge = 0;
        send_deferred_signal();
        const microkit_msginfo message = have_reply
                                             ? seL4_ReplyRecv(MICROKIT_INPUT_CAP, reply, &badge)
                                             : seL4_Recv(MICROKIT_INPUT_CAP, &badge);
        have_reply = 0;
        if (badge & TESSERA_BADGE_PPC) {
            reply = protected((microkit_channel)(badge & id_mask), message);
            have_reply = 1;
        } else if (badge & TESSERA_BADGE_FAULT) {
            have_reply = fault((microkit_child)(badge & id_mask), message, &reply);
        } else {
            deliver_notifications(badge);
        }
    }
}

__attribute__((noreturn)) void microkit_runtime_start(seL4_IPCBuffer *ipc_buffer)
{
    tessera_set_output(console_put, 0);
    const uintptr_t thread_pointer = tessera_runtime_init_initial_thread_tls();
    if (thread_pointer == 0) {
        microkit_dbg_puts("microkit: the program's thread-local data does not fit its TLS area\n");
        for (;;)
            seL4_Yield();
    }
    seL4_SetTLSBase(thread_pointer);
    seL4_SetIPCBuffer(ipc_buffer);
    tessera_run_constructors();
    init();
    serve_events();
}

/* The seL4 Microkit programming interface (libmicrokit) on Tessera: a protection domain defines
 * init() and notified(), and protected() if others call it, fault() if it has children; the
 * runtime calls them from its event loop. Names, types and capability slots are Microkit's, so a
 * Microkit program builds unchanged; slots and badges are those `tessera build` sets up
 * (tessera/spec.h, docs/system-description.md). C11 and C++20. */
#ifndef TESSERA_MICROKIT_H
#define TESSERA_MICROKIT_H

#include <sel4/sel4.h>
#include <tessera/spec.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned int microkit_channel;
typedef unsigned int microkit_child;
typedef seL4_MessageInfo_t microkit_msginfo;

/* Capability slots of every protection domain (Microkit's numbering). */
#define MICROKIT_INPUT_CAP TESSERA_PD_SLOT_INPUT
#define MICROKIT_REPLY_CAP TESSERA_PD_SLOT_REPLY
#define MICROKIT_BASE_OUTPUT_NOTIFICATION_CAP TESSERA_PD_SLOT_NOTIFICATION_BASE
#define MICROKIT_BASE_ENDPOINT_CAP TESSERA_PD_SLOT_ENDPOINT_BASE
#define MICROKIT_BASE_IRQ_CAP TESSERA_PD_SLOT_IRQ_BASE
#define MICROKIT_BASE_TCB_CAP TESSERA_PD_SLOT_TCB_BASE
#define MICROKIT_MAX_CHANNELS (TESSERA_MAX_CHANNEL_ID + 1)

/* Entry points the program provides. protected() and fault() have defaults that report a call
 * the program did not expect. */
void init(void);
void notified(microkit_channel ch);
#ifndef __cplusplus /* `protected` is a C++ keyword: Microkit programs are C */
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo);
#endif
seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo);

/* Filled in by `tessera build`: the PD's name and bit masks of its irq, channel and
 * callable-channel ids. */
extern char microkit_name[64];
extern seL4_Word microkit_irqs;
extern seL4_Word microkit_notifications;
extern seL4_Word microkit_pps;
extern seL4_Bool microkit_passive;

void microkit_dbg_putc(int c);
void microkit_dbg_puts(const char *s);

/* One line naming the PD, the call and the channel it was refused for. */
void microkit_report_bad_channel(const char *call, microkit_channel ch);

/* Signals the other end of channel ch. */
static inline void microkit_notify(microkit_channel ch)
{
    if (ch >= MICROKIT_MAX_CHANNELS || (microkit_notifications & ((seL4_Word)1 << ch)) == 0) {
        microkit_report_bad_channel("microkit_notify", ch);
        return;
    }
    seL4_Signal(MICROKIT_BASE_OUTPUT_NOTIFICATION_CAP + ch);
}

/* Like microkit_notify, but the signal goes out when this PD next waits (one pending at most;
 * a second deferred call sends the first at once). */
void microkit_deferred_notify(microkit_channel ch);

/* Re-enables the interrupt delivered on channel ch. */
static inline void microkit_irq_ack(microkit_channel ch)
{
    (void)seL4_IRQHandler_Ack(MICROKIT_BASE_IRQ_CAP + ch);
}

/* Calls protected() of the PD at the other end of ch (a higher priority one) and returns its
 * reply; message registers carry the words both ways. */
static inline microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo)
{
    if (ch >= MICROKIT_MAX_CHANNELS || (microkit_pps & ((seL4_Word)1 << ch)) == 0) {
        microkit_report_bad_channel("microkit_ppcall", ch);
        return seL4_MessageInfo_new(0, 0, 0, 0);
    }
    return seL4_Call(MICROKIT_BASE_ENDPOINT_CAP + ch, msginfo);
}

static inline microkit_msginfo microkit_msginfo_new(seL4_Word label, seL4_Uint16 count)
{
    return seL4_MessageInfo_new(label, 0, 0, count);
}

static inline seL4_Word microkit_msginfo_get_label(microkit_msginfo msginfo)
{
    return seL4_MessageInfo_get_label(msginfo);
}

static inline seL4_Word microkit_msginfo_get_count(microkit_msginfo msginfo)
{
    return seL4_MessageInfo_get_length(msginfo);
}

static inline void microkit_mr_set(seL4_Uint8 mr, seL4_Word value)
{
    seL4_SetMR(mr, value);
}

static inline seL4_Word microkit_mr_get(seL4_Uint8 mr)
{
    return seL4_GetMR(mr);
}

/* A child's thread: stop it, or restart it at entry_point. */
static inline void microkit_pd_stop(microkit_child pd)
{
    (void)seL4_TCB_Suspend(MICROKIT_BASE_TCB_CAP + pd);
}

void microkit_pd_restart(microkit_child pd, seL4_Word entry_point);

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_MICROKIT_H */

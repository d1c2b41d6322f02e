/* The seL4 Microkit programming interface (libmicrokit 2.3.0, x86_64) on Tessera: a protection
 * domain defines init() and notified(), protected() if others call it and fault() if it has
 * children; the runtime calls them from its event loop. Names, types, macros and capability slots
 * are Microkit's, so a program written for Microkit builds unchanged (docs/microkit.md lists what
 * differs on the non-MCS kernel). C11 and C++20; every function here is usable with -Wall -Werror. */
#ifndef TESSERA_MICROKIT_H
#define TESSERA_MICROKIT_H

#include <sel4/sel4.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned int microkit_channel;
typedef unsigned int microkit_child;
typedef unsigned int microkit_ioport;
typedef seL4_MessageInfo_t microkit_msginfo;

/* Capability slots of every protection domain, as Microkit 2.3.0 numbers them. Slot 2 holds a
 * child's fault endpoint (its parent's, badged); slots 5 to 7 (monitor, own TCB, SMC) stay empty
 * on Tessera: there is no monitor, and x86_64 has no SMC. */
#define MONITOR_EP 5
#define TCB_CAP 6
#define ARM_SMC_CAP 7
#define BASE_OUTPUT_NOTIFICATION_CAP 10
#define BASE_ENDPOINT_CAP 74
#define BASE_IRQ_CAP 138
#define BASE_TCB_CAP 202
#define BASE_VM_TCB_CAP 266
#define BASE_VCPU_CAP 330
#define BASE_IOPORT_CAP 394
#define BASE_USER_CAPS 458

/* Microkit addresses <cspace> capabilities through a root CNode of 2^6 slots; Tessera keeps one
 * CNode and puts slot s at BASE_USER_CAPS + s (microkit_cspace_root_slot_to_cptr hides which). */
#define PD_ROOT_CAP_BITS 6
#define PD_ROOT_CAP_SIZE (1ULL << PD_ROOT_CAP_BITS)

#define MICROKIT_MAX_USER_CAPS 128
#define MICROKIT_MAX_CHANNELS 62
#define MICROKIT_MAX_CHANNEL_ID (MICROKIT_MAX_CHANNELS - 1)
#define MICROKIT_MAX_IOPORT_ID MICROKIT_MAX_CHANNELS
#define MICROKIT_PD_NAME_LENGTH 64

/* Earlier Tessera names of the same slots. */
#define MICROKIT_INPUT_CAP 1
#define MICROKIT_REPLY_CAP 4
#define MICROKIT_BASE_OUTPUT_NOTIFICATION_CAP BASE_OUTPUT_NOTIFICATION_CAP
#define MICROKIT_BASE_ENDPOINT_CAP BASE_ENDPOINT_CAP
#define MICROKIT_BASE_IRQ_CAP BASE_IRQ_CAP
#define MICROKIT_BASE_TCB_CAP BASE_TCB_CAP

/* Entry points the program provides. protected() and fault() have weak defaults in libmicrokit
 * that report the unexpected call and crash the PD, as Microkit's do. */
void init(void);
void notified(microkit_channel ch);
#ifndef __cplusplus /* `protected` is a C++ keyword: Microkit programs are C */
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo);
#endif
seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo);

/* Filled in by the tool: the PD's name, passive attribute and bit masks of its irq ids, the
 * channels it may notify and call, and its I/O port ids. */
extern char microkit_name[MICROKIT_PD_NAME_LENGTH];
extern seL4_Bool microkit_passive;
extern seL4_Word microkit_irqs;
extern seL4_Word microkit_notifications;
extern seL4_Word microkit_pps;
extern seL4_Word microkit_ioports;

/* The deferred signal (at most one) the event loop sends before it next waits. */
extern seL4_Bool microkit_have_signal;
extern seL4_CPtr microkit_signal_cap;
extern seL4_MessageInfo_t microkit_signal_msg;

/* Debug output: a character, a NUL-terminated string, the decimal value of a number. The
 * release configuration's libmicrokit prints nothing, as Microkit's. */
void microkit_dbg_putc(int c);
void microkit_dbg_puts(const char *s);
void microkit_dbg_put8(seL4_Uint8 x);
void microkit_dbg_put32(seL4_Uint32 x);

/* Ends the PD by a page fault whose address is err, as Microkit does when a call the PD relies
 * on fails: the fault report (or the parent's fault()) names the error. */
static inline void microkit_internal_crash(seL4_Error err)
{
    seL4_Word address = (seL4_Word)err;
    /* Hides the constant from the optimiser, which would warn about a store to address 0. */
    __asm__ volatile("" : "+r"(address));
    *(volatile int *)address = 0;
}

/* One line naming the PD, the call and the id it was refused for. */
void microkit_report_invalid(const char *call, const char *what, unsigned int id);

static inline seL4_Bool microkit_internal_allowed(unsigned int id, unsigned int max, seL4_Word mask)
{
    return id <= max && (mask & (1ULL << id)) != 0;
}

/* Signals the other end of channel ch. */
static inline void microkit_notify(microkit_channel ch)
{
    if (!microkit_internal_allowed(ch, MICROKIT_MAX_CHANNEL_ID, microkit_notifications)) {
        microkit_report_invalid("microkit_notify", "channel", ch);
        return;
    }
    seL4_Signal(BASE_OUTPUT_NOTIFICATION_CAP + ch);
}

/* Re-enables the interrupt delivered on channel ch. */
static inline void microkit_irq_ack(microkit_channel ch)
{
    if (!microkit_internal_allowed(ch, MICROKIT_MAX_CHANNEL_ID, microkit_irqs)) {
        microkit_report_invalid("microkit_irq_ack", "channel", ch);
        return;
    }
    (void)seL4_IRQHandler_Ack(BASE_IRQ_CAP + ch);
}

/* Restarts child pd at entry_point (its registers other than rip keep their values; libmicrokit's
 * _start gives a restarted PD a fresh stack). */
static inline void microkit_pd_restart(microkit_child pd, seL4_Word entry_point)
{
    /* Zeroed word by word: `= {0}` would warn in C++ (-Wmissing-field-initializers). */
    seL4_UserContext context;
    seL4_Word *words = (seL4_Word *)(void *)&context;
    for (seL4_Word i = 0; i < sizeof context / sizeof *words; i++)
        words[i] = 0;
    context.rip = entry_point;
    const seL4_Error err = seL4_TCB_WriteRegisters(BASE_TCB_CAP + pd, seL4_True, 0, 1, &context);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_pd_restart: error writing TCB registers\n");
        microkit_internal_crash(err);
    }
}

static inline void microkit_pd_stop(microkit_child pd)
{
    const seL4_Error err = seL4_TCB_Suspend(BASE_TCB_CAP + pd);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_pd_stop: error stopping TCB '");
        microkit_dbg_put32(pd);
        microkit_dbg_puts("'\n");
        microkit_internal_crash(err);
    }
}

static inline void microkit_pd_resume(microkit_child pd)
{
    const seL4_Error err = seL4_TCB_Resume(BASE_TCB_CAP + pd);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_pd_resume: error resuming TCB '");
        microkit_dbg_put32(pd);
        microkit_dbg_puts("'\n");
        microkit_internal_crash(err);
    }
}

/* Calls protected() of the PD at the other end of ch (a higher priority one) and returns its
 * reply; message registers carry the words both ways. */
static inline microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo)
{
    if (!microkit_internal_allowed(ch, MICROKIT_MAX_CHANNEL_ID, microkit_pps)) {
        microkit_report_invalid("microkit_ppcall", "channel", ch);
        return seL4_MessageInfo_new(0, 0, 0, 0);
    }
    return seL4_Call(BASE_ENDPOINT_CAP + ch, msginfo);
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

/* I/O ports (x86_64): the <ioport> element with id ioport_id grants [addr, addr + size). The
 * kernel refuses a port outside that range; the call then crashes the PD, as in Microkit. */
static inline seL4_Bool microkit_internal_ioport_allowed(const char *call, microkit_ioport id)
{
    if (!microkit_internal_allowed(id, MICROKIT_MAX_IOPORT_ID, microkit_ioports)) {
        microkit_report_invalid(call, "I/O Port ID", id);
        return seL4_False;
    }
    return seL4_True;
}

static inline void microkit_internal_ioport_check(const char *call, int err)
{
    if (err != seL4_NoError) {
        microkit_dbg_puts(call);
        microkit_dbg_puts(": error accessing the I/O port\n");
        microkit_internal_crash((seL4_Error)err);
    }
}

static inline void microkit_x86_ioport_write_8(microkit_ioport ioport_id, seL4_Word port_addr, seL4_Word data)
{
    if (microkit_internal_ioport_allowed("microkit_x86_ioport_write_8", ioport_id))
        microkit_internal_ioport_check("microkit_x86_ioport_write_8",
                                       seL4_X86_IOPort_Out8(BASE_IOPORT_CAP + ioport_id, port_addr, data));
}

static inline void microkit_x86_ioport_write_16(microkit_ioport ioport_id, seL4_Word port_addr, seL4_Word data)
{
    if (microkit_internal_ioport_allowed("microkit_x86_ioport_write_16", ioport_id))
        microkit_internal_ioport_check("microkit_x86_ioport_write_16",
                                       seL4_X86_IOPort_Out16(BASE_IOPORT_CAP + ioport_id, port_addr, data));
}

static inline void microkit_x86_ioport_write_32(microkit_ioport ioport_id, seL4_Word port_addr, seL4_Word data)
{
    if (microkit_internal_ioport_allowed("microkit_x86_ioport_write_32", ioport_id))
        microkit_internal_ioport_check("microkit_x86_ioport_write_32",
                                       seL4_X86_IOPort_Out32(BASE_IOPORT_CAP + ioport_id, port_addr, data));
}

static inline seL4_Uint8 microkit_x86_ioport_read_8(microkit_ioport ioport_id, seL4_Word port_addr)
{
    if (!microkit_internal_ioport_allowed("microkit_x86_ioport_read_8", ioport_id))
        return 0;
    const seL4_X86_IOPort_In8_t in = seL4_X86_IOPort_In8(BASE_IOPORT_CAP + ioport_id, (seL4_Uint16)port_addr);
    microkit_internal_ioport_check("microkit_x86_ioport_read_8", in.error);
    return in.result;
}

static inline seL4_Uint16 microkit_x86_ioport_read_16(microkit_ioport ioport_id, seL4_Word port_addr)
{
    if (!microkit_internal_ioport_allowed("microkit_x86_ioport_read_16", ioport_id))
        return 0;
    const seL4_X86_IOPort_In16_t in = seL4_X86_IOPort_In16(BASE_IOPORT_CAP + ioport_id, (seL4_Uint16)port_addr);
    microkit_internal_ioport_check("microkit_x86_ioport_read_16", in.error);
    return in.result;
}

static inline seL4_Uint32 microkit_x86_ioport_read_32(microkit_ioport ioport_id, seL4_Word port_addr)
{
    if (!microkit_internal_ioport_allowed("microkit_x86_ioport_read_32", ioport_id))
        return 0;
    const seL4_X86_IOPort_In32_t in = seL4_X86_IOPort_In32(BASE_IOPORT_CAP + ioport_id, (seL4_Uint16)port_addr);
    microkit_internal_ioport_check("microkit_x86_ioport_read_32", in.error);
    return in.result;
}

/* The deferred calls: the signal goes out when the current entry point returns, combined with
 * the event loop's next wait. Microkit allows one per entry point; on Tessera a second one sends
 * the first at once instead of losing it. */
void microkit_internal_defer(seL4_CPtr cap, seL4_MessageInfo_t msg);

static inline void microkit_deferred_notify(microkit_channel ch)
{
    if (!microkit_internal_allowed(ch, MICROKIT_MAX_CHANNEL_ID, microkit_notifications)) {
        microkit_report_invalid("microkit_deferred_notify", "channel", ch);
        return;
    }
    microkit_internal_defer(BASE_OUTPUT_NOTIFICATION_CAP + ch, seL4_MessageInfo_new(0, 0, 0, 0));
}

static inline void microkit_deferred_irq_ack(microkit_channel ch)
{
    if (!microkit_internal_allowed(ch, MICROKIT_MAX_CHANNEL_ID, microkit_irqs)) {
        microkit_report_invalid("microkit_deferred_irq_ack", "channel", ch);
        return;
    }
    microkit_internal_defer(BASE_IRQ_CAP + ch, seL4_MessageInfo_new(IRQAckIRQ, 0, 0, 0));
}

/* The capability a <cspace> element put at `slot` (1 to MICROKIT_MAX_USER_CAPS - 1 in the
 * description, below PD_ROOT_CAP_SIZE in Microkit's cptr scheme), or seL4_CapNull. */
static inline seL4_CPtr microkit_cspace_root_slot_to_cptr(seL4_Word slot)
{
    if (slot == 0 || slot >= PD_ROOT_CAP_SIZE)
        return seL4_CapNull;
    return BASE_USER_CAPS + slot;
}

/* Virtual machines (Tessera, AMD SVM; docs/vmm.md). The VCPU of a <virtual_machine>'s <vcpu id>
 * is the capability BASE_VCPU_CAP + id (tessera/abi/svm.h's methods), which the loader binds to
 * this PD's thread and to the guest's memory, as Microkit binds an x86 VCPU to its VMM's TCB.
 * microkit_vcpu_svm_resume() makes the event loop enter the guest instead of waiting; the guest
 * runs until it exits, and a notification that arrives meanwhile goes to notified() (the guest
 * is entered again after it). An exit goes to fault() with the VCPU's id as the child and
 * MICROKIT_VCPU_EXIT_LABEL as the label, the exit itself in microkit_vcpu_svm_state (the words
 * of tessera/abi/svm.h's seL4_VMEnter message: RIP, exit code and information, control
 * registers, RSP and the general registers). fault() returning true enters the guest again at
 * microkit_vcpu_svm_state's RIP with its registers and event, as fault() left them; false leaves
 * the guest stopped. */
#define MICROKIT_VCPU_EXIT_LABEL 0x5456ull /* Tessera's: above every seL4 fault label */
#define MICROKIT_VCPU_STATE_WORDS 29
extern seL4_Word microkit_vcpu_svm_state[MICROKIT_VCPU_STATE_WORDS];

/* Enters the guest of VCPU vcpu at rip, with the registers the VCPU holds, once the PD next
 * waits. False (and no entry) when this PD has no such VCPU: the kernel has no SVM, as seL4's. */
seL4_Bool microkit_vcpu_svm_resume(microkit_child vcpu, seL4_Word rip);

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_MICROKIT_H */

/* The protection-domain runtime: sets up thread-local storage and the IPC buffer, runs the
 * constructors, calls init(), then serves events for ever: children's faults (badge bit 62),
 * protected procedure calls (bit 63) and notifications (one bit per channel id). It uses no C
 * library, so programs link it alone (`ld ... -lmicrokit -Tmicrokit.ld`). */
#include <microkit.h>
#include <sel4/tessera_svm.h>
#include <tessera/spec.h>

/* Written by the tool (docs/system-description.md, "Variables patched in the program"). The
 * tool can patch .bss as well as .data, so they are ordinary globals, as in Microkit. */
char microkit_name[MICROKIT_PD_NAME_LENGTH];
seL4_Bool microkit_passive;
seL4_Word microkit_irqs;
seL4_Word microkit_notifications;
seL4_Word microkit_pps;
seL4_Word microkit_ioports;

seL4_Bool microkit_have_signal;
seL4_CPtr microkit_signal_cap;
seL4_MessageInfo_t microkit_signal_msg;

/* Microkit's slot numbers are the ones the tool fills (tessera/spec.h). */
_Static_assert(MICROKIT_INPUT_CAP == TESSERA_PD_SLOT_INPUT, "input slot");
_Static_assert(MICROKIT_REPLY_CAP == TESSERA_PD_SLOT_REPLY, "reply slot");
_Static_assert(BASE_OUTPUT_NOTIFICATION_CAP == TESSERA_PD_SLOT_NOTIFICATION_BASE, "notifications");
_Static_assert(BASE_ENDPOINT_CAP == TESSERA_PD_SLOT_ENDPOINT_BASE, "endpoints");
_Static_assert(BASE_IRQ_CAP == TESSERA_PD_SLOT_IRQ_BASE, "irq handlers");
_Static_assert(BASE_TCB_CAP == TESSERA_PD_SLOT_TCB_BASE, "children's TCBs");
_Static_assert(BASE_IOPORT_CAP == TESSERA_PD_SLOT_IOPORT_BASE, "I/O ports");
_Static_assert(BASE_USER_CAPS == TESSERA_PD_SLOT_USER_BASE, "<cspace> capabilities");
_Static_assert(MICROKIT_MAX_CHANNEL_ID == TESSERA_MAX_CHANNEL_ID, "channel ids");
_Static_assert(BASE_VCPU_CAP == TESSERA_PD_SLOT_VCPU_BASE, "VCPUs");
_Static_assert(MICROKIT_VCPU_STATE_WORDS == TESSERA_VMEnter_MessageLength, "seL4_VMEnter's message");

/* The guest to enter when the PD next waits (microkit_vcpu_svm_resume, or fault() returning true
 * for an exit), and whether its registers are in the VCPU already (before the first entry, and
 * after a notification that the kernel took while the guest ran) or in the state words. */
seL4_Word microkit_vcpu_svm_state[MICROKIT_VCPU_STATE_WORDS];
static seL4_Bool vcpu_pending;
static microkit_child vcpu_running;
static seL4_Bool vcpu_registers_in_vcpu;
#define EVENT_VALID (1ull << 31)

/* The child id in a fault badge, the channel id in a call's (Microkit's masks). */
#define CHILD_MASK 0xffu
#define CHANNEL_MASK 0x3fu

typedef void (*microkit_constructor)(void);
/* Both GNU ld's default script and microkit.ld define these; weak, so a script without them
 * links and simply has no constructors. */
extern const microkit_constructor __init_array_start[] __attribute__((weak));
extern const microkit_constructor __init_array_end[] __attribute__((weak));

/* The initial thread's TLS block (tls_bridge.cc); the thread pointer, or 0 when it does not fit. */
seL4_Word microkit_runtime_init_tls(void);

void microkit_report_invalid(const char *call, const char *what, unsigned int id)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(call);
    microkit_dbg_puts(": invalid ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(" given '");
    microkit_dbg_put32(id);
    microkit_dbg_puts("'\n");
}

static void send_deferred(void)
{
    if (microkit_have_signal) {
        microkit_have_signal = seL4_False;
        seL4_Send(microkit_signal_cap, microkit_signal_msg);
    }
}

void microkit_internal_defer(seL4_CPtr cap, seL4_MessageInfo_t msg)
{
    /* A second deferred call: Microkit would drop the first; sending it now keeps its effect. */
    if (microkit_have_signal &&
        (microkit_signal_cap != cap || microkit_signal_msg.words[0] != msg.words[0]))
        send_deferred();
    microkit_have_signal = seL4_True;
    microkit_signal_cap = cap;
    microkit_signal_msg = msg;
}

__attribute__((weak)) microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" is missing the 'protected' entry point\n");
    microkit_internal_crash(seL4_NoError);
    return microkit_msginfo_new(0, 0);
}

__attribute__((weak)) seL4_Bool fault(microkit_child child, microkit_msginfo msginfo,
                                      microkit_msginfo *reply_msginfo)
{
    (void)child;
    (void)msginfo;
    (void)reply_msginfo;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" is missing the 'fault' entry point\n");
    microkit_internal_crash(seL4_NoError);
    return seL4_False;
}

static void run_constructors(void)
{
    if (__init_array_start == 0 || __init_array_end == 0)
        return;
    for (const microkit_constructor *entry = __init_array_start; entry < __init_array_end; ++entry)
        (*entry)();
}

static void deliver_notifications(seL4_Word badge)
{
    for (microkit_channel ch = 0; badge != 0; ++ch, badge >>= 1)
        if (badge & 1)
            notified(ch);
}

seL4_Bool microkit_vcpu_svm_resume(microkit_child vcpu, seL4_Word rip)
{
    /* An empty slot (no SVM) answers any method with an error. */
    if (vcpu >= TESSERA_PD_VCPU_SLOTS ||
        tessera_X86_SVMVCPU_ReadState(BASE_VCPU_CAP + vcpu, TESSERA_SVMField_RIP).error != seL4_NoError)
        return seL4_False;
    for (unsigned int i = 0; i < MICROKIT_VCPU_STATE_WORDS; i++)
        microkit_vcpu_svm_state[i] = 0;
    microkit_vcpu_svm_state[TESSERA_VMEnter_RIP] = rip;
    vcpu_running = vcpu;
    vcpu_registers_in_vcpu = seL4_True;
    vcpu_pending = seL4_True;
    return seL4_True;
}

/* Runs the guest until it exits (then fault() decides) or a notification comes (then notified(),
 * and the guest stays pending). */
static void enter_guest(void)
{
    seL4_Word *state = microkit_vcpu_svm_state;
    seL4_Word control = 0;
    if (!vcpu_registers_in_vcpu) {
        control = TESSERA_VMEnterControl_RegistersInMessage;
        for (unsigned int i = TESSERA_VMEnter_RSP; i < MICROKIT_VCPU_STATE_WORDS; i++)
            seL4_SetMR(i, state[i]);
    }
    seL4_SetMR(TESSERA_VMEnter_RIP, state[TESSERA_VMEnter_RIP]);
    seL4_SetMR(TESSERA_VMEnter_Control, control);
    seL4_SetMR(TESSERA_VMEnter_Event, state[TESSERA_VMEnter_Event]);
    seL4_Word badge = 0;
    const seL4_Word result = tessera_VMEnter(&badge);
    if (result == TESSERA_VMEnter_Notification) {
        /* The kernel took the notification after the guest ran a while: the guest's registers are
         * in the VCPU and MR0/MR2 are where it stopped and an event it interrupted. Otherwise the
         * guest did not run and the state stands. */
        if ((seL4_GetMR(TESSERA_VMEnter_Control) & TESSERA_VMEnterControl_RegistersInMessage) == 0) {
            state[TESSERA_VMEnter_RIP] = seL4_GetMR(TESSERA_VMEnter_RIP);
            const seL4_Word event = seL4_GetMR(TESSERA_VMEnter_Event);
            state[TESSERA_VMEnter_Event] = (event & EVENT_VALID) ? event : 0;
            vcpu_registers_in_vcpu = seL4_True;
        }
        deliver_notifications(badge);
        return;
    }
    vcpu_pending = seL4_False;
    if (result != TESSERA_VMEnter_Exit) {
        microkit_dbg_puts(microkit_name);
        microkit_dbg_puts(": the VCPU has no guest memory; the guest stays stopped\n");
        return;
    }
    for (unsigned int i = 0; i < MICROKIT_VCPU_STATE_WORDS; i++)
        state[i] = seL4_GetMR(i);
    /* An event the exit interrupted is injected again unless fault() says otherwise. */
    if ((state[TESSERA_VMEnter_Event] & EVENT_VALID) == 0)
        state[TESSERA_VMEnter_Event] = 0;
    vcpu_registers_in_vcpu = seL4_False;
    microkit_msginfo unused = microkit_msginfo_new(0, 0);
    if (fault(vcpu_running, microkit_msginfo_new(MICROKIT_VCPU_EXIT_LABEL, 0), &unused))
        vcpu_pending = seL4_True;
}

static __attribute__((noreturn)) void serve_events(void)
{
    /* Interrupts are acknowledged once at the start, as Microkit does, so that one raised before
     * the PD first waited is not left masked. */
    for (microkit_channel ch = 0; ch <= MICROKIT_MAX_CHANNEL_ID; ++ch)
        if (microkit_irqs & (1ULL << ch))
            (void)seL4_IRQHandler_Ack(BASE_IRQ_CAP + ch);

    seL4_Bool have_reply = seL4_False;
    microkit_msginfo reply = microkit_msginfo_new(0, 0);
    for (;;) {
        seL4_Word badge = 0;
        /* Without MCS there is no send-and-receive in one call: the deferred signal goes first. */
        send_deferred();
        if (vcpu_pending) {
            /* A reply owed goes out first: the guest runs in place of the wait. */
            if (have_reply)
                seL4_Reply(reply);
            have_reply = seL4_False;
            enter_guest();
            continue;
        }
        const microkit_msginfo message = have_reply
                                             ? seL4_ReplyRecv(MICROKIT_INPUT_CAP, reply, &badge)
                                             : seL4_Recv(MICROKIT_INPUT_CAP, &badge);
        have_reply = seL4_False;
        if (badge & TESSERA_BADGE_FAULT) {
            /* fault() decides: true replies with *reply and resumes the child. */
            reply = microkit_msginfo_new(0, 0);
            have_reply = fault((microkit_child)(badge & CHILD_MASK), message, &reply);
        } else if (badge & TESSERA_BADGE_PPC) {
            reply = protected((microkit_channel)(badge & CHANNEL_MASK), message);
            have_reply = seL4_True;
        } else {
            deliver_notifications(badge);
        }
    }
}

__attribute__((noreturn)) void microkit_runtime_start(seL4_IPCBuffer *ipc_buffer)
{
    const seL4_Word thread_pointer = microkit_runtime_init_tls();
    if (thread_pointer == 0) {
        microkit_dbg_puts("microkit: the program's thread-local data does not fit its TLS area\n");
        microkit_internal_crash(seL4_NotEnoughMemory);
    }
    seL4_SetTLSBase(thread_pointer);
    seL4_SetIPCBuffer(ipc_buffer);
    run_constructors();
    init();
    /* A passive PD gives its scheduling context away here on MCS; without MCS it simply waits
     * like every PD (docs/decisions.md, 9). */
    serve_events();
}

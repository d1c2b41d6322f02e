// systems/vm.system's VMM: a Microkit-style protection domain with a <virtual_machine> of one
// VCPU beside a native protection domain (adder). It puts the VCPU in flat 32-bit protected
// mode, starts the guest (guest.S, prefilled at guest-physical 0) and serves its exits in
// fault(): the guest's COM1 is the VMM's 16550A (Uart16550) joined to the serial virtualiser by
// SerialConsole, so the guest's lines, the VMM's own and adder's share one console and typed
// input reaches the guest; VMMCALL 1 is answered by calling adder over channel 0, port 0x80
// reports the answer, and a nested page fault outside the guest's memory stops the guest. Then
// the VMM restarts the guest at its storm entry, an exit per instruction, with the exit-storm
// guard armed at the system's limit (exit_storm_limit, per second of guest time): the guard stops
// the guest, and adder, called once more, still answers. Each step is a check; the summary
// follows the second stop.
#include <microkit.h>
#include <sel4/tessera_svm.h>
#include <stdio.h>
#include <tessera/serial_client.h>

#include "exit_storm.h"
#include "guest_clock.h"
#include "pd_symbols.h"
#include "serial_console.h"
#include "uart_16550.h"

extern "C" {
#include "checks.h"
}

namespace vmm = tessera::services::vmm;

#define ADDER_CHANNEL 0
#define GUEST_SERIAL_CHANNEL 1 /* the serial virtualiser, for the guest's COM1 */
#define VMM_SERIAL_CHANNEL 2   /* the serial virtualiser, for this PD's own lines */
#define VCPU 0
#define GUEST_STACK 0x8000
#define GUEST_ANSWER 0x7000
#define GUEST_OUTSIDE 0x100000
#define GUEST_STORM_ENTRY 0x800 /* guest.S's `storm` */
#define COM1 0x3f8

// Attached without blocking (pd_symbols.h): this PD runs the guest.
static tessera_serial_client guest_client, vmm_client;
static vmm::SerialConsole* console;
static vmm::Uart16550* uart;
static unsigned exits;
static int notified_after_call; /* adder's notification seen, while the guest was to resume */
static int waiting_for_notification;
static vmm::ExitStormGuard* storm;  /* armed once the guest storms */
static const vmm::GuestClock* guest_clock;
static unsigned storm_exits;

static seL4_Word *reg(seL4_Word field)
{
    return &microkit_vcpu_svm_state[TESSERA_VMEnter_RAX + field];
}

static int write_state(seL4_Word field, seL4_Word value)
{
    return tessera_X86_SVMVCPU_WriteState(BASE_VCPU_CAP + VCPU, field, value) == seL4_NoError;
}

static int segment(seL4_Word which, seL4_Word selector, seL4_Word attributes, seL4_Word limit)
{
    const seL4_Word first = TESSERA_SVMField_ES + 4 * which;
    return write_state(first + TESSERA_SVMSegment_Selector, selector) &&
           write_state(first + TESSERA_SVMSegment_Attributes, attributes) &&
           write_state(first + TESSERA_SVMSegment_Limit, limit) &&
           write_state(first + TESSERA_SVMSegment_Base, 0);
}

/* Flat 32-bit protected mode, paging off (CR0 PE, MP, ET, NE). */
static int protected_mode(void)
{
    static const seL4_Word data[] = {TESSERA_SVMSegment_ES, TESSERA_SVMSegment_SS, TESSERA_SVMSegment_DS,
                                     TESSERA_SVMSegment_FS, TESSERA_SVMSegment_GS};
    int ok = segment(TESSERA_SVMSegment_CS, 0x08, 0xc9b, 0xffffffff);
    for (unsigned i = 0; i < sizeof data / sizeof data[0]; i++)
        ok = ok && segment(data[i], 0x10, 0xc93, 0xffffffff);
    return ok && segment(TESSERA_SVMSegment_TR, 0, 0x8b, 0x67) &&
           segment(TESSERA_SVMSegment_LDTR, 0, 0x82, 0) && write_state(TESSERA_SVMField_CR0, 0x33) &&
           write_state(TESSERA_SVMField_CR4, 0) && write_state(TESSERA_SVMField_EFER, 0) &&
           write_state(TESSERA_SVMField_RFLAGS, 2) && write_state(TESSERA_SVMField_RSP, GUEST_STACK);
}

static void stop_guest(void)
{
    console->idle();
    check("vm.guest_console_lost_nothing", console->dropped_bytes() == 0);
    check_summary();
}

/* Calls adder outside a guest exit: whether it answers `question` + 22. */
static bool adder_answers(seL4_Word question)
{
    microkit_mr_set(0, question);
    waiting_for_notification = 1; /* adder notifies before it answers */
    const microkit_msginfo answer = microkit_ppcall(ADDER_CHANNEL, microkit_msginfo_new(0, 1));
    return microkit_msginfo_get_label(answer) == 0 && microkit_mr_get(0) == question + 22;
}

extern "C" void init(void)
{
    const bool own = vmm::attach_vmm_serial(vmm_client, VMM_SERIAL_CHANNEL);
    if (own)
        tessera_serial_client_use_for_stdio(&vmm_client);
    const bool guest = vmm::attach_guest_serial(guest_client, GUEST_SERIAL_CHANNEL);
    static vmm::SerialConsole guest_console{guest_client};
    static vmm::Uart16550 guest_uart{guest_console};
    console = &guest_console;
    uart = &guest_uart;
    check("vm.serial_clients_attached", own && guest);
    if (!protected_mode() || !microkit_vcpu_svm_resume(VCPU, 0)) {
        /* The loader left the VCPU out (no SVM): its slot is empty, and the rest runs. */
        printf("vmm: no SVM virtual CPU on this kernel; the guest does not run\n");
        check("vm.vcpu_slot_empty_without_svm", seL4_DebugCapIdentify(BASE_VCPU_CAP + VCPU) == 0);
        check("vm.native_pd_runs_without_svm", adder_answers(1));
        check_summary();
        return;
    }
    check("vm.guest_started", 1);
}

/* After the first stop: the guest again at its storm entry, the guard armed at the system's limit
 * (vm.system sets it low enough for TCG's exit rate to trip). False when that cannot be. */
static bool restart_for_the_storm(void)
{
    static auto clock = vmm::GuestClock::from_tsc_chunk(reinterpret_cast<const void*>(tsc_frequency),
                                                        tsc_frequency ? 4096 : 0);
    vmm::ExitStormLimits limits{};
    const bool configured =
        vmm::parse_exit_storm_limit(exit_storm_limit, {1000000000, 2000000}, limits);
    check("vm.exit_storm_limit_configured", clock && configured && exit_storm_limit[0] != '\0');
    if (!clock || !configured)
        return false;
    guest_clock = &clock.value();
    static vmm::ExitStormGuard guard{limits};
    storm = &guard;
    printf("vmm: restarting the guest at its storm entry, at most %llu exits per second of guest "
           "time\n", (unsigned long long)limits.exits_per_window);
    microkit_vcpu_svm_state[TESSERA_VMEnter_RIP] = GUEST_STORM_ENTRY;
    return true;
}

/* The guard tripped: the guest stops, and the native PD still answers after it. */
static void stop_the_storm(void)
{
    printf("vmm: exit storm: more than %llu exits in one second of guest time after %u exits; "
           "stopping the guest\n", (unsigned long long)storm->exits_in_window() - 1, storm_exits);
    check("vm.exit_storm_stopped_the_guest", 1);
    check("vm.native_pd_runs_after_the_guest_stopped", adder_answers(100));
    stop_guest();
}

extern "C" void notified(microkit_channel ch)
{
    if (ch == GUEST_SERIAL_CHANNEL || ch == VMM_SERIAL_CHANNEL)
        return; // input or room: the guest's next UART access looks
    if (ch == ADDER_CHANNEL && waiting_for_notification) {
        waiting_for_notification = 0;
        notified_after_call = 1;
        return;
    }
    printf("vmm: unexpected notification on channel %u\n", ch);
}

static seL4_Bool port_io(seL4_Word info1, seL4_Word next_rip)
{
    const seL4_Word port = info1 >> 16;
    const bool in = info1 & 1;
    seL4_Word* rax = reg(TESSERA_SVMField_RAX);
    const seL4_Word value = *rax;
    if (port >= COM1 && port < COM1 + vmm::UartRegisterCount) {
        if (in) {
            uart->receive_from(*console); // input waiting in the ring, as far as the FIFO takes
            *rax = (value & ~seL4_Word(0xff)) | uart->read(unsigned(port - COM1));
        } else {
            uart->write(unsigned(port - COM1), uint8_t(value));
        }
    } else if (in) { /* nothing else here: all ones, as from an absent device */
        *rax = value | 0xffffffff;
    } else if (port == 0x81 && storm != nullptr) {
        /* the storm's port: nothing to do but come back */
    } else if (port == 0x80) {
        const volatile seL4_Word *ram = (const volatile seL4_Word *)guest_ram;
        printf("vmm: the guest reports %lu\n", (unsigned long)(value & 0xffffffff));
        check("vm.native_pd_answered_the_guest", (value & 0xffffffff) == 42);
        check("vm.notification_while_the_guest_was_due", notified_after_call);
        check("vm.guest_memory_shared_with_the_vmm", (ram[GUEST_ANSWER / sizeof *ram] & 0xffffffff) == 42);
    } else {
        printf("vmm: guest wrote to port %#lx\n", (unsigned long)port);
    }
    microkit_vcpu_svm_state[TESSERA_VMEnter_RIP] = next_rip; /* EXITINFO2: the next instruction */
    return seL4_True;
}

extern "C" seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    if (microkit_msginfo_get_label(msginfo) != MICROKIT_VCPU_EXIT_LABEL || child != VCPU) {
        printf("vmm: unexpected fault from child %u\n", child);
        return seL4_False;
    }
    exits++;
    if (storm != nullptr) {
        storm_exits++;
        if (storm->record(guest_clock->now_ns())) {
            stop_the_storm();
            return seL4_False;
        }
    }
    const seL4_Word code = microkit_vcpu_svm_state[TESSERA_VMEnter_ExitCode];
    const seL4_Word info1 = microkit_vcpu_svm_state[TESSERA_VMEnter_ExitInfo1];
    const seL4_Word info2 = microkit_vcpu_svm_state[TESSERA_VMEnter_ExitInfo2];
    seL4_Word *rip = &microkit_vcpu_svm_state[TESSERA_VMEnter_RIP];
    switch (code) {
    case TESSERA_SVMExit_IOIO: return port_io(info1, info2);
    case TESSERA_SVMExit_VMMCALL: {
        if (*reg(TESSERA_SVMField_RAX) != 1)
            break;
        microkit_mr_set(0, *reg(TESSERA_SVMField_RBX));
        const microkit_msginfo answer = microkit_ppcall(ADDER_CHANNEL, microkit_msginfo_new(0, 1));
        check("vm.vmmcall_reached_the_native_pd", microkit_msginfo_get_label(answer) == 0);
        *reg(TESSERA_SVMField_RAX) = microkit_mr_get(0);
        waiting_for_notification = 1;
        *rip += 3; /* VMMCALL is 0f 01 d9; no NRIP save under QEMU */
        return seL4_True;
    }
    case TESSERA_SVMExit_NPF:
        printf("vmm: the guest touched guest-physical %#lx outside its memory after %u exits; "
               "stopping it\n", (unsigned long)info2, exits);
        check("vm.guest_confined_to_its_memory", info2 == GUEST_OUTSIDE);
        if (storm == nullptr && restart_for_the_storm())
            return seL4_True;
        stop_guest();
        return seL4_False;
    default: break;
    }
    printf("vmm: the guest stopped at RIP %#lx: exit %#lx (%#lx, %#lx)\n", (unsigned long)*rip,
           (unsigned long)code, (unsigned long)info1, (unsigned long)info2);
    check("vm.guest_exits_expected", 0);
    stop_guest();
    return seL4_False;
}

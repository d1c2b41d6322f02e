// The POSIX server as a protection domain (docs/posix.md, "The server as a protection domain"):
// started by the loader of a `.system` such as systems/posix.system instead of as seL4's root
// task. Its untypeds, CNode, address space, TCB and ASID pool are a `<manager ram= caps=>`
// element's; the HPET's registers, the RTC's ports and HPET timer 0's interrupt are maps, I/O
// ports and an irq of its description; the command is a `<setvar string=>`; the root is the ext2
// service's volume when a channel and window to it are given (`tessera linux --disk`), else the
// packed busybox tree. It runs the command as the root task does (run_command, main.cc), then
// writes the status to QEMU's exit device.
#include <microkit.h>
#include <string.h>

#include "core/exec/command_line.h"
#include "run_command.h"
#include "sel4/serial_console.h"

extern "C" {
extern char tessera_posix_command[4096];
extern uint8_t tessera_posix_terminals;
// The command as one line (core/exec/command_line.h); empty: tessera_posix_command as built or
// as `tessera linux` patched it.
__attribute__((section(".data"))) char posix_command_line[1024] = "";
// The HPET's register page, mapped uncached (<map setvar_vaddr="posix_hpet_registers">).
__attribute__((section(".data"))) uintptr_t posix_hpet_registers = 0;
// The root on the ext2 service: the channel the server calls it on, as a decimal string ("none":
// the packed busybox root), and the window both map (the service's client window).
__attribute__((section(".data"))) char posix_fs_channel[8] = "none";
__attribute__((section(".data"))) uintptr_t posix_fs_window = 0;
__attribute__((section(".data"))) size_t posix_fs_window_size = 0;
}

namespace {

// The description's ids (systems/posix.system): irq 0 is HPET timer 0; I/O ports 0 are the RTC's
// (0x70-0x71), 1 QEMU's exit device (0xf4, 4 bytes).
constexpr seL4_CPtr ClockIrq = TESSERA_PD_SLOT_IRQ_BASE + 0;
constexpr seL4_CPtr RtcPorts = TESSERA_PD_SLOT_IOPORT_BASE + 0;
constexpr seL4_CPtr ExitPorts = TESSERA_PD_SLOT_IOPORT_BASE + 1;
constexpr uint16_t ExitDevicePort = 0xf4;

tessera_fs service;

// The connection to the file-system service, or null without one (or with a bad channel).
tessera_fs* connect_service()
{
    const char* text = posix_fs_channel;
    if (strcmp(text, "none") == 0)
        return nullptr;
    unsigned channel = 0;
    for (const char* p = text; *p != '\0'; ++p) {
        if (*p < '0' || *p > '9' || channel > MICROKIT_MAX_CHANNELS) {
            microkit_dbg_puts("posix: posix_fs_channel is not a channel number\n");
            return nullptr;
        }
        channel = channel * 10 + unsigned(*p - '0');
    }
    if (channel >= MICROKIT_MAX_CHANNELS || posix_fs_window == 0 ||
        tessera_fs_init_microkit(&service, channel, reinterpret_cast<void*>(posix_fs_window),
                                 posix_fs_window_size) != 0) {
        microkit_dbg_puts("posix: no connection to the file-system service\n");
        return nullptr;
    }
    return &service;
}

} // namespace

void init(void)
{
    using namespace tessera::posix;
    const char* line = posix_command_line;
    if (line[0] != '\0') {
        if (!split_command_line(line, tessera_posix_command, sizeof tessera_posix_command))
            microkit_dbg_puts("posix: the command line cannot be split; running the built-in one\n");
        // The description's own command: its frames on the serial line are read by a program,
        // not shown on a terminal, so its descriptors are no terminals (as `tessera linux` with
        // its output captured). `tessera linux` patches the terminals itself.
        tessera_posix_terminals = 0;
    }
    const sel4::PdResources resources{
        reinterpret_cast<const tessera_manager_directory*>(TESSERA_MANAGER_DIRECTORY_VADDR),
        reinterpret_cast<volatile uint64_t*>(posix_hpet_registers), RtcPorts, ClockIrq};
    sel4::Platform* platform = sel4::start_platform_pd(resources);
    const bool wants_service = strcmp(posix_fs_channel, "none") != 0;
    tessera_fs* connection = wants_service ? connect_service() : nullptr;
    // A root the description names but the server cannot reach is no reason to run on another:
    // the run ends as one whose system cannot start.
    int status = 125;
    if (wants_service && connection == nullptr)
        sel4::SerialConsole::finish(status);
    else
        status = run_command(platform, connection);
    // The machine stops with the command's status, as the root task's exit does; without the
    // port (a description that gives none) the PD just waits.
    (void)seL4_X86_IOPort_Out32(ExitPorts, ExitDevicePort, seL4_Word(status));
}

void notified(microkit_channel channel)
{
}

// The POSIX server as a root task (`tessera linux`): Debian's busybox-static and its applet links
// as the root file system, one command run with its arguments, its output framed on the serial
// line, its exit status as the system's.
#include <stdio.h>
#include <string.h>

#include <tessera/runtime.h>

#include "sel4/platform.h"
#include "sel4/serial_console.h"
#include "server/server.h"

using namespace tessera::posix;

extern "C" const uint8_t posix_busybox[], posix_busybox_end[];

// The command, as NUL-separated arguments ending in an empty one; `tessera linux` patches it in
// a copy of this program (its symbol is the contract). The default: a shell that reads nothing.
extern "C" {
char tessera_posix_command[4096] = "sh\0";
}

namespace {

#include "posix_applets.inc" // const char* const applets[]: `busybox --list` at build time

constexpr size_t AppletCount = sizeof applets / sizeof applets[0];
constexpr size_t MaxArguments = 256;
const char* const Path[] = {"/bin", "/usr/bin", "/sbin", "/usr/sbin"};
const char* const environment[] = {"PATH=/bin:/usr/bin:/sbin:/usr/sbin", "HOME=/"};

server::PackedFile files[AppletCount + 1];
char names[AppletCount][48];
sel4::SerialConsole console;

size_t make_root()
{
    const size_t size = size_t(posix_busybox_end - posix_busybox);
    size_t count = 0;
    files[count++] = {"/bin/busybox", posix_busybox, size, 0755};
    for (size_t i = 0; i < AppletCount; ++i) {
        snprintf(names[i], sizeof names[i], "/bin/%s", applets[i]);
        files[count++] = {names[i], posix_busybox, size, 0755};
    }
    return count;
}

// 127 when the command is not found, 126 when it is not an executable (as env(1) answers).
int failure_status(Errno error)
{
    return error == Errno::NoEnt || error == Errno::NotDir ? 127 : 126;
}

} // namespace

int main(void)
{
    const char* arguments[MaxArguments];
    size_t count = 0;
    for (const char* p = tessera_posix_command;
         *p != '\0' && count < MaxArguments && p < tessera_posix_command + sizeof tessera_posix_command;
         p += strlen(p) + 1)
        arguments[count++] = p;
    sel4::Platform* platform = sel4::start_platform(*tessera_boot_info());
    if (platform == nullptr || count == 0) {
        sel4::SerialConsole::finish(125);
        return 125;
    }
    static const server::FileTable table(files, make_root());
    static server::Server server(platform->objects, platform->frames, platform->backend,
                                 platform->endpoint, console, table);
    // A name without a slash is looked up in PATH, as a shell would.
    char path[256];
    const char* command = arguments[0];
    snprintf(path, sizeof path, "%s", command);
    for (size_t i = 0; strchr(command, '/') == nullptr && i < sizeof Path / sizeof Path[0]; ++i) {
        snprintf(path, sizeof path, "%s/%s", Path[i], command);
        if (table.find(path) != nullptr)
            break;
    }
    auto pid = server.spawn(path, {arguments, count}, {environment, 2});
    if (!pid) {
        char message[320];
        const int n = snprintf(message, sizeof message, "%s: %s\n", command,
                               failure_status(pid.error()) == 127 ? "No such file or directory"
                                                                  : "cannot execute");
        console.write(2, message, size_t(n));
        sel4::SerialConsole::finish(failure_status(pid.error()));
        return failure_status(pid.error());
    }
    const int32_t wait_status = server.run_until_exit(pid.value());
    // Linux's wait status: the exit code in bits 8-15, or the signal in bits 0-6.
    const int status = (wait_status & 0x7f) != 0 ? 128 + (wait_status & 0x7f)
                                                 : (wait_status >> 8) & 0xff;
    sel4::SerialConsole::finish(status);
    return status;
}

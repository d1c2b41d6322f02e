// The POSIX server's command run (`tessera linux`): Debian's busybox-static and its applet links
// as the root file system, or the ext2 service's volume on a disk, one command run with its
// arguments, its output framed on the serial line, its exit status as the system's. As seL4's
// root task (main() below) or as a protection domain (pd.cc, built with TESSERA_POSIX_PD).
#include <stdio.h>
#include <string.h>

#include <new>

#include <tessera/runtime.h>

#include "core/fs/ext2_volume.h"
#include "core/fs/memory_volume.h"
#include "sel4/platform.h"
#include "sel4/serial_console.h"
#include "server/packed_volume.h"
#include "server/server.h"
#include "run_command.h"

using namespace tessera::posix;

extern "C" const uint8_t posix_busybox[], posix_busybox_end[];
// More files for the root, from a variant of this program (tests/posix-corpus); none here.
extern "C" const server::PackedFile posix_extra_files[] __attribute__((weak));
extern "C" const size_t posix_extra_file_count __attribute__((weak));

// The command, as NUL-separated arguments ending in an empty one; `tessera linux` patches it in
// a copy of this program (its symbol is the contract). The default: a shell that reads nothing.
// Standard input and the terminals, patched the same way: tessera_posix_terminals has bit n set
// when the tool's descriptor n is a terminal; tessera_posix_input_size is all ones when standard
// input is the console (the tool's is a terminal), else the count of bytes the tool read from
// its standard input into tessera_posix_input (.bss: the tool's patch gives it file bytes).
constexpr size_t InputCapacity = 1 << 20;
extern "C" {
char tessera_posix_command[4096] = "sh\0";
uint8_t tessera_posix_terminals = 0b111;
uint64_t tessera_posix_input_size = ~uint64_t(0);
uint8_t tessera_posix_input[InputCapacity];
}

namespace {

#include "posix_applets.inc" // const char* const applets[]: `busybox --list` at build time

constexpr size_t AppletCount = sizeof applets / sizeof applets[0];
constexpr size_t MaxArguments = 256;
const char* const Path[] = {"/bin", "/usr/bin", "/sbin", "/usr/sbin"};
const char* const environment[] = {"PATH=/bin:/usr/bin:/sbin:/usr/sbin", "HOME=/"};

char names[AppletCount][48];
sel4::SerialConsole console;

// The root's files (busybox, its applet links, the extra files), or null when memory is short.
server::PackedFile* make_root(size_t& count)
{
    const size_t size = size_t(posix_busybox_end - posix_busybox);
    const size_t extra = &posix_extra_file_count != nullptr ? posix_extra_file_count : 0;
    auto* files = new (std::nothrow) server::PackedFile[AppletCount + 1 + extra];
    if (files == nullptr)
        return nullptr;
    count = 0;
    files[count++] = {"/bin/busybox", posix_busybox, size, 0755};
    for (size_t i = 0; i < AppletCount; ++i) {
        snprintf(names[i], sizeof names[i], "/bin/%s", applets[i]);
        files[count++] = {names[i], posix_busybox, size, 0755};
    }
    for (size_t i = 0; i < extra; ++i)
        files[count++] = posix_extra_files[i];
    return files;
}

// File times in the memory file systems from the server's clock (the epoch without one).
class MemoryClock final : public fs::TimeSource {
public:
    explicit MemoryClock(server::Clock* clock) : clock_(clock) {}
    linux::Timespec now() override
    {
        const uint64_t ns = clock_ ? clock_->realtime_nanoseconds() : 0;
        return {int64_t(ns / 1000000000u), int64_t(ns % 1000000000u)};
    }

private:
    server::Clock* clock_;
};

constexpr uint32_t TmpMode = 01777; // everyone writes, only an owner removes (sticky)
// The memory file systems' device numbers: anonymous ones after /proc's (0x14), as Linux's 0:n.
constexpr uint64_t TmpDevice = 0x15, ShmDevice = 0x16;

// Programs expect a writable /tmp: a disk without one gets it, as a system's first boot would.
void make_tmp(fs::Volume& volume)
{
    if (!volume.stat("/tmp", false)) {
        if (!volume.make_directory("/tmp", TmpMode) || !volume.change_mode("/tmp", TmpMode))
            printf("posix: cannot make /tmp on the disk\n");
    }
}

// The root on the ext2 service's protection domain (a protected procedure call per request,
// tessera_fs_init_microkit). The service writes every change to the disk before it answers, so
// the volume is used as it is: nothing to commit, and a killed system keeps every finished call.
fs::Volume* mount_service(tessera_fs& connection, bool& read_only)
{
    static fs::Ext2Volume volume(connection);
    auto info = volume.statfs();
    if (!info) {
        printf("posix: the file-system service does not answer\n");
        return nullptr;
    }
    constexpr int64_t StReadOnly = 1; // Linux's ST_RDONLY in statfs's f_flags
    read_only = (info.value().flags & StReadOnly) != 0;
    if (!read_only)
        make_tmp(volume);
    return &volume;
}

// The service's cache written out before the status line (it writes every change through
// already; this is the volume's clean state for e2fsck).
void write_back(fs::Volume& volume)
{
    if (!volume.sync())
        printf("posix: the disk's last changes could not be written out\n");
}

// 127 when the command is not found, 126 when it is not an executable (as env(1) answers).
int failure_status(Errno error)
{
    return error == Errno::NoEnt || error == Errno::NotDir ? 127 : 126;
}

} // namespace

namespace tessera::posix {

int run_command(sel4::Platform* platform, tessera_fs* service)
{
    const char* arguments[MaxArguments];
    size_t count = 0;
    for (const char* p = tessera_posix_command;
         *p != '\0' && count < MaxArguments && p < tessera_posix_command + sizeof tessera_posix_command;
         p += strlen(p) + 1)
        arguments[count++] = p;
    fs::Volume* root = nullptr;
    const bool on_disk = service != nullptr;
    bool read_only = false;
    if (platform != nullptr && service != nullptr) {
        root = mount_service(*service, read_only);
    } else if (platform != nullptr) {
        size_t file_count = 0;
        const server::PackedFile* files = make_root(file_count);
        // The mount points below are directories of the root too, as on Linux (ls / lists them).
        static const char* const mount_points[] = {"/dev/shm", "/proc", "/tmp"};
        static const server::FileTable table(files, file_count, mount_points,
                                             sizeof mount_points / sizeof mount_points[0]);
        static server::PackedVolume packed(table);
        root = files ? &packed : nullptr;
    }
    if (root == nullptr || count == 0) {
        sel4::SerialConsole::finish(125);
        return 125;
    }
    static server::Server server(platform->objects, platform->frames, platform->backend,
                                 platform->endpoint, console, *root);
    // Read through volatile: the tool patches the image, so the compiler must not fold them.
    const uint64_t input_size = *static_cast<volatile uint64_t*>(&tessera_posix_input_size);
    server::StandardStreams streams;
    streams.terminals = *static_cast<volatile uint8_t*>(&tessera_posix_terminals);
    streams.input_is_console = input_size > InputCapacity;
    streams.input = tessera_posix_input;
    streams.input_size = streams.input_is_console ? 0 : size_t(input_size);
    server.set_standard_streams(streams);
    // The mounts (docs/posix.md, "Mounts"): a disk keeps its own /tmp; the packed root, which
    // is read-only, gets a memory one; /dev/shm is memory on both. Each may take up to half of
    // the server's frames, as Linux's tmpfs defaults to half of RAM.
    if (on_disk)
        server.describe_root("/dev/root", "ext2", read_only ? "ro,relatime" : "rw,relatime");
    else
        server.describe_root("rootfs", "rootfs", "ro");
    static MemoryClock memory_clock(platform->clock);
    const size_t half = platform->frames.total() / 2;
    static fs::MemoryVolume tmp("/tmp", platform->frames, half, TmpDevice, TmpMode);
    static fs::MemoryVolume shm("/dev/shm", platform->frames, half, ShmDevice, TmpMode);
    tmp.set_time_source(&memory_clock);
    shm.set_time_source(&memory_clock);
    if (!on_disk)
        (void)server.mount({"/tmp", &tmp, "tmpfs", "tmpfs", "rw,nosuid,nodev"});
    (void)server.mount({"/dev/shm", &shm, "tmpfs", "tmpfs", "rw,nosuid,nodev"});
    server.set_clock(platform->clock);
    // A name without a slash is looked up in PATH, as a shell would.
    char path[256];
    const char* command = arguments[0];
    snprintf(path, sizeof path, "%s", command);
    for (size_t i = 0; strchr(command, '/') == nullptr && i < sizeof Path / sizeof Path[0]; ++i) {
        snprintf(path, sizeof path, "%s/%s", Path[i], command);
        if (root->stat(path, true))
            break;
    }
    auto pid = server.spawn(path, {arguments, count}, {environment, 2});
    if (!pid) {
        char message[320];
        const int n = snprintf(message, sizeof message, "%s: %s\n", command,
                               failure_status(pid.error()) == 127 ? "No such file or directory"
                                                                  : "cannot execute");
        console.write(2, message, size_t(n));
        if (on_disk)
            write_back(*root);
        sel4::SerialConsole::finish(failure_status(pid.error()));
        return failure_status(pid.error());
    }
    const int32_t wait_status = server.run_until_exit(pid.value());
    // Linux's wait status: the exit code in bits 8-15, or the signal in bits 0-6.
    const int status = (wait_status & 0x7f) != 0 ? 128 + (wait_status & 0x7f)
                                                 : (wait_status >> 8) & 0xff;
    if (on_disk)
        write_back(*root);
    sel4::SerialConsole::finish(status);
    return status;
}

} // namespace tessera::posix

#ifndef TESSERA_POSIX_PD
int main(void)
{
    return run_command(sel4::start_platform(*tessera_boot_info()), nullptr);
}
#endif

/* The Linux guest's PID 1: mounts the kernel's file systems, loads the modules the harness chose
 * in its order, runs the harness's commands one after the other and powers the machine off.
 *
 * Everything it reads comes from the initramfs that bench/linux/guest/linux_guest.py builds:
 *   /etc/tessera/modules   one module path per line, insmod order (dependencies first)
 *   /etc/tessera/disks     how many virtio disks to wait for (/dev/vda, /dev/vdb, ...)
 *   /etc/tessera/commands  argv strings separated by NUL, each command ended by an empty string
 * The commands' standard output and error, and this program's markers, go to the second serial
 * port (/dev/ttyS1) in raw mode, so that the harness reads exactly what the programs printed,
 * never interleaved with the kernel's console on ttyS0. The markers (docs/benchmarks.md):
 *   LINUX-GUEST-BEGIN release=<uname -r> modules=<n> disks=<n> init_tsc=<TSC at main's start>
 *                     init_idle_ns=<ns the CPU had halted since boot, read just after /proc is mounted>
 *   LINUX-GUEST-EXIT index=<i> status=<exit status, or 128+signal>
 *   LINUX-GUEST-END status=<first failing command's status, or 0>
 * Built static with musl-gcc with guest_bench.c; it must not need anything but the kernel. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "guest_bench.h"

enum { max_file = 1 << 16, max_arguments = 64, disk_wait_ms = 5000 };
enum { status_setup_failed = 120 }; /* init's own failure, outside a command's */

static int output = -1; /* ttyS1, or the console if ttyS1 cannot be opened */

static void say(const char* format, ...)
{
    char line[512];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(line, sizeof line, format, arguments);
    va_end(arguments);
    if (length < 0)
        return;
    if ((size_t)length >= sizeof line)
        length = sizeof line - 1;
    for (int done = 0; done < length;) {
        ssize_t written = write(output, line + done, (size_t)(length - done));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return;
        done += (int)written;
    }
}

/* The whole file plus a NUL, or NULL; *size gets its length. Files here are small. */
static char* read_file(const char* path, size_t* size)
{
    int descriptor = open(path, O_RDONLY | O_CLOEXEC);
    if (descriptor < 0)
        return NULL;
    char* buffer = malloc(max_file + 1);
    size_t used = 0;
    while (buffer && used < max_file) {
        ssize_t got = read(descriptor, buffer + used, max_file - used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        used += (size_t)got;
    }
    close(descriptor);
    if (buffer) {
        buffer[used] = '\0';
        *size = used;
    }
    return buffer;
}

static void mount_or_say(const char* source, const char* target, const char* type)
{
    mkdir(target, 0755);
    if (mount(source, target, type, 0, NULL) != 0 && errno != EBUSY)
        say("linux-guest: mount %s on %s: %s\n", type, target, strerror(errno));
}

/* Whether the kernel found a UART behind a serial tty. Linux makes /dev/ttyS0-3 whatever the
 * machine has and opens one with no UART behind it without error (writes then go nowhere): a
 * VMM's guest has COM1 only. TIOCGSERIAL's struct serial_struct starts with the port type,
 * PORT_UNKNOWN (0) for no UART; musl has no <linux/serial.h>, so the number and the field are
 * written here (Linux's include/uapi/asm-generic/ioctls.h, uapi/linux/serial.h). */
static int has_uart(int descriptor)
{
    enum { tiocgserial = 0x541e, port_unknown = 0 };
    int serial_struct[32] = {0}; /* larger than the kernel's 72 bytes */
    return ioctl(descriptor, tiocgserial, serial_struct) != 0 || serial_struct[0] != port_unknown;
}

/* Raw mode: no CR added before LF, no echo, no line editing; what a program writes arrives. */
static void open_output(void)
{
    output = open("/dev/ttyS1", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (output >= 0 && !has_uart(output)) {
        /* Left open: a guest in `tessera vm` that closed it never printed again nor idled
         * (bench/vmm, session 9; the 8250 driver's shutdown of a port it never started is the
         * guess, not chased). */
        output = 1;
        say("linux-guest: /dev/ttyS1 has no UART; writing to the console\n");
        return;
    }
    if (output < 0) {
        output = 1;
        say("linux-guest: /dev/ttyS1: %s; writing to the console\n", strerror(errno));
        return;
    }
    struct termios mode;
    if (tcgetattr(output, &mode) == 0) {
        cfmakeraw(&mode);
        tcsetattr(output, TCSANOW, &mode);
    }
}

static int load_modules(int* count)
{
    size_t size = 0;
    char* list = read_file("/etc/tessera/modules", &size);
    *count = 0;
    if (!list)
        return 0;
    for (char* line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
        int descriptor = open(line, O_RDONLY | O_CLOEXEC);
        long loaded = descriptor < 0 ? -1 : syscall(SYS_finit_module, descriptor, "", 0);
        int error = errno;
        if (descriptor >= 0)
            close(descriptor);
        if (loaded != 0 && error != EEXIST) {
            say("linux-guest: insmod %s: %s\n", line, strerror(error));
            free(list);
            return -1;
        }
        ++*count;
    }
    free(list);
    return 0;
}

static long monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000L + now.tv_nsec / 1000000L;
}

/* virtio_blk's probe runs inside its insmod and devtmpfs makes the nodes synchronously; the
 * wait is only a bound on anything slower, never a sleep when the disks are there. */
static int wait_for_disks(int wanted)
{
    long deadline = monotonic_ms() + disk_wait_ms;
    for (;;) {
        int present = 0;
        for (int i = 0; i < wanted && i < 26; ++i) {
            char path[32];
            snprintf(path, sizeof path, "/dev/vd%c", 'a' + i);
            present += access(path, F_OK) == 0;
        }
        if (present == wanted)
            return 0;
        if (monotonic_ms() > deadline) {
            say("linux-guest: %d of %d disks appeared\n", present, wanted);
            return -1;
        }
        struct timespec pause = {0, 10 * 1000000L};
        nanosleep(&pause, NULL);
    }
}

static int run_command(char** argv)
{
    pid_t child = fork();
    if (child < 0) {
        say("linux-guest: fork: %s\n", strerror(errno));
        return status_setup_failed;
    }
    if (child == 0) {
        dup2(output, 1);
        dup2(output, 2);
        char* environment[] = {"PATH=/bin:/sbin", "HOME=/", NULL};
        execve(argv[0], argv, environment);
        say("linux-guest: exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR)
            return status_setup_failed;
    }
    /* Reap any orphans the command left: PID 1 inherits them. */
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

static int run_commands(void)
{
    size_t size = 0;
    char* commands = read_file("/etc/tessera/commands", &size);
    if (!commands)
        return 0;
    int index = 0, result = 0;
    for (size_t at = 0; at < size && result == 0; ++index) {
        char* argv[max_arguments + 1];
        int count = 0;
        while (at < size && commands[at] != '\0') {
            if (count == max_arguments) {
                say("linux-guest: command %d has more than %d arguments\n", index, max_arguments);
                free(commands);
                return status_setup_failed;
            }
            argv[count++] = commands + at;
            at += strlen(commands + at) + 1;
        }
        ++at; /* the empty string that ends the command */
        if (count == 0)
            continue;
        argv[count] = NULL;
        result = run_command(argv);
        say("LINUX-GUEST-EXIT index=%d status=%d\n", index, result);
    }
    free(commands);
    return result;
}

int main(void)
{
    /* The first thing PID 1 does: the boot's end for the boot benchmarks (bench/vmm), in TSC
     * ticks (instructions under -icount shift=0); only musl's start-up code runs before it. */
    const unsigned long long init_tsc = __builtin_ia32_rdtsc();
    mount_or_say("devtmpfs", "/dev", "devtmpfs");
    mount_or_say("proc", "/proc", "proc");
    /* The time the CPU has halted since boot (guest_bench.c), so that a boot figure can leave
     * out the halted time that -icount's sleep lets pass at real time. */
    const unsigned long long init_idle_ns = guest_bench_idle_ns();
    mount_or_say("sysfs", "/sys", "sysfs");
    mount_or_say("tmpfs", "/tmp", "tmpfs");
    open_output();

    size_t size = 0;
    char* disks_text = read_file("/etc/tessera/disks", &size);
    int disks = disks_text ? atoi(disks_text) : 0;
    free(disks_text);

    struct utsname name;
    uname(&name);
    int modules = 0;
    int status = load_modules(&modules) == 0 && wait_for_disks(disks) == 0 ? 0 : status_setup_failed;
    say("LINUX-GUEST-BEGIN release=%s modules=%d disks=%d init_tsc=%llu init_idle_ns=%llu\n",
        name.release, modules, disks, init_tsc, init_idle_ns);
    if (status == 0)
        status = run_commands();
    say("LINUX-GUEST-END status=%d\n", status);
    sync();
    tcdrain(output);
    reboot(RB_POWER_OFF);
    return 0; /* not reached: the kernel panics if PID 1 returns */
}

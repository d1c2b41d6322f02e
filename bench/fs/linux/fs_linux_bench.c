/* The file-system benchmarks of bench/fs/fs_bench_client.cc, run by Linux's ext2 (ext4's ext2
 * mode) in the Linux guest on the same volume, in the same units (bench/linux/guest: under icount
 * one guest nanosecond is one instruction; time the CPU sat halted waiting for the disk is taken
 * out). Each operation is timed whole, once per loop, as Tessera's client does:
 *   fs.write_1mib       1 MiB written in 64 KiB calls into a file truncated first, then fsync
 *                       (Tessera's service has the data on its device before it replies)
 *   fs.read_1mib_cold   the file read in 64 KiB calls after sync and drop_caches (not timed)
 *   fs.read_1mib_warm   the same again, from the page cache
 *   fs.create_1000      1000 empty files created (open O_CREAT|O_EXCL, close) in one directory
 *   fs.unlink_1000      and removed
 * Usage: fs_linux_bench DEVICE [--loops K]. Mounts DEVICE as ext2 on /mnt. Prints one
 * LINUX-BENCH line per benchmark and LINUX-BENCH-END; exits 1 on a failure. */
#define _GNU_SOURCE
#include "guest_bench.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB (1u << 20)
#define CHUNK (64u * 1024)
#define FILES 1000
#define MAX_LOOPS 64

static char buffer[CHUNK];

static int fail(const char* what)
{
    printf("LINUX-BENCH-FAILED name=fs error=%s:%s\n", what, strerror(errno));
    return 1;
}

static int write_file(const char* path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    for (unsigned done = 0; done < MIB; done += CHUNK)
        if (write(fd, buffer, CHUNK) != CHUNK)
            return -1;
    if (fsync(fd) != 0)
        return -1;
    return close(fd);
}

static int read_file(const char* path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    for (unsigned done = 0; done < MIB; done += CHUNK)
        if (read(fd, buffer, CHUNK) != CHUNK)
            return -1;
    return close(fd);
}

static int drop_caches(void)
{
    sync();
    int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
    if (fd < 0)
        return -1;
    int ok = write(fd, "3\n", 2) == 2;
    close(fd);
    return ok ? 0 : -1;
}

struct figures {
    double per_loop[MAX_LOOPS];
    uint64_t idle_ns;
};

static void record(struct figures* figures, unsigned loop, const struct guest_bench_span* span)
{
    uint64_t idle = 0;
    figures->per_loop[loop] = (double)guest_bench_span_busy_ns(span, &idle);
    figures->idle_ns += idle;
}

int main(int argc, char** argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fs_linux_bench DEVICE [--loops K]\n");
        return 2;
    }
    unsigned loops = 11;
    if (argc >= 4 && strcmp(argv[2], "--loops") == 0)
        loops = (unsigned)strtoul(argv[3], NULL, 10);
    if (loops == 0 || loops > MAX_LOOPS)
        loops = 11;
    memset(buffer, 0x5a, sizeof buffer);
    mkdir("/mnt", 0755);
    if (mount(argv[1], "/mnt", "ext2", 0, NULL) != 0)
        return fail("mount");
    if (write_file("/mnt/file") != 0) /* the first write allocates; the timed ones overwrite */
        return fail("write");
    if (mkdir("/mnt/many", 0755) != 0 && errno != EEXIST)
        return fail("mkdir");

    static struct figures write_, cold, warm, create, unlink_;
    struct guest_bench_span span;
    char path[64];
    for (unsigned loop = 0; loop < loops; ++loop) {
        guest_bench_span_start(&span);
        if (write_file("/mnt/file") != 0)
            return fail("write");
        record(&write_, loop, &span);

        if (drop_caches() != 0)
            return fail("drop_caches");
        guest_bench_span_start(&span);
        if (read_file("/mnt/file") != 0)
            return fail("read cold");
        record(&cold, loop, &span);

        guest_bench_span_start(&span);
        if (read_file("/mnt/file") != 0)
            return fail("read warm");
        record(&warm, loop, &span);

        guest_bench_span_start(&span);
        for (unsigned f = 0; f < FILES; ++f) {
            snprintf(path, sizeof path, "/mnt/many/file%04u", f);
            int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
            if (fd < 0 || close(fd) != 0)
                return fail("create");
        }
        record(&create, loop, &span);

        guest_bench_span_start(&span);
        for (unsigned f = 0; f < FILES; ++f) {
            snprintf(path, sizeof path, "/mnt/many/file%04u", f);
            if (unlink(path) != 0)
                return fail("unlink");
        }
        record(&unlink_, loop, &span);
    }
    guest_bench_print("fs.write_1mib", "ns", write_.per_loop, loops, 1, write_.idle_ns);
    guest_bench_print("fs.read_1mib_cold", "ns", cold.per_loop, loops, 1, cold.idle_ns);
    guest_bench_print("fs.read_1mib_warm", "ns", warm.per_loop, loops, 1, warm.idle_ns);
    guest_bench_print("fs.create_1000", "ns", create.per_loop, loops, 1, create.idle_ns);
    guest_bench_print("fs.unlink_1000", "ns", unlink_.per_loop, loops, 1, unlink_.idle_ns);
    if (umount("/mnt") != 0)
        return fail("umount");
    printf("LINUX-BENCH-END results=%d failed=0\n", guest_bench_lines_printed());
    return 0;
}

/* Runs inside the Linux guest for tests/host/bench/linux_guest_boot.py: proves what the harness
 * promises its callers, one sub-command per promise, each printing "selftest <name> ok" or
 * failing with a non-zero status.
 *
 *   ext2 FILE      mounts /dev/vda (ext2, through the ext4 module) read-only on /mnt, prints FILE
 *   write-raw      writes a known 4 KiB pattern at byte 4096 of /dev/vdb with O_DIRECT
 *   idle           sleeps 50 ms inside a span: the idle time must be found and taken out
 *   exit N         exits with status N (the harness must stop there and report N) */
#define _GNU_SOURCE
#include "guest_bench.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

static int fail(const char* what)
{
    perror(what);
    return 1;
}

static int show_ext2_file(const char* name)
{
    if (mount("/dev/vda", "/mnt", "ext2", MS_RDONLY, NULL) != 0)
        return fail("mount /dev/vda as ext2");
    char path[256], text[256];
    snprintf(path, sizeof path, "/mnt/%s", name);
    FILE* file = fopen(path, "r");
    if (!file)
        return fail(path);
    size_t length = fread(text, 1, sizeof text - 1, file);
    text[length] = '\0';
    fclose(file);
    printf("selftest ext2 content=%s", text);
    umount("/mnt");
    printf("selftest ext2 ok\n");
    return 0;
}

static int write_raw(void)
{
    static char block[4096] __attribute__((aligned(4096)));
    for (size_t i = 0; i < sizeof block; ++i)
        block[i] = (char)('A' + i % 26);
    int disk = open("/dev/vdb", O_WRONLY | O_DIRECT);
    if (disk < 0)
        return fail("open /dev/vdb");
    if (pwrite(disk, block, sizeof block, 4096) != (ssize_t)sizeof block)
        return fail("pwrite /dev/vdb");
    if (fsync(disk) != 0)
        return fail("fsync /dev/vdb");
    close(disk);
    printf("selftest write-raw ok\n");
    return 0;
}

static int idle_is_taken_out(void)
{
    struct guest_bench_span span;
    uint64_t idle = 0;
    uint64_t start = guest_bench_monotonic_ns();
    guest_bench_span_start(&span);
    struct timespec pause = {0, 50 * 1000000L};
    nanosleep(&pause, NULL);
    uint64_t busy = guest_bench_span_busy_ns(&span, &idle);
    uint64_t elapsed = guest_bench_monotonic_ns() - start;
    printf("selftest idle elapsed_ns=%llu idle_ns=%llu busy_ns=%llu\n",
           (unsigned long long)elapsed, (unsigned long long)idle, (unsigned long long)busy);
    /* The 50 ms were spent halted; what remains busy is the sleep's system calls and the
     * timer interrupt, far below a millisecond. */
    if (idle < 45 * 1000000ull || busy > 5 * 1000000ull) {
        printf("selftest idle: the halted time was not found\n");
        return 1;
    }
    printf("selftest idle ok\n");
    return 0;
}

int main(int argc, char** argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 3 && strcmp(argv[1], "ext2") == 0)
        return show_ext2_file(argv[2]);
    if (argc == 2 && strcmp(argv[1], "write-raw") == 0)
        return write_raw();
    if (argc == 2 && strcmp(argv[1], "idle") == 0)
        return idle_is_taken_out();
    if (argc == 3 && strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);
    fprintf(stderr, "usage: selftest ext2 FILE | write-raw | idle | exit N\n");
    return 2;
}

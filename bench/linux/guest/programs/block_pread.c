/* Linux's block path in the units of Tessera's block benchmarks (bench/block): O_DIRECT preads of
 * a whole virtio-blk disk, /dev/vda, so that the page cache stays out as Tessera's block path has
 * none. Each loop's time is taken with guest_bench's span (idle time inside it, the CPU halted
 * waiting for the disk, taken out) and divided by the KiB it read:
 *
 *   pread_4k_random_direct_per_kib  4 KiB at pseudo-random 4 KiB-aligned offsets (the same
 *                                   generator as bench/block's client), one at a time
 *   pread_1mib_seq_direct_per_kib   1 MiB at a time in disk order, wrapping at the end
 *
 * Usage: block_pread [--iterations N] [--loops K] [--warmup W] [--only NAME]...
 * N is the 4 KiB reads of a loop; a sequential loop makes N / 16 reads of 1 MiB (at least 16),
 * so that reading the idle time (a few hundred thousand instructions) weighs little in either.
 * Prints LINUX-BENCH lines and LINUX-BENCH-END. */
#define _GNU_SOURCE
#include "guest_bench.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK 4096u
#define MIB (1u << 20)
#define MAX_LOOPS 64u

struct disk {
    int fd;
    uint64_t blocks;
    uint64_t random;
    uint64_t next;
    unsigned char *buffer; /* MIB bytes, aligned for O_DIRECT */
};

static int random_reads(struct disk *disk, unsigned long reads)
{
    for (unsigned long i = 0; i < reads; ++i) {
        disk->random = disk->random * 6364136223846793005u + 1442695040888963407u;
        const uint64_t block = (disk->random >> 16) % disk->blocks;
        if (pread(disk->fd, disk->buffer, BLOCK, (off_t)(block * BLOCK)) != (ssize_t)BLOCK)
            return errno ? errno : EIO;
    }
    return 0;
}

static int sequential_reads(struct disk *disk, unsigned long reads)
{
    for (unsigned long i = 0; i < reads; ++i) {
        if ((disk->next + MIB / BLOCK) > disk->blocks)
            disk->next = 0;
        if (pread(disk->fd, disk->buffer, MIB, (off_t)(disk->next * BLOCK)) != (ssize_t)MIB)
            return errno ? errno : EIO;
        disk->next += MIB / BLOCK;
    }
    return 0;
}

static int measure(const char *name, struct disk *disk, int (*body)(struct disk *, unsigned long),
                   unsigned long kib_per_read, const struct guest_bench_plan *given)
{
    if (!guest_bench_selected(name))
        return 0;
    struct guest_bench_plan reads = *given;
    if (kib_per_read > BLOCK / 1024) {
        reads.iterations = given->iterations / 16 < 16 ? 16 : given->iterations / 16;
        reads.warmup = given->warmup / 16 < 1 ? 1 : given->warmup / 16;
    }
    const struct guest_bench_plan *plan = &reads;
    int error = body(disk, plan->warmup);
    double per_loop[MAX_LOOPS];
    const unsigned loops = plan->loops < MAX_LOOPS ? plan->loops : MAX_LOOPS;
    uint64_t idle_total = 0;
    for (unsigned loop = 0; !error && loop < loops; ++loop) {
        struct guest_bench_span span;
        uint64_t idle = 0;
        guest_bench_span_start(&span);
        error = body(disk, plan->iterations);
        const uint64_t busy = guest_bench_span_busy_ns(&span, &idle);
        idle_total += idle;
        per_loop[loop] = (double)busy / (double)(plan->iterations * kib_per_read);
    }
    if (error) {
        printf("LINUX-BENCH-FAILED name=%s error=%s\n", name, strerror(error));
        return error;
    }
    guest_bench_print(name, "ns", per_loop, loops, plan->iterations, idle_total);
    return 0;
}

int main(int argc, char **argv)
{
    struct guest_bench_plan plan = guest_bench_parse_arguments(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *device = "/dev/vda"; /* the harness's first disk */
    struct disk disk = {.fd = open(device, O_RDONLY | O_DIRECT), .random = 0x9e3779b97f4a7c15u};
    /* A block device's end is its size (musl has no <linux/fs.h> for BLKGETSIZE64). */
    const off_t end = disk.fd < 0 ? -1 : lseek(disk.fd, 0, SEEK_END);
    const uint64_t bytes = end < 0 ? 0 : (uint64_t)end;
    if (disk.fd < 0 || bytes < 2 * MIB ||
        posix_memalign((void **)&disk.buffer, BLOCK, MIB) != 0) {
        printf("LINUX-BENCH-FAILED name=block_pread error=%s: %s\n", device, strerror(errno ? errno : EINVAL));
        printf("LINUX-BENCH-END results=0 failed=1\n");
        return 1;
    }
    disk.blocks = bytes / BLOCK;
    int failed = 0, results = 0;
    if (measure("pread_4k_random_direct_per_kib", &disk, random_reads, BLOCK / 1024, &plan))
        ++failed;
    else
        ++results;
    if (measure("pread_1mib_seq_direct_per_kib", &disk, sequential_reads, MIB / 1024, &plan))
        ++failed;
    else
        ++results;
    printf("LINUX-BENCH-END results=%d failed=%d\n", results, failed);
    return failed ? 1 : 0;
}

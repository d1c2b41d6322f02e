/* Linux's system-call and IPC primitives, measured inside the Linux guest in the units of
 * Tessera's in-system suite (bench/linux/guest/lib/guest_bench.h: under icount, instructions).
 * The names are the host baseline's (bench/linux), so bench/report.py pairs them with Tessera's
 * figures the same way. One CPU: both ends of every ping-pong share it, as on Tessera, so every
 * round trip includes two context switches.
 *
 *   null_syscall           syscall(SYS_getppid): one kernel entry and exit
 *   pipe_roundtrip         1 byte to a forked child through one pipe, 1 byte back through another
 *   futex_roundtrip        two threads, one futex word: store + FUTEX_WAKE, FUTEX_WAIT for the reply
 *   unix_socket_roundtrip  as pipe_roundtrip over one AF_UNIX SOCK_STREAM socketpair
 *   eventfd_roundtrip      an 8-byte eventfd write waking a child blocked in read; the same back
 *   mmap_munmap_4k         mmap of 4 KiB anonymous memory, one write (the fault allocates, zeroes
 *                          and maps a page), munmap
 *
 * Usage: linux_primitives [--iterations N] [--loops K] [--warmup W] [--only NAME]...
 * Prints LINUX-BENCH-CLOCK source=<clocksource> tsc_per_ns=<x>, one LINUX-BENCH line per
 * benchmark and LINUX-BENCH-END results=<n> failed=<n>; exits 1 if any benchmark failed.
 * tsc_per_ns checks the unit: TSC ticks over CLOCK_MONOTONIC nanoseconds across a busy loop of
 * about ten million instructions. Under icount the TSC counts instructions, so a value of 1.0000
 * says that a guest nanosecond is an instruction, whichever clocksource the kernel chose. */
#define _GNU_SOURCE
#include "guest_bench.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int null_syscall(void* context, unsigned long iterations)
{
    (void)context;
    for (unsigned long i = 0; i < iterations; ++i)
        syscall(SYS_getppid);
    return 0;
}

static int mmap_munmap_4k(void* context, unsigned long iterations)
{
    (void)context;
    for (unsigned long i = 0; i < iterations; ++i) {
        volatile char* page =
            mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED)
            return errno;
        page[0] = 1;
        if (munmap((void*)page, 4096) != 0)
            return errno;
    }
    return 0;
}

/* --- two processes passing a token: pipe, UNIX socket, eventfd --- */

struct ping_pong {
    int send;          /* the parent writes here ... */
    int receive;       /* ... and reads the reply here */
    size_t token_size; /* 1 byte for streams, 8 for an eventfd */
    pid_t child;
};

static int transfer(int descriptor, size_t size, int sending)
{
    uint64_t token = 1; /* eventfd adds 1; a stream sends the low byte */
    for (;;) {
        ssize_t done = sending ? write(descriptor, &token, size) : read(descriptor, &token, size);
        if (done == (ssize_t)size)
            return 0;
        if (done < 0 && errno == EINTR)
            continue;
        return done == 0 ? EPIPE : errno ? errno : EIO;
    }
}

static int ping_pong_body(void* context, unsigned long iterations)
{
    struct ping_pong* pair = context;
    for (unsigned long i = 0; i < iterations; ++i) {
        int error = transfer(pair->send, pair->token_size, 1);
        if (!error)
            error = transfer(pair->receive, pair->token_size, 0);
        if (error)
            return error;
    }
    return 0;
}

/* The child answers every token until its side fails (end of file, or killed at the end). */
static int ping_pong_start(struct ping_pong* pair, int child_receive, int child_send,
                           const int* parent_only, int parent_only_count)
{
    pair->child = fork();
    if (pair->child < 0)
        return errno;
    if (pair->child == 0) {
        for (int i = 0; i < parent_only_count; ++i)
            close(parent_only[i]);
        while (transfer(child_receive, pair->token_size, 0) == 0 &&
               transfer(child_send, pair->token_size, 1) == 0) {
        }
        _exit(0);
    }
    return 0;
}

static void ping_pong_stop(struct ping_pong* pair, const int* descriptors, int count)
{
    kill(pair->child, SIGKILL);
    waitpid(pair->child, NULL, 0);
    for (int i = 0; i < count; ++i)
        close(descriptors[i]);
}

static int run_pipe(const struct guest_bench_plan* plan)
{
    int to_child[2], to_parent[2];
    if (pipe(to_child) != 0)
        return errno;
    if (pipe(to_parent) != 0)
        return errno;
    struct ping_pong pair = {to_child[1], to_parent[0], 1, 0};
    int parent_only[] = {to_child[1], to_parent[0]};
    int error = ping_pong_start(&pair, to_child[0], to_parent[1], parent_only, 2);
    if (!error)
        error = guest_bench_run("pipe_roundtrip", ping_pong_body, &pair, plan);
    int all[] = {to_child[0], to_child[1], to_parent[0], to_parent[1]};
    ping_pong_stop(&pair, all, 4);
    return error;
}

static int run_unix_socket(const struct guest_bench_plan* plan)
{
    int ends[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0)
        return errno;
    struct ping_pong pair = {ends[0], ends[0], 1, 0};
    int parent_only[] = {ends[0]};
    int error = ping_pong_start(&pair, ends[1], ends[1], parent_only, 1);
    if (!error)
        error = guest_bench_run("unix_socket_roundtrip", ping_pong_body, &pair, plan);
    ping_pong_stop(&pair, ends, 2);
    return error;
}

static int run_eventfd(const struct guest_bench_plan* plan)
{
    int to_child = eventfd(0, 0), to_parent = eventfd(0, 0);
    if (to_child < 0 || to_parent < 0)
        return errno;
    struct ping_pong pair = {to_child, to_parent, 8, 0};
    int error = ping_pong_start(&pair, to_child, to_parent, NULL, 0);
    if (!error)
        error = guest_bench_run("eventfd_roundtrip", ping_pong_body, &pair, plan);
    int all[] = {to_child, to_parent};
    ping_pong_stop(&pair, all, 2);
    return error;
}

/* --- two threads and one futex word --- */

/* linux/futex.h's operations (musl ships no kernel headers): FUTEX_WAIT and FUTEX_WAKE with
 * FUTEX_PRIVATE_FLAG, the word being private to this process. */
enum { futex_wait_private = 0 | 128, futex_wake_private = 1 | 128 };
enum { main_turn = 0, partner_turn = 1, stop = 2 };
static _Atomic int futex_word;

static void futex_wait(int expected)
{
    syscall(SYS_futex, &futex_word, futex_wait_private, expected, NULL, NULL, 0);
}

static void futex_wake(void)
{
    syscall(SYS_futex, &futex_word, futex_wake_private, 1, NULL, NULL, 0);
}

static void* futex_partner(void* unused)
{
    (void)unused;
    for (;;) {
        int turn;
        while ((turn = atomic_load(&futex_word)) == main_turn)
            futex_wait(main_turn);
        if (turn == stop)
            return NULL;
        atomic_store(&futex_word, main_turn);
        futex_wake();
    }
}

static int futex_body(void* context, unsigned long iterations)
{
    (void)context;
    for (unsigned long i = 0; i < iterations; ++i) {
        atomic_store(&futex_word, partner_turn);
        futex_wake();
        while (atomic_load(&futex_word) == partner_turn)
            futex_wait(partner_turn);
    }
    return 0;
}

static int run_futex(const struct guest_bench_plan* plan)
{
    pthread_t partner;
    atomic_store(&futex_word, main_turn);
    int error = pthread_create(&partner, NULL, futex_partner, NULL);
    if (error)
        return error;
    error = guest_bench_run("futex_roundtrip", futex_body, NULL, plan);
    atomic_store(&futex_word, stop);
    futex_wake();
    pthread_join(partner, NULL);
    return error;
}

static int run_null_syscall(const struct guest_bench_plan* plan)
{
    return guest_bench_run("null_syscall", null_syscall, NULL, plan);
}

static int run_mmap_munmap(const struct guest_bench_plan* plan)
{
    return guest_bench_run("mmap_munmap_4k", mmap_munmap_4k, NULL, plan);
}

/* In the host baseline's order. A run function returns 0 or the errno value of the failure;
 * guest_bench_run has printed the failure of a loop, main prints that of a set-up. */
static const struct benchmark {
    const char* name;
    int (*run)(const struct guest_bench_plan* plan);
} benchmarks[] = {
    {"null_syscall", run_null_syscall},
    {"pipe_roundtrip", run_pipe},
    {"futex_roundtrip", run_futex},
    {"unix_socket_roundtrip", run_unix_socket},
    {"eventfd_roundtrip", run_eventfd},
    {"mmap_munmap_4k", run_mmap_munmap},
};

static uint64_t read_tsc(void)
{
    uint32_t low, high;
    __asm__ volatile("lfence; rdtsc; lfence" : "=a"(low), "=d"(high));
    return (uint64_t)high << 32 | low;
}

static double tsc_per_ns(void)
{
    uint64_t start_ns = guest_bench_monotonic_ns(), start_tsc = read_tsc();
    for (volatile unsigned long spin = 0; spin < 2000000; ++spin) {
    }
    uint64_t tsc = read_tsc() - start_tsc, ns = guest_bench_monotonic_ns() - start_ns;
    return ns ? (double)tsc / (double)ns : 0.0;
}

static void print_clock_source(void)
{
    char source[64] = "unknown";
    FILE* file = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
    if (file) {
        if (fscanf(file, "%63s", source) != 1)
            strcpy(source, "unknown");
        fclose(file);
    }
    printf("LINUX-BENCH-CLOCK source=%s tsc_per_ns=%.6f\n", source, tsc_per_ns());
}

int main(int argc, char** argv)
{
    struct guest_bench_plan plan = guest_bench_parse_arguments(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    print_clock_source();
    int results = 0, failed = 0;
    for (size_t i = 0; i < sizeof benchmarks / sizeof benchmarks[0]; ++i) {
        if (!guest_bench_selected(benchmarks[i].name))
            continue;
        int printed_before = guest_bench_lines_printed();
        int error = benchmarks[i].run(&plan);
        if (error && guest_bench_lines_printed() == printed_before)
            printf("LINUX-BENCH-FAILED name=%s error=%s\n", benchmarks[i].name, strerror(error));
        if (error)
            ++failed;
        else
            ++results;
    }
    printf("LINUX-BENCH-END results=%d failed=%d\n", results, failed);
    return failed ? 1 : 0;
}

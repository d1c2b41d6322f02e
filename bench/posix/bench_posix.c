/* The POSIX personality's benchmarks (issue 23), an unmodified musl-gcc -static program timed by
 * the TSC, which under `-icount shift=0` counts instructions: getppid's round trip, a one-byte
 * pipe round trip between two processes, fork + exit + wait, and execve of busybox true. Prints
 * BENCH lines (bench/bench_lines.py's format, docs/benchmarks.md). argv[1] scales the iteration
 * counts down (the smoke run under `make test`). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t ticks(void)
{
    uint32_t low, high;
    __asm__ volatile("lfence; rdtsc" : "=a"(low), "=d"(high));
    return ((uint64_t)high << 32) | low;
}

static int by_value(const void* a, const void* b)
{
    const uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
    return x < y ? -1 : x > y;
}

static void report(const char* name, uint64_t* samples, int n)
{
    qsort(samples, n, sizeof samples[0], by_value);
    printf("BENCH name=%s unit=ticks n=%d min=%llu median=%llu p90=%llu p99=%llu max=%llu\n", name,
           n, (unsigned long long)samples[0], (unsigned long long)samples[n / 2],
           (unsigned long long)samples[n * 9 / 10], (unsigned long long)samples[n * 99 / 100],
           (unsigned long long)samples[n - 1]);
}

static uint64_t samples[10000];

int main(int argc, char** argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const int scale = argc > 1 ? atoi(argv[1]) : 1;
    const int calls = 10000 / scale, trips = 2000 / scale, forks = 200 / scale, execs = 20 / scale;
    int results = 0;

    for (int i = 0; i < 100; i++)
        getppid();
    for (int i = 0; i < calls; i++) {
        const uint64_t start = ticks();
        getppid();
        samples[i] = ticks() - start;
    }
    report("posix.getppid", samples, calls);
    results++;

    int there[2], back[2];
    pipe(there);
    pipe(back);
    if (fork() == 0) {
        char byte;
        close(there[1]); /* or its own write end keeps the pipe open: no end of file */
        close(back[0]);
        while (read(there[0], &byte, 1) == 1)
            write(back[1], &byte, 1);
        _exit(0);
    }
    close(there[0]);
    close(back[1]);
    for (int i = 0; i < trips; i++) {
        char byte = 'x';
        const uint64_t start = ticks();
        write(there[1], &byte, 1);
        read(back[0], &byte, 1);
        samples[i] = ticks() - start;
    }
    close(there[1]);
    wait(NULL);
    report("posix.pipe_round_trip", samples, trips);
    results++;

    for (int i = 0; i < forks; i++) {
        const uint64_t start = ticks();
        if (fork() == 0)
            _exit(0);
        wait(NULL);
        samples[i] = ticks() - start;
    }
    report("posix.fork_exit_wait", samples, forks);
    results++;

    for (int i = 0; i < execs; i++) {
        const uint64_t start = ticks();
        if (fork() == 0) {
            char* args[] = {"true", NULL};
            execve("/bin/busybox", args, NULL);
            _exit(127);
        }
        wait(NULL);
        samples[i] = ticks() - start;
    }
    report("posix.fork_execve_busybox_true_wait", samples, execs);
    results++;
    printf("BENCH-END results=%d\n", results);
    return 0;
}

/* Loop timing for Linux-guest benchmarks (see guest_bench.h). */
#define _GNU_SOURCE
#include "guest_bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { max_loops = 1000, max_selected = 32 };

static const char* selected_names[max_selected];
static int selected_count;
static int lines_printed;

int guest_bench_lines_printed(void)
{
    return lines_printed;
}

uint64_t guest_bench_monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/* /proc/timer_list prints, per CPU, ".idle_sleeptime : <n> nsecs" and ".iowait_sleeptime : <n>
 * nsecs": the nohz idle time, kept in CLOCK_MONOTONIC nanoseconds from each idle entry to its
 * exit, and split between the two by whether a task of that CPU was waiting for I/O meanwhile
 * (kernel/time/tick-sched.c, update_ts_time_stats). A CPU halted while a read waits for the disk
 * is iowait, not idle: both are halted time, so both are summed. /proc/stat's columns are the same
 * times in 10 ms units, too coarse to subtract from a loop. */
uint64_t guest_bench_idle_ns(void)
{
    FILE* list = fopen("/proc/timer_list", "r");
    if (!list)
        return 0;
    char line[256];
    uint64_t total = 0;
    while (fgets(line, sizeof line, list)) {
        const char* field = strstr(line, ".idle_sleeptime");
        if (!field)
            field = strstr(line, ".iowait_sleeptime");
        const char* colon = field ? strchr(field, ':') : NULL;
        if (colon)
            total += strtoull(colon + 1, NULL, 10);
    }
    fclose(list);
    return total;
}

void guest_bench_span_start(struct guest_bench_span* span)
{
    span->start_idle_ns = guest_bench_idle_ns();
    span->start_ns = guest_bench_monotonic_ns();
}

uint64_t guest_bench_span_busy_ns(const struct guest_bench_span* span, uint64_t* idle_ns)
{
    uint64_t end = guest_bench_monotonic_ns();
    uint64_t idle = guest_bench_idle_ns() - span->start_idle_ns;
    uint64_t elapsed = end - span->start_ns;
    if (idle > elapsed)
        idle = elapsed;
    if (idle_ns)
        *idle_ns = idle;
    return elapsed - idle;
}

static int compare_doubles(const void* a, const void* b)
{
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

void guest_bench_print(const char* name, const char* unit, double* per_loop, unsigned loops,
                       unsigned long iterations, uint64_t idle_ns)
{
    qsort(per_loop, loops, sizeof *per_loop, compare_doubles);
    /* Nearest rank, as bench/stats does: the median of an even count is the lower middle. */
    double median = per_loop[(loops + 1) / 2 - 1];
    printf("LINUX-BENCH name=%s unit=%s iterations=%lu loops=%u min=%.1f median=%.1f max=%.1f "
           "idle_ns=%llu\n",
           name, unit, iterations, loops, per_loop[0], median, per_loop[loops - 1],
           (unsigned long long)idle_ns);
    fflush(stdout);
    ++lines_printed;
}

int guest_bench_run(const char* name, guest_bench_body body, void* context,
                    const struct guest_bench_plan* plan)
{
    static double per_loop[max_loops];
    int error = plan->warmup ? body(context, plan->warmup) : 0;
    uint64_t idle_total = 0;
    for (unsigned loop = 0; loop < plan->loops && error == 0; ++loop) {
        struct guest_bench_span span;
        uint64_t idle = 0;
        guest_bench_span_start(&span);
        error = body(context, plan->iterations);
        uint64_t busy = guest_bench_span_busy_ns(&span, &idle);
        idle_total += idle;
        per_loop[loop] = (double)busy / (double)plan->iterations;
    }
    if (error) {
        printf("LINUX-BENCH-FAILED name=%s error=%s\n", name, strerror(error));
        fflush(stdout);
        ++lines_printed;
        return error;
    }
    guest_bench_print(name, "ns", per_loop, plan->loops, plan->iterations, idle_total);
    return 0;
}

static unsigned long number_argument(const char* option, const char* text, unsigned long low,
                                     unsigned long high)
{
    char* end = NULL;
    errno = 0;
    unsigned long value = text ? strtoul(text, &end, 10) : 0;
    if (!text || *text == '\0' || *end != '\0' || errno || value < low || value > high) {
        fprintf(stderr, "%s needs a number from %lu to %lu\n", option, low, high);
        exit(2);
    }
    return value;
}

struct guest_bench_plan guest_bench_parse_arguments(int argc, char** argv)
{
    struct guest_bench_plan plan = {10000, 11, 1000};
    for (int i = 1; i < argc; ++i) {
        const char* value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--iterations") == 0)
            plan.iterations = number_argument(argv[i], value, 1, 1ul << 32);
        else if (strcmp(argv[i], "--loops") == 0)
            plan.loops = (unsigned)number_argument(argv[i], value, 1, max_loops);
        else if (strcmp(argv[i], "--warmup") == 0)
            plan.warmup = number_argument(argv[i], value, 0, 1ul << 32);
        else if (strcmp(argv[i], "--only") == 0 && value && selected_count < max_selected)
            selected_names[selected_count++] = value;
        else {
            fprintf(stderr, "unknown argument %s (--iterations N --loops K --warmup W --only NAME)\n",
                    argv[i]);
            exit(2);
        }
        ++i;
    }
    return plan;
}

int guest_bench_selected(const char* name)
{
    if (selected_count == 0)
        return 1;
    for (int i = 0; i < selected_count; ++i) {
        if (strcmp(selected_names[i], name) == 0)
            return 1;
    }
    return 0;
}

#define _GNU_SOURCE
/* Sleeping and timeouts against Linux (issue 23's corpus): nanosleep and clock_nanosleep
 * (relative, absolute on the monotonic and realtime clocks) sleep at least what they are asked
 * and not grossly more; poll, ppoll, select and pselect time out on an empty pipe after their
 * timeout, return 0 and (select, ppoll, pselect) write back what is left; a timeout does not
 * delay a call whose descriptor gets ready first (a child writes); and the errors for bad
 * timespecs, clocks and pointers. Elapsed times are printed as comparisons, never as numbers. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* An upper bound far above any sane wake-up latency, for loaded CI machines. */
#define SLACK_MS 1500

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static long long now_ms(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Whether `elapsed` milliseconds are at least `wanted` and under `wanted` + SLACK_MS. */
static void took(const char* what, long long elapsed, long long wanted)
{
    printf("%s: at least %lld ms: %d, not much more: %d\n", what, wanted, elapsed >= wanted,
           elapsed < wanted + SLACK_MS);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    long long start = now_ms(CLOCK_MONOTONIC);
    struct timespec ask = {0, 150 * 1000000}, left = {9, 9};
    result("nanosleep 150 ms", nanosleep(&ask, &left));
    took("nanosleep", now_ms(CLOCK_MONOTONIC) - start, 150);

    start = now_ms(CLOCK_MONOTONIC);
    ask = (struct timespec){1, 0};
    result("clock_nanosleep 1 s", clock_nanosleep(CLOCK_MONOTONIC, 0, &ask, NULL));
    took("clock_nanosleep relative", now_ms(CLOCK_MONOTONIC) - start, 1000);

    struct timespec when;
    clock_gettime(CLOCK_MONOTONIC, &when);
    start = when.tv_sec * 1000LL + when.tv_nsec / 1000000;
    when.tv_nsec += 200 * 1000000;
    if (when.tv_nsec >= 1000000000) {
        when.tv_nsec -= 1000000000;
        when.tv_sec += 1;
    }
    result("clock_nanosleep absolute monotonic",
           clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &when, NULL));
    took("absolute monotonic", now_ms(CLOCK_MONOTONIC) - start, 199);

    clock_gettime(CLOCK_REALTIME, &when);
    when.tv_sec -= 5;
    start = now_ms(CLOCK_MONOTONIC);
    result("clock_nanosleep absolute in the past",
           clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &when, NULL));
    took("past deadline", now_ms(CLOCK_MONOTONIC) - start, 0);
    ask = (struct timespec){0, 0};
    result("nanosleep zero", nanosleep(&ask, NULL));

    /* The errors: the C library returns clock_nanosleep's error instead of setting errno. */
    ask = (struct timespec){0, 1000000000};
    result("nanosleep 1e9 ns", nanosleep(&ask, NULL));
    ask = (struct timespec){-1, 0};
    result("nanosleep negative", nanosleep(&ask, NULL));
    result("nanosleep bad pointer", syscall(SYS_nanosleep, (void*)16, NULL));
    ask = (struct timespec){0, 1000};
    printf("clock_nanosleep thread cpu: %d\n", clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &ask, NULL));
    printf("clock_nanosleep bad clock: %d\n", clock_nanosleep(99, 0, &ask, NULL));

    /* Timeouts on an empty pipe. */
    int p[2];
    result("pipe", pipe(p));
    struct pollfd entry = {p[0], POLLIN, 0};
    start = now_ms(CLOCK_MONOTONIC);
    result("poll 300 ms", poll(&entry, 1, 300));
    took("poll", now_ms(CLOCK_MONOTONIC) - start, 300);
    printf("  revents %#x\n", (unsigned)entry.revents);

    struct timespec limit = {0, 250 * 1000000};
    start = now_ms(CLOCK_MONOTONIC);
    result("ppoll 250 ms", ppoll(&entry, 1, &limit, NULL));
    took("ppoll", now_ms(CLOCK_MONOTONIC) - start, 250);
    printf("  left %ld s %ld ns\n", (long)limit.tv_sec, limit.tv_nsec);

    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(p[0], &readable);
    struct timeval tv = {0, 200000};
    start = now_ms(CLOCK_MONOTONIC);
    result("select 200 ms", select(p[0] + 1, &readable, NULL, NULL, &tv));
    took("select", now_ms(CLOCK_MONOTONIC) - start, 200);
    printf("  left %ld s %ld us, still set: %d\n", (long)tv.tv_sec, (long)tv.tv_usec,
           FD_ISSET(p[0], &readable));

    FD_SET(p[0], &readable);
    limit = (struct timespec){0, 100 * 1000000};
    start = now_ms(CLOCK_MONOTONIC);
    result("pselect 100 ms", pselect(p[0] + 1, &readable, NULL, NULL, &limit, NULL));
    took("pselect", now_ms(CLOCK_MONOTONIC) - start, 100);

    /* A child writes after 200 ms: a poll with a 10 s timeout wakes for the data, not the time;
     * a select's timeout keeps what was left. */
    pid_t child = fork();
    if (child == 0) {
        struct timespec pause = {0, 200 * 1000000};
        nanosleep(&pause, NULL);
        write(p[1], "x", 1);
        _exit(0);
    }
    start = now_ms(CLOCK_MONOTONIC);
    result("poll 10 s woken by a write", poll(&entry, 1, 10000));
    took("woken poll", now_ms(CLOCK_MONOTONIC) - start, 200);
    printf("  revents %#x\n", (unsigned)entry.revents);
    FD_SET(p[0], &readable);
    tv = (struct timeval){10, 0};
    result("select with data", select(p[0] + 1, &readable, NULL, NULL, &tv));
    printf("  most of 10 s left: %d\n", tv.tv_sec >= 8);
    int status = 0;
    printf("wait: %d, status %#x\n", waitpid(child, &status, 0) == child, status);

    tv = (struct timeval){0, -1};
    result("select negative", select(1, NULL, NULL, NULL, &tv));
    limit = (struct timespec){0, 1000000000};
    result("ppoll 1e9 ns", ppoll(&entry, 1, &limit, NULL));
    return 0;
}

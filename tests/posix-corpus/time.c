/* The clocks against Linux (issue 23's corpus): the monotonic clock never goes back and moves,
 * the realtime clock, gettimeofday and time agree with each other and with a plausible date,
 * the CPU-time clocks are small, the resolutions, and the errors for a bad clock id and a bad
 * pointer (through syscall(): the C library's vDSO path would fault instead). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static long long nanoseconds(const struct timespec* t)
{
    return t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct timespec first, second, now, res;
    result("monotonic", clock_gettime(CLOCK_MONOTONIC, &first));
    volatile unsigned long spin = 0;
    do {
        for (int i = 0; i < 100000; ++i)
            spin += (unsigned long)i;
        clock_gettime(CLOCK_MONOTONIC, &second);
    } while (nanoseconds(&second) - nanoseconds(&first) < 2000000);
    printf("monotonic moved 2 ms and not back: %d\n", nanoseconds(&second) > nanoseconds(&first));
    printf("nanoseconds below a second: %d\n", second.tv_nsec >= 0 && second.tv_nsec < 1000000000);
    result("realtime", clock_gettime(CLOCK_REALTIME, &now));
    printf("after 2025: %d\n", now.tv_sec > 1735689600);
    struct timeval tv;
    result("gettimeofday", gettimeofday(&tv, NULL));
    printf("gettimeofday within 2 s: %d\n", tv.tv_sec - now.tv_sec >= 0 && tv.tv_sec - now.tv_sec < 2);
    printf("microseconds below a second: %d\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    time_t seconds = 0;
    time_t returned = time(&seconds);
    printf("time within 2 s: %d, stored: %d\n", returned - now.tv_sec >= 0 && returned - now.tv_sec < 2,
           seconds == returned);
    const clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME};
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; ++i) {
        result("getres", clock_getres(clocks[i], &res));
        printf("  %ld s %ld ns\n", (long)res.tv_sec, res.tv_nsec);
    }
    result("getres null", clock_getres(CLOCK_MONOTONIC, NULL));
    result("process cpu", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now));
    printf("under a minute: %d\n", now.tv_sec < 60);
    result("bad clock", syscall(SYS_clock_gettime, 99, &now));
    result("bad pointer", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void*)16));
    result("gettimeofday bad pointer", syscall(SYS_gettimeofday, (void*)16, NULL));
    return 0;
}

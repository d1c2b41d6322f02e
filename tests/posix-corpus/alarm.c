#define _GNU_SOURCE
/* alarm and the real-time interval timer against Linux (issue 23's corpus): SIGALRM to a handler
 * interrupting pause, alarm's return of what was left, cancelling, a periodic setitimer counted
 * over a few periods, getitimer, the errors, and an unhandled SIGALRM ending a child (142). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int signal)
{
    (void)signal;
    ++alarms;
}

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGALRM, on_alarm);
    result("alarm 1", alarm(1));
    long long start = now_ms();
    result("pause", pause());
    long long took = now_ms() - start;
    printf("alarms %d, after about a second: %d\n", (int)alarms, took >= 900 && took < 2500);

    result("alarm 10", alarm(10));
    result("alarm 0 returns what was left", alarm(0));
    result("alarm 0 again", alarm(0));

    struct itimerval every = {{0, 100000}, {0, 100000}}, old;
    result("setitimer 100 ms periodic", setitimer(ITIMER_REAL, &every, NULL));
    alarms = 0;
    while (alarms < 3)
        pause();
    printf("three periods: %d\n", (int)alarms);
    result("getitimer", getitimer(ITIMER_REAL, &old));
    printf("  interval %ld us, value under 100 ms: %d\n", (long)old.it_interval.tv_usec,
           old.it_value.tv_sec == 0 && old.it_value.tv_usec <= 100000);
    struct itimerval off = {{0, 0}, {0, 0}};
    result("setitimer off", setitimer(ITIMER_REAL, &off, &old));
    printf("  old interval %ld us\n", (long)old.it_interval.tv_usec);
    result("getitimer after", getitimer(ITIMER_REAL, &old));
    printf("  off: %d\n", old.it_value.tv_sec == 0 && old.it_value.tv_usec == 0);

    struct itimerval bad = {{0, 0}, {0, 1000000}};
    result("setitimer 1e6 us", setitimer(ITIMER_REAL, &bad, NULL));
    result("setitimer which 7", setitimer(7, &every, NULL));

    pid_t child = fork();
    if (child == 0) {
        signal(SIGALRM, SIG_DFL);
        alarm(1);
        for (;;)
            pause();
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("child killed by %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    return 0;
}

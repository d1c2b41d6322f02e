/* futex(2) against Linux (issue 23's corpus, musl-gcc -static): FUTEX_WAIT's EAGAIN on a value
 * that differs, its timeout (ETIMEDOUT, not early), EFAULT and EINVAL, a wake with nobody
 * waiting, a child waiting on a MAP_SHARED word woken by its parent (shared futexes meet across
 * fork, private ones do not), FUTEX_WAIT_BITSET with an absolute time and a bitset of 0,
 * FUTEX_CMP_REQUEUE's EAGAIN, EINTR by a handled signal, an unknown command. Prints what it
 * sees; the test compares it with the same binary's on the host. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Linux's futex commands (include/uapi/linux/futex.h; musl-gcc has no kernel headers). */
enum {
    FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4,
    FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10, FUTEX_PRIVATE_FLAG = 128,
    FUTEX_CLOCK_REALTIME = 256,
    FUTEX_WAIT_PRIVATE = FUTEX_WAIT | FUTEX_PRIVATE_FLAG,
    FUTEX_WAKE_PRIVATE = FUTEX_WAKE | FUTEX_PRIVATE_FLAG,
};

static long futex(void* word, int op, uint32_t value, const struct timespec* timeout,
                  void* second, uint32_t third)
{
    return syscall(SYS_futex, word, op, value, timeout, second, third);
}

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static void on_alarm(int signal)
{
    (void)signal;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static uint32_t word = 7;
    result("wait on another value", futex(&word, FUTEX_WAIT, 8, NULL, NULL, 0));
    result("wait private on another value", futex(&word, FUTEX_WAIT_PRIVATE, 8, NULL, NULL, 0));
    struct timespec short_time = {0, 150 * 1000000};
    struct timespec before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    result("wait with a timeout", futex(&word, FUTEX_WAIT_PRIVATE, 7, &short_time, NULL, 0));
    clock_gettime(CLOCK_MONOTONIC, &after);
    long long waited = (after.tv_sec - before.tv_sec) * 1000LL + (after.tv_nsec - before.tv_nsec) / 1000000;
    printf("waited at least 150 ms: %d, under 3 s: %d\n", waited >= 150, waited < 3000);
    struct timespec zero = {0, 0};
    result("wait with a zero timeout", futex(&word, FUTEX_WAIT, 7, &zero, NULL, 0));
    struct timespec bad = {0, 1000000000};
    result("wait with a bad timeout", futex(&word, FUTEX_WAIT, 7, &bad, NULL, 0));
    result("wait on NULL", futex(NULL, FUTEX_WAIT, 0, NULL, NULL, 0));
    result("wait misaligned", futex((char*)&word + 1, FUTEX_WAIT, 0, NULL, NULL, 0));
    result("wait with a bad timeout pointer", futex(&word, FUTEX_WAIT, 7, (void*)8, NULL, 0));
    result("wake nobody", futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0));
    result("wake misaligned", futex((char*)&word + 2, FUTEX_WAKE, 1, NULL, NULL, 0));
    result("wait bitset 0", futex(&word, FUTEX_WAIT_BITSET, 7, NULL, NULL, 0));
    result("wake bitset 0", futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0));
    struct timespec past;
    clock_gettime(CLOCK_MONOTONIC, &past);
    result("wait bitset until a past time", futex(&word, FUTEX_WAIT_BITSET, 7, &past, NULL, ~0u));
    struct timespec soon;
    clock_gettime(CLOCK_REALTIME, &soon);
    soon.tv_nsec += 100 * 1000000;
    if (soon.tv_nsec >= 1000000000) {
        soon.tv_sec += 1;
        soon.tv_nsec -= 1000000000;
    }
    result("wait bitset realtime until soon",
           futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 7, &soon, NULL, ~0u));
    result("wake with the realtime flag", futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
    static uint32_t other = 0;
    result("cmp_requeue on another value",
           futex(&word, FUTEX_CMP_REQUEUE, 1, (void*)1, &other, 8));
    result("cmp_requeue nobody", futex(&word, FUTEX_CMP_REQUEUE, 1, (void*)1, &other, 7));
    result("requeue negative", futex(&word, FUTEX_REQUEUE, -1, (void*)1, &other, 0));
    result("unknown command", futex(&word, 99, 0, NULL, NULL, 0));

    /* A child waits on a shared word; the parent wakes it once it is waiting. */
    uint32_t* shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    shared[0] = 0;
    pid_t child = fork();
    if (child == 0) {
        long r = futex(&shared[0], FUTEX_WAIT, 0, NULL, NULL, 0);
        printf("child woken: %ld, word %u\n", r, shared[0]);
        _exit(0);
    }
    long woke = 0;
    for (int i = 0; i < 500 && woke == 0; ++i) {
        usleep(10000);
        /* A private wake does not reach another process's shared wait. */
        if (futex(&shared[0], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) != 0)
            printf("a private wake reached the child\n");
        shared[0] = 1;
        woke = futex(&shared[0], FUTEX_WAKE, 1, NULL, NULL, 0);
        if (woke == 0)
            shared[0] = 0;
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("parent woke %ld, child status %d\n", woke, WEXITSTATUS(status));

    /* A handled signal ends a wait without a timeout: EINTR. */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    struct itimerval timer = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &timer, NULL);
    result("wait interrupted", futex(&word, FUTEX_WAIT, 7, NULL, NULL, 0));
    return 0;
}

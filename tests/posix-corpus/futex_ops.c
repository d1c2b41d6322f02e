/* futex(2)'s other commands against Linux (issue 23's corpus, musl-gcc -static): FUTEX_WAKE_OP
 * (every op, the shift flag, every comparison, unknown ones, EINVAL, EFAULT, waking on both
 * words), FUTEX_CMP_REQUEUE moving threads that a wake on the second word then wakes, and the PI
 * locks (TRYLOCK_PI, LOCK_PI, UNLOCK_PI: the owner's tid in the word, FUTEX_WAITERS, EDEADLK,
 * EPERM, ESRCH, ETIMEDOUT, a thread handed the lock, an owner exiting with it held; a musl
 * PTHREAD_PRIO_INHERIT mutex). Waiters are counted by a requeue onto their own word (Linux's
 * count of what it moved), so the output does not depend on timing. Prints what it sees; the test compares it with the host's run. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Linux's futex commands and FUTEX_OP() (include/uapi/linux/futex.h). */
enum {
    FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
    FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_PRIVATE_FLAG = 128,
    FUTEX_CLOCK_REALTIME = 256,
};
#define FUTEX_OP(op, oparg, cmp, cmparg) \
    ((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | (((oparg) & 0xfff) << 12) | ((cmparg) & 0xfff))
#define WAITERS 0x80000000u

static long futex(void* word, int op, uint32_t value, const void* timeout, void* second,
                  uint32_t third)
{
    return syscall(SYS_futex, word, op, value, timeout, second, third);
}

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static long tid(void)
{
    return syscall(SYS_gettid);
}

/* Waits until `count` threads wait on `word`: a requeue onto itself moves (and counts) them. */
static void await_waiters(uint32_t* word, long count)
{
    for (int i = 0; i < 3000; ++i) {
        if (futex(word, FUTEX_REQUEUE, 0, (void*)(long)INT_MAX, word, 0) >= count)
            return;
        usleep(2000);
    }
    printf("waiters never came\n");
}

static uint32_t first_word, second_word;
static volatile int woken_first, woken_second;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

/* A thread waiting on the word `argument` points to, counted in woken_first or woken_second. */
static void* wait_on(void* argument)
{
    uint32_t* word = argument;
    long r = futex(word, FUTEX_WAIT, 0, NULL, NULL, 0);
    pthread_mutex_lock(&count_lock);
    if (word == &first_word)
        woken_first += r == 0;
    else
        woken_second += r == 0;
    pthread_mutex_unlock(&count_lock);
    return NULL;
}

static void wake_op(const char* what, uint32_t before, int op, int oparg, int cmp, int cmparg)
{
    static uint32_t target;
    target = before;
    long r = futex(&first_word, FUTEX_WAKE_OP, 1, (void*)1L, &target, FUTEX_OP(op, oparg, cmp, cmparg));
    printf("%s: %ld%s%s, word %#x\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "",
           target);
}

static uint32_t pi_word;
static long pi_thread_tid;

static void* try_then_lock(void* unused)
{
    (void)unused;
    pi_thread_tid = tid();
    long r = futex(&pi_word, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0);
    printf("thread trylock on a held lock: %ld %s, waiters bit %d\n", r, strerror(errno),
           (pi_word & WAITERS) != 0);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now); /* an absolute time, passed by the time it is read */
    r = futex(&pi_word, FUTEX_LOCK_PI, 0, &now, NULL, 0);
    printf("thread lock with a timeout: %ld %s\n", r, strerror(errno));
    r = futex(&pi_word, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    printf("thread lock: %ld, owner is the thread %d\n", r, (long)(pi_word & 0x3fffffff) == tid());
    r = futex(&pi_word, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    printf("thread unlock: %ld, word %#x\n", r, pi_word);
    return NULL;
}

static volatile int alarms;

static void on_alarm(int signal)
{
    (void)signal;
    ++alarms;
}

/* Holds the PI word for 300 ms, the main thread waiting for it meanwhile. */
static void* hold_a_while(void* unused)
{
    (void)unused;
    long r = futex(&pi_word, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    pi_thread_tid = tid();
    usleep(300 * 1000);
    long u = futex(&pi_word, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    printf("holder lock %ld unlock %ld\n", r, u);
    return NULL;
}

/* Takes the PI word and exits holding it once the main thread waits (FUTEX_WAITERS is set). */
static void* exit_holding(void* unused)
{
    (void)unused;
    long r = futex(&pi_word, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    pi_thread_tid = tid();
    while (!(pi_word & WAITERS))
        usleep(1000);
    usleep(20 * 1000);
    printf("owner lock %ld, exits holding it\n", r);
    return NULL;
}

static pthread_mutex_t inheriting;
static int shared_count;

static void* contend(void* unused)
{
    (void)unused;
    for (int i = 0; i < 2000; ++i) {
        pthread_mutex_lock(&inheriting);
        int seen = shared_count;
        if (i % 100 == 0)
            sched_yield();
        shared_count = seen + 1;
        pthread_mutex_unlock(&inheriting);
    }
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);

    /* FUTEX_WAKE_OP with nobody waiting: the op on the second word, every comparison. */
    wake_op("set 5", 100, 0, 5, 0, 0);
    wake_op("add -1", 100, 1, -1, 0, 0);
    wake_op("or 0x30", 0xf, 2, 0x30, 0, 0);
    wake_op("andn 0xc", 0xf, 3, 0xc, 0, 0);
    wake_op("xor 0xff", 0xf, 4, 0xff, 0, 0);
    wake_op("set 1<<31 (shift flag)", 0, 8 | 0, 31, 0, 0);
    wake_op("or 1<<4 (shift flag)", 1, 8 | 2, 4, 0, 0);
    wake_op("unknown op 5", 7, 5, 1, 0, 0);
    wake_op("unknown comparison 6", 7, 0, 1, 6, 0);
    for (int cmp = 0; cmp < 6; ++cmp) {
        char what[40];
        snprintf(what, sizeof what, "comparison %d with -1", cmp);
        wake_op(what, 0xffffffff, 1, 0, cmp, -1);
    }
    result("wake_op misaligned", futex(&first_word, FUTEX_WAKE_OP, 1, (void*)1L,
                                       (char*)&second_word + 1, 0));
    result("wake_op on NULL", futex(&first_word, FUTEX_WAKE_OP, 1, (void*)1L, NULL, 0));
    result("wake_op on text", futex(&first_word, FUTEX_WAKE_OP, 1, (void*)1L, (void*)main, 0));

    /* Two threads on each word: the op's comparison decides whether the second word's wake. */
    pthread_t threads[4];
    for (int i = 0; i < 4; ++i)
        pthread_create(&threads[i], NULL, wait_on, i < 2 ? &first_word : &second_word);
    await_waiters(&first_word, 2);
    await_waiters(&second_word, 2);
    result("wake_op, comparison false", futex(&first_word, FUTEX_WAKE_OP, 1, (void*)1L,
                                              &second_word, FUTEX_OP(0, 0, 1, 0)));
    printf("second word %u\n", second_word);
    await_waiters(&first_word, 1);
    result("wake_op, comparison true, 1 + 5", futex(&first_word, FUTEX_WAKE_OP, 1, (void*)5L,
                                                    &second_word, FUTEX_OP(0, 0, 0, 0)));
    for (int i = 0; i < 4; ++i)
        pthread_join(threads[i], NULL);
    printf("woken on the first word %d, on the second %d\n", woken_first, woken_second);

    /* FUTEX_CMP_REQUEUE: wake one of three, move the other two, then wake them there. */
    first_word = second_word = 0;
    woken_first = woken_second = 0;
    for (int i = 0; i < 3; ++i)
        pthread_create(&threads[i], NULL, wait_on, &first_word);
    await_waiters(&first_word, 3);
    result("cmp_requeue on another value",
           futex(&first_word, FUTEX_CMP_REQUEUE, 1, (void*)2L, &second_word, 1));
    result("cmp_requeue wake 1 move 2",
           futex(&first_word, FUTEX_CMP_REQUEUE, 1, (void*)2L, &second_word, 0));
    result("waiters left on the first word",
           futex(&first_word, FUTEX_REQUEUE, 0, (void*)(long)INT_MAX, &first_word, 0));
    result("waiters on the second word",
           futex(&second_word, FUTEX_REQUEUE, 0, (void*)(long)INT_MAX, &second_word, 0));
    result("wake the second word", futex(&second_word, FUTEX_WAKE, 5, NULL, NULL, 0));
    for (int i = 0; i < 3; ++i)
        pthread_join(threads[i], NULL);
    printf("woken %d\n", woken_first);

    /* PI locks. */
    pi_word = 0;
    result("trylock_pi a free word", futex(&pi_word, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
    printf("the word is my tid: %d\n", (long)pi_word == tid());
    result("lock_pi again", futex(&pi_word, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    result("trylock_pi again", futex(&pi_word, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
    result("lock_pi with the realtime flag",
           futex(&pi_word, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0));
    result("lock_pi misaligned", futex((char*)&pi_word + 1, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    result("lock_pi on NULL", futex(NULL, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    result("unlock_pi on NULL", futex(NULL, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    struct timespec bad = {0, 1000000000};
    result("lock_pi with a bad timeout", futex(&pi_word, FUTEX_LOCK_PI, 0, &bad, NULL, 0));
    pthread_t locker;
    pthread_create(&locker, NULL, try_then_lock, NULL);
    /* The thread's trylock and timed lock fail while this one holds the word; then it waits. */
    for (int i = 0; i < 3000 && pi_thread_tid == 0; ++i)
        usleep(2000);
    usleep(300 * 1000);
    long handed = futex(&pi_word, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    pthread_join(locker, NULL); /* printed after: the thread may run first */
    result("unlock_pi, handing over", handed);
    result("unlock_pi not owned", futex(&pi_word, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    pi_word = 0x3ffffff0; /* no such thread */
    result("lock_pi of a missing owner", futex(&pi_word, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    printf("word %#x\n", pi_word);
    result("plain wake of a PI word with nobody", futex(&pi_word, FUTEX_WAKE, 1, NULL, NULL, 0));

    /* A handled signal (without SA_RESTART) during FUTEX_LOCK_PI: the lock is made again. */
    pi_word = 0;
    pi_thread_tid = 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    pthread_create(&locker, NULL, hold_a_while, NULL);
    for (int i = 0; i < 3000 && pi_thread_tid == 0; ++i)
        usleep(2000);
    struct itimerval timer = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &timer, NULL);
    long locked = futex(&pi_word, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    pthread_join(locker, NULL);
    printf("lock_pi through a signal: %ld, handler ran %d, owner is me %d\n", locked, alarms,
           (long)(pi_word & 0x3fffffff) == tid());
    result("unlock it", futex(&pi_word, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));

    /* The owner exits holding the word: the waiter gets it, FUTEX_OWNER_DIED said. */
    pi_word = 0;
    pi_thread_tid = 0;
    pthread_create(&locker, NULL, exit_holding, NULL);
    for (int i = 0; i < 3000 && pi_thread_tid == 0; ++i)
        usleep(2000);
    locked = futex(&pi_word, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    pthread_join(locker, NULL);
    printf("lock_pi after the owner's exit: %ld, mine %d, waiters %d, owner died %d\n", locked,
           (long)(pi_word & 0x3fffffff) == tid(), (pi_word & WAITERS) != 0,
           (pi_word & 0x40000000) != 0);
    result("unlock it", futex(&pi_word, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    printf("word %#x\n", pi_word);

    /* musl's priority-inheriting mutex: four threads count under it. */
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    result("setprotocol PTHREAD_PRIO_INHERIT",
           pthread_mutexattr_setprotocol(&attributes, PTHREAD_PRIO_INHERIT));
    pthread_mutex_init(&inheriting, &attributes);
    for (int i = 0; i < 4; ++i)
        pthread_create(&threads[i], NULL, contend, NULL);
    for (int i = 0; i < 4; ++i)
        pthread_join(threads[i], NULL);
    printf("count %d\n", shared_count);
    result("trylock the inheriting mutex", pthread_mutex_trylock(&inheriting));
    result("trylock it again", pthread_mutex_trylock(&inheriting));
    result("unlock it", pthread_mutex_unlock(&inheriting));
    return 0;
}

/* Threads against Linux (issue 23's corpus, musl-gcc -static): pthread_create and join with
 * return values, a mutex guarding a counter four threads increment, a condition variable passed
 * back and forth, one address space and one descriptor table (a pipe written by a thread, read
 * by main), getpid the same and gettid different in a thread, pthread_exit, a detached thread,
 * and exit() in a thread ending the whole process (in a child: its status). Prints what it
 * sees; the test compares it with the same binary's on the host. */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static long counter = 0;
static int turn = 0;
static int shared_value = 0;
static pid_t main_pid, main_tid;

static void* count(void* argument)
{
    long rounds = (long)(intptr_t)argument;
    for (long i = 0; i < rounds; ++i) {
        pthread_mutex_lock(&lock);
        ++counter;
        pthread_mutex_unlock(&lock);
        if (i % 100 == 0)
            sched_yield();
    }
    return (void*)(intptr_t)(rounds * 2);
}

/* Takes turns with main: waits for an odd turn, makes it even. */
static void* ping(void* argument)
{
    (void)argument;
    for (int round = 0; round < 5; ++round) {
        pthread_mutex_lock(&lock);
        while (turn % 2 == 0)
            pthread_cond_wait(&turn_changed, &lock);
        ++turn;
        pthread_cond_broadcast(&turn_changed);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static void* identities(void* argument)
{
    int fd = *(int*)argument;
    printf("thread: same pid %d, other tid %d\n", getpid() == main_pid,
           (pid_t)syscall(SYS_gettid) != main_tid);
    shared_value = 42;
    if (write(fd, "through the shared table", 24) != 24)
        printf("thread: write failed\n");
    pthread_exit((void*)7);
    return NULL;
}

static void* detached(void* argument)
{
    (void)argument;
    pthread_mutex_lock(&lock);
    ++counter;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void* exits(void* argument)
{
    (void)argument;
    exit(5);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    main_pid = getpid();
    main_tid = (pid_t)syscall(SYS_gettid);
    printf("main: tid is pid %d\n", main_pid == main_tid);

    pthread_t workers[4];
    for (int i = 0; i < 4; ++i)
        if (pthread_create(&workers[i], NULL, count, (void*)(intptr_t)1000) != 0)
            printf("create %d failed\n", i);
    long total = 0;
    for (int i = 0; i < 4; ++i) {
        void* result = NULL;
        pthread_join(workers[i], &result);
        total += (long)(intptr_t)result;
    }
    printf("counter %ld, results %ld\n", counter, total);

    pthread_t partner;
    pthread_create(&partner, NULL, ping, NULL);
    for (int round = 0; round < 5; ++round) {
        pthread_mutex_lock(&lock);
        ++turn;
        pthread_cond_broadcast(&turn_changed);
        while (turn % 2 == 1)
            pthread_cond_wait(&turn_changed, &lock);
        pthread_mutex_unlock(&lock);
    }
    pthread_join(partner, NULL);
    printf("turns %d\n", turn);

    int ends[2];
    pipe(ends);
    pthread_t other;
    pthread_create(&other, NULL, identities, &ends[1]);
    void* code = NULL;
    pthread_join(other, &code);
    char text[32] = {0};
    printf("read %zd '%s', shared value %d, exit code %ld\n", read(ends[0], text, sizeof text - 1),
           text, shared_value, (long)(intptr_t)code);

    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t loose;
    long before = counter;
    pthread_create(&loose, &attributes, detached, NULL);
    for (int i = 0; i < 1000; ++i) {
        pthread_mutex_lock(&lock);
        long now = counter;
        pthread_mutex_unlock(&lock);
        if (now != before)
            break;
        usleep(1000);
    }
    printf("detached thread ran: %d\n", counter == before + 1);

    pid_t child = fork();
    if (child == 0) {
        pthread_t ender;
        pthread_create(&ender, NULL, exits, NULL);
        for (;;)
            pause();
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("exit in a thread: exited %d, status %d\n", WIFEXITED(status), WEXITSTATUS(status));
    return 0;
}

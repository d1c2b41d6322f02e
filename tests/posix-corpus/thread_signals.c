#define _GNU_SOURCE
/* Signals and threads against Linux (issue 23's corpus): tgkill reaches the thread it names, a
 * process-directed kill the thread that does not block it (or, when every thread blocks it, the
 * first that unblocks it), masks are per thread, the action table is the process's, tgkill
 * with the wrong group is ESRCH, and exit(2) of the first thread leaves the others running (the
 * process ends with its last thread). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t handled_in;
static volatile int handled_signal, handled_code;
static volatile pid_t worker_tid;
static int ready[2], done[2], go[2];
static volatile int seen[3][3], raised[2], started_blocked; /* the worker's three signals: number, code, in the worker */

static void print_seen(int i)
{
    printf("worker %d: signal %d code %d in the worker %d\n", i, seen[i][0], seen[i][1],
           seen[i][2]);
}

static pid_t tid(void)
{
    return (pid_t)syscall(SYS_gettid);
}

static void handler(int signal, siginfo_t* info, void* context)
{
    (void)context;
    handled_in = tid();
    handled_signal = signal;
    handled_code = info->si_code;
}

static void on(int signal)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handler;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, NULL);
}

static void wait_byte(int fd)
{
    char byte;
    while (read(fd, &byte, 1) != 1)
        ;
}

static void post(int fd)
{
    if (write(fd, "x", 1) != 1)
        printf("write: %s\n", strerror(errno));
}

/* The worker waits for three signals, each with every signal blocked outside sigsuspend. */
static void* worker(void* argument)
{
    (void)argument;
    worker_tid = tid();
    sigset_t mask, none;
    pthread_sigmask(SIG_BLOCK, NULL, &mask);
    started_blocked = sigismember(&mask, SIGUSR1) + 2 * sigismember(&mask, SIGUSR2);
    sigemptyset(&none);
    for (int i = 0; i < 3; ++i) {
        post(ready[1]);
        wait_byte(go[0]);
        sigsuspend(&none);
        seen[i][0] = handled_signal;
        seen[i][1] = handled_code;
        seen[i][2] = handled_in == worker_tid;
        post(done[1]);
    }
    /* Main's handlers are this thread's too (SIGUSR2's was installed after it started). */
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    raise(SIGUSR1);
    raised[0] = handled_signal;
    raised[1] = handled_in == worker_tid;
    return NULL;
}

static void threads_and_signals(void)
{
    on(SIGUSR1);
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &both, NULL);
    if (pipe(ready) || pipe(done) || pipe(go))
        printf("pipe: %s\n", strerror(errno));
    pthread_t thread;
    pthread_create(&thread, NULL, worker, NULL);

    /* tgkill to the worker. */
    wait_byte(ready[0]);
    printf("the worker starts with usr1 and usr2 blocked: %d\n", started_blocked);
    post(go[1]);
    usleep(50000); /* the worker is in sigsuspend (or about to be: the signal waits for it) */
    printf("tgkill: %ld\n", syscall(SYS_tgkill, getpid(), worker_tid, SIGUSR1));
    wait_byte(done[0]);
    print_seen(0);

    /* kill to the process while main blocks it: the worker takes it in its sigsuspend. */
    on(SIGUSR2);
    wait_byte(ready[0]);
    printf("kill: %d\n", kill(getpid(), SIGUSR2));
    post(go[1]);
    wait_byte(done[0]);
    print_seen(1);

    /* Main unblocks SIGUSR1, the worker is in sigsuspend: kill goes to main (the first
     * thread), which runs the handler at its next call. */
    wait_byte(ready[0]);
    post(go[1]);
    usleep(50000);
    handled_signal = 0;
    pthread_sigmask(SIG_UNBLOCK, &both, NULL);
    printf("kill to main: %d\n", kill(getpid(), SIGUSR1));
    printf("main: signal %d in main %d\n", handled_signal, handled_in == getpid());
    /* The worker is still in sigsuspend: a signal for it alone. */
    printf("tkill: %ld\n", syscall(SYS_tkill, worker_tid, SIGUSR2));
    wait_byte(done[0]);
    print_seen(2);
    pthread_join(thread, NULL);
    printf("worker raise: signal %d in the worker %d\n", raised[0], raised[1]);

    errno = 0;
    long wrong = syscall(SYS_tgkill, getpid() + 1000, getpid(), SIGUSR1);
    printf("tgkill of another group: %ld %s\n", wrong, strerror(errno));
    wrong = syscall(SYS_tgkill, getpid(), 0, SIGUSR1);
    printf("tgkill of tid 0: %ld %s\n", wrong, strerror(errno));
}

/* exit(2) of the first thread: the other thread runs on and ends the process. */
static void* survivor(void* argument)
{
    (void)argument;
    usleep(100000);
    printf("the second thread runs after the first exited; getpid is the process %d\n",
           getpid() == (pid_t)(long)argument);
    fflush(stdout);
    syscall(SYS_exit, 5); /* not exit_group: the process ends here (the status of the first
                            * thread or of the last, as kernels differ, is 5 for both) */
    return NULL;
}

static void first_thread_exits(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pthread_t thread;
        pthread_create(&thread, NULL, survivor, (void*)(long)getpid());
        syscall(SYS_exit, 5);
    }
    int status = 0;
    printf("waited: %d\n", waitpid(child, &status, 0) == child);
    printf("status: exited %d code %d\n", WIFEXITED(status), WEXITSTATUS(status));
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    threads_and_signals();
    first_thread_exits();
    return 0;
}

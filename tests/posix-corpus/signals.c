#define _GNU_SOURCE
/* Signals against Linux (issue 23's corpus): handlers run with the right signal number, siginfo
 * (code, sender) and ucontext, registers and the stack survive them (rt_sigreturn), the handler's
 * mask (sa_mask, the signal itself, SA_NODEFER), SA_RESETHAND, blocked signals pending until
 * unblocked, sigsuspend and pause woken by a child's kill, a blocked read interrupted (EINTR) or
 * restarted (SA_RESTART), a sleep interrupted with what was left, SIGCHLD with the child's pid and
 * status, raise of an unhandled signal in a child ending it (128 + N), and sigaction's errors. */
#include <errno.h>
#include <poll.h>
#include <sys/select.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static volatile sig_atomic_t count, last, last_code, from_self, usr2_blocked_inside, depth, max_depth;
static volatile pid_t chld_pid;
static volatile int chld_status, chld_code;

static void on_signal(int signal, siginfo_t* info, void* context)
{
    ucontext_t* uc = context;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    ++count;
    last = signal;
    last_code = info->si_code;
    from_self = info->si_pid == getpid();
    usr2_blocked_inside = sigismember(&now, SIGUSR2);
    (void)uc;
    if (signal == SIGCHLD) {
        chld_pid = info->si_pid;
        chld_status = info->si_status;
        chld_code = info->si_code;
    }
}

static volatile sig_atomic_t entries;

/* Raises its own signal again, three entries in all: nested with SA_NODEFER, one after the
 * other without. */
static void nested(int signal)
{
    ++depth;
    if (depth > max_depth)
        max_depth = depth;
    if (++entries < 3)
        raise(signal);
    --depth;
}

static void plain(int signal)
{
    ++count;
    last = signal;
}

static void set(int signal, void (*action)(int, siginfo_t*, void*), int flags, int masked)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = action;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (masked)
        sigaddset(&sa.sa_mask, masked);
    sigaction(signal, &sa, NULL);
}

static void set_plain(int signal, void (*handler)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(signal, &sa, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    set(SIGUSR1, on_signal, 0, SIGUSR2);
    /* Values in callee-saved registers and on the stack survive the handler. */
    volatile long before = 0x1234567890abcdefL;
    double real = 2.5;
    result("kill self", kill(getpid(), SIGUSR1));
    printf("handled %d, signal %d, code %d, from self %d, usr2 blocked inside %d\n", (int)count,
           (int)last, (int)last_code, (int)from_self, (int)usr2_blocked_inside);
    printf("stack value kept: %d, double kept: %d\n", before == 0x1234567890abcdefL, real * 2 == 5.0);
    result("raise", raise(SIGUSR1));
    printf("handled %d, code %d (tkill)\n", (int)count, (int)last_code);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("usr1 blocked after return: %d\n", sigismember(&now, SIGUSR1));

    /* Blocked: pending until unblocked, then handled once. */
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    count = 0;
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    sigset_t pending;
    sigpending(&pending);
    printf("while blocked: handled %d, pending %d\n", (int)count, sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("after unblocking: handled %d\n", (int)count);

    /* SA_NODEFER lets a handler be entered again; without it the signal waits. */
    set_plain(SIGUSR2, nested, SA_NODEFER);
    depth = max_depth = entries = 0;
    raise(SIGUSR2);
    printf("nodefer depth %d\n", (int)max_depth);
    set_plain(SIGUSR2, nested, 0);
    depth = max_depth = entries = 0;
    raise(SIGUSR2);
    printf("deferred depth %d, entries %d\n", (int)max_depth, (int)entries);

    /* SA_RESETHAND: the second one takes the default action (ignored for SIGWINCH). */
    set_plain(SIGWINCH, plain, SA_RESETHAND);
    count = 0;
    raise(SIGWINCH);
    raise(SIGWINCH);
    struct sigaction old;
    sigaction(SIGWINCH, NULL, &old);
    printf("resethand: handled %d, now default %d\n", (int)count, old.sa_handler == SIG_DFL);

    /* A child's kill wakes sigsuspend and pause. */
    set_plain(SIGUSR1, plain, 0);
    sigprocmask(SIG_BLOCK, &block, NULL);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        kill(parent, SIGUSR1);
        _exit(0);
    }
    sigset_t none;
    sigemptyset(&none);
    count = 0;
    result("sigsuspend", sigsuspend(&none));
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("handled %d, usr1 blocked again %d\n", (int)count, sigismember(&now, SIGUSR1));
    waitpid(child, NULL, 0);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    child = fork();
    if (child == 0) {
        struct timespec pause_time = {0, 100 * 1000000};
        nanosleep(&pause_time, NULL);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    result("pause", pause());
    waitpid(child, NULL, 0);

    /* A blocked read: EINTR without SA_RESTART, completed with it. */
    int p[2];
    pipe(p);
    child = fork();
    if (child == 0) {
        struct timespec pause_time = {0, 100 * 1000000};
        nanosleep(&pause_time, NULL);
        kill(parent, SIGUSR1);
        nanosleep(&pause_time, NULL);
        write(p[1], "late", 4);
        _exit(0);
    }
    char buffer[8] = {0};
    result("read interrupted", read(p[0], buffer, sizeof buffer));
    result("read again", read(p[0], buffer, sizeof buffer));
    waitpid(child, NULL, 0);
    set_plain(SIGUSR1, plain, SA_RESTART);
    child = fork();
    if (child == 0) {
        struct timespec pause_time = {0, 100 * 1000000};
        nanosleep(&pause_time, NULL);
        kill(parent, SIGUSR1);
        nanosleep(&pause_time, NULL);
        write(p[1], "restarted", 9);
        _exit(0);
    }
    count = 0;
    memset(buffer, 0, sizeof buffer);
    result("read with SA_RESTART", read(p[0], buffer, 9));
    printf("  handled %d, got %s\n", (int)count, buffer);
    waitpid(child, NULL, 0);

    /* A sleep interrupted says what was left. */
    set_plain(SIGUSR1, plain, 0);
    child = fork();
    if (child == 0) {
        struct timespec pause_time = {0, 100 * 1000000};
        nanosleep(&pause_time, NULL);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    struct timespec ask = {5, 0}, left = {0, 0};
    result("nanosleep interrupted", nanosleep(&ask, &left));
    printf("  left between 3 and 5 s: %d\n", left.tv_sec >= 3 && left.tv_sec < 5);
    waitpid(child, NULL, 0);

    /* SIGCHLD with the child's pid and status; wait4 still reaps it. */
    set(SIGCHLD, on_signal, 0, 0);
    child = fork();
    if (child == 0)
        _exit(7);
    int status = 0;
    pid_t reaped;
    while ((reaped = waitpid(child, &status, 0)) < 0 && errno == EINTR)
        ;
    printf("sigchld: pid matches %d, status %d, code %d; reaped %d, exit %d\n",
           chld_pid == child, chld_status, chld_code, reaped == child, WEXITSTATUS(status));
    signal(SIGCHLD, SIG_DFL);

    /* An unhandled SIGUSR2 raised in a child ends it. */
    child = fork();
    if (child == 0) {
        signal(SIGUSR2, SIG_DFL);
        raise(SIGUSR2);
        _exit(0);
    }
    waitpid(child, &status, 0);
    printf("child killed by %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : -1);

    /* ppoll and pselect wait under their mask: a blocked, pending signal gets in at once. */
    set_plain(SIGUSR1, plain, 0);
    sigprocmask(SIG_BLOCK, &block, NULL);
    kill(getpid(), SIGUSR1);
    count = 0;
    struct pollfd never = {p[0], POLLIN, 0};
    struct timespec second = {1, 0};
    result("ppoll letting usr1 in", ppoll(&never, 1, &second, &none));
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("  handled %d, usr1 blocked again %d\n", (int)count, sigismember(&now, SIGUSR1));
    kill(getpid(), SIGUSR1);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(p[0], &readable);
    result("pselect letting usr1 in", pselect(p[0] + 1, &readable, NULL, NULL, &second, &none));
    printf("  handled %d\n", (int)count);
    result("ppoll under the same mask times out", ppoll(&never, 1, &(struct timespec){0, 50000000}, &now));
    sigprocmask(SIG_UNBLOCK, &block, NULL);

    /* Errors. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = plain;
    result("sigaction SIGKILL", sigaction(SIGKILL, &sa, NULL));
    result("sigaction 0", sigaction(0, &sa, NULL));
    result("sigaction 65", syscall(SYS_rt_sigaction, 65, NULL, NULL, 8));
    result("kill bad signal", kill(getpid(), 99));
    return 0;
}

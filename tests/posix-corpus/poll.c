#define _GNU_SOURCE
/* poll, ppoll, select and pselect against Linux (issue 23's corpus): readiness of pipe ends as
 * data comes and goes and ends close, of regular files and /dev/null, bad descriptors (POLLNVAL,
 * EBADF), a negative fd ignored, zero timeouts, a poll woken by a child's write, and the
 * errors for bad pointers and bad timeouts. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static void show(const char* what, struct pollfd* fds, int count)
{
    int n = poll(fds, (nfds_t)count, 0);
    printf("%s: %d:", what, n);
    for (int i = 0; i < count; ++i)
        printf(" %#x", (unsigned)fds[i].revents);
    printf("\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    result("pipe", pipe(p));
    struct pollfd fds[4] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {-5, POLLIN, 0}, {40, POLLIN, 0}};
    show("empty pipe", fds, 4);
    result("write", write(p[1], "abc", 3));
    show("3 bytes in", fds, 2);
    char buffer[8];
    result("read", read(p[0], buffer, sizeof buffer));
    show("drained", fds, 2);
    result("close writer", close(p[1]));
    show("writer gone", fds, 1);
    int q[2];
    result("pipe", pipe(q));
    result("close reader", close(q[0]));
    struct pollfd out = {q[1], POLLOUT, 0};
    show("reader gone", &out, 1);
    int file = open("/bin/busybox", O_RDONLY);
    int null = open("/dev/null", O_WRONLY);
    struct pollfd files[2] = {{file, POLLIN | POLLOUT, 0}, {null, POLLOUT, 0}};
    show("file and /dev/null", files, 2);

    /* select on the same kinds. */
    int r[2];
    result("pipe", pipe(r));
    fd_set readable, writable;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    FD_SET(r[0], &readable);
    FD_SET(r[1], &writable);
    struct timeval zero = {0, 0};
    int n = select(r[1] + 1, &readable, &writable, NULL, &zero);
    printf("select empty: %d read %d write %d\n", n, FD_ISSET(r[0], &readable),
           FD_ISSET(r[1], &writable));
    result("write", write(r[1], "x", 1));
    FD_SET(r[0], &readable);
    FD_SET(r[1], &writable);
    n = select(r[1] + 1, &readable, &writable, NULL, &zero);
    printf("select one byte: %d read %d write %d\n", n, FD_ISSET(r[0], &readable),
           FD_ISSET(r[1], &writable));
    FD_ZERO(&readable);
    FD_SET(50, &readable);
    result("select bad fd", select(51, &readable, NULL, NULL, &zero));
    struct timeval bad = {0, 2000000};
    result("select bad timeout", select(1, NULL, NULL, NULL, &bad));
    result("select negative count", select(-1, NULL, NULL, NULL, &zero));
    struct timespec zero_ts = {0, 0};
    FD_ZERO(&readable);
    FD_SET(r[0], &readable);
    result("pselect", pselect(r[0] + 1, &readable, NULL, NULL, &zero_ts, NULL));

    /* A poll without a timeout, woken by a child's write. */
    int w[2];
    result("pipe", pipe(w));
    pid_t child = fork();
    if (child == 0) {
        (void)write(w[1], "wake", 4);
        _exit(0);
    }
    struct pollfd wait_for = {w[0], POLLIN, 0};
    n = poll(&wait_for, 1, -1);
    printf("poll woken: %d %#x\n", n, (unsigned)wait_for.revents);
    int status;
    waitpid(child, &status, 0);
    result("ppoll", ppoll(&wait_for, 1, &zero_ts, NULL));
    result("poll bad pointer", poll((struct pollfd*)16, 1, 0));
    result("poll too many", poll(fds, 100000, 0));
    struct timespec bad_ts = {0, -1};
    result("ppoll bad timeout", ppoll(&wait_for, 1, &bad_ts, NULL));
    return 0;
}

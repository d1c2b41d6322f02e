/* socketpair(AF_UNIX, SOCK_STREAM) against Linux (issue 23's corpus, musl-gcc -static): both
 * ways, send and recv, fstat and fcntl, poll as data comes and goes, 200000 bytes through a
 * pair between processes (blocking on a full buffer), end of file after the peer closes, EPIPE
 * with SIGPIPE ignored and with MSG_NOSIGNAL, and the errors of other families, types and
 * protocols. Prints what it sees; the test compares it with the same binary's on the host. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static int readable(int fd)
{
    struct pollfd entry = {fd, POLLIN | POLLOUT, 0};
    poll(&entry, 1, 0);
    return entry.revents & (POLLIN | POLLOUT);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int sv[2];
    result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    struct stat st;
    fstat(sv[0], &st);
    printf("is a socket: %d\n", S_ISSOCK(st.st_mode));
    printf("access mode O_RDWR: %d\n", (fcntl(sv[0], F_GETFL) & O_ACCMODE) == O_RDWR);
    printf("poll before: %d\n", readable(sv[1]));
    result("write ping", write(sv[0], "ping", 4));
    printf("poll after: %d\n", readable(sv[1]));
    char buffer[64] = {0};
    result("read", read(sv[1], buffer, sizeof buffer));
    printf("got '%s'\n", buffer);
    result("send pong", send(sv[1], "pong", 4, 0));
    memset(buffer, 0, sizeof buffer);
    result("recv", recv(sv[0], buffer, sizeof buffer, 0));
    printf("got '%s'\n", buffer);

    /* An echo server in a child: upper-cases what it reads until end of file. */
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        char chunk[4096];
        long n;
        while ((n = read(sv[1], chunk, sizeof chunk)) > 0) {
            for (long i = 0; i < n; ++i)
                if (chunk[i] >= 'a' && chunk[i] <= 'z')
                    chunk[i] -= 32;
            if (write(sv[1], chunk, n) != n)
                _exit(2);
        }
        _exit(n == 0 ? 0 : 1);
    }
    close(sv[1]);
    result("write hello", write(sv[0], "hello", 5));
    memset(buffer, 0, sizeof buffer);
    result("read echo", read(sv[0], buffer, 5));
    printf("got '%s'\n", buffer);
    /* Bytes both ways at once: written in pieces, read back until all came. */
    static char big[200000], back[200000];
    for (size_t i = 0; i < sizeof big; ++i)
        big[i] = (char)('a' + i % 26);
    pid_t writer = fork();
    if (writer == 0) {
        size_t done = 0;
        while (done < sizeof big) {
            long n = write(sv[0], big + done, sizeof big - done < 7000 ? sizeof big - done : 7000);
            if (n <= 0)
                _exit(1);
            done += (size_t)n;
        }
        _exit(0);
    }
    size_t got = 0;
    while (got < sizeof back) {
        long n = read(sv[0], back + got, sizeof back - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    int same = got == sizeof back;
    for (size_t i = 0; same && i < got; ++i)
        same = back[i] == (char)('A' + i % 26);
    int status = 0;
    waitpid(writer, &status, 0);
    printf("echoed %zu bytes, all upper case: %d, writer status %d\n", got, same, WEXITSTATUS(status));
    close(sv[0]);
    waitpid(child, &status, 0);
    printf("echo server status %d\n", WEXITSTATUS(status));

    /* The peer gone: end of file one way, EPIPE the other. */
    result("socketpair again", socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
    printf("close-on-exec: %d\n", fcntl(sv[0], F_GETFD) & FD_CLOEXEC);
    result("write before close", write(sv[1], "last", 4));
    close(sv[1]);
    memset(buffer, 0, sizeof buffer);
    result("read the rest", read(sv[0], buffer, sizeof buffer));
    result("read at end", read(sv[0], buffer, sizeof buffer));
    printf("poll at end has POLLIN: %d\n", (readable(sv[0]) & POLLIN) != 0);
    result("send MSG_NOSIGNAL", send(sv[0], "x", 1, MSG_NOSIGNAL));
    signal(SIGPIPE, SIG_IGN);
    result("write ignoring SIGPIPE", write(sv[0], "x", 1));
    close(sv[0]);

    result("AF_INET pair", socketpair(AF_INET, SOCK_STREAM, 0, sv));
    result("unknown family", socketpair(4242, SOCK_STREAM, 0, sv));
    result("bad protocol", socketpair(AF_UNIX, SOCK_STREAM, 99, sv));
    int* volatile nowhere = (int*)8;
    result("bad pointer", socketpair(AF_UNIX, SOCK_STREAM, 0, nowhere));
    int pipe_ends[2];
    pipe(pipe_ends);
    result("send on a pipe", send(pipe_ends[1], "x", 1, 0));
    result("send on a bad fd", send(77, "x", 1, 0));
    return 0;
}

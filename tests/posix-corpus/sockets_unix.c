/* AF_UNIX sockets against Linux (issue 23's corpus, musl-gcc -static): a stream echo server and
 * a forked client through a path in /tmp (bind, listen, poll on the listener, accept4,
 * getsockname and getpeername, shutdown, end of stream), datagrams between named sockets with
 * their senders' names, a datagram socketpair with sendmsg/recvmsg, MSG_PEEK, MSG_TRUNC and
 * MSG_DONTWAIT, an abstract name, options, and the errors Linux gives (EADDRINUSE, ENOENT,
 * ECONNREFUSED, ENOTCONN, EINVAL, EOPNOTSUPP, ENOTSOCK). Prints what it sees; the test compares
 * it with the same binary's on the host. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static socklen_t name_of(struct sockaddr_un* a, const char* path)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return sizeof *a;
}

/* The child's lines, printed when it ends: the parent's and its own never interleave. */
static char child_text[1024];
static size_t child_used;
#define CHILD(...) (child_used += snprintf(child_text + child_used, sizeof child_text - child_used, __VA_ARGS__))

static int events(int fd)
{
    struct pollfd entry = {fd, POLLIN | POLLOUT, 0};
    poll(&entry, 1, 0);
    return entry.revents;
}

static void stream(void)
{
    struct sockaddr_un a, b;
    unlink("/tmp/corpus.sock");
    int server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    printf("cloexec: %d\n", fcntl(server, F_GETFD) & FD_CLOEXEC);
    result("bind", bind(server, (struct sockaddr*)&a, name_of(&a, "/tmp/corpus.sock")));
    socklen_t length = sizeof b;
    result("getsockname", getsockname(server, (struct sockaddr*)&b, &length));
    printf("name %s length %u\n", b.sun_path, (unsigned)length);
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    result("bind taken", bind(other, (struct sockaddr*)&a, sizeof a));
    result("bind no dir", bind(other, (struct sockaddr*)&b, name_of(&b, "/none/x")));
    result("connect nobody", connect(other, (struct sockaddr*)&b, name_of(&b, "/tmp/none")));
    result("connect not listening", connect(other, (struct sockaddr*)&a, sizeof a));
    result("getpeername unconnected", getpeername(other, (struct sockaddr*)&b, &length));
    result("accept not listening", accept(server, NULL, NULL));
    result("listen", listen(server, 5));
    int value = -1;
    socklen_t size = sizeof value;
    getsockopt(server, SOL_SOCKET, SO_ACCEPTCONN, &value, &size);
    printf("acceptconn %d\n", value);
    getsockopt(server, SOL_SOCKET, SO_TYPE, &value, &size);
    printf("type stream %d\n", value == SOCK_STREAM);
    getsockopt(server, SOL_SOCKET, SO_ERROR, &value, &size);
    printf("error %d size %u\n", value, (unsigned)size);
    printf("listener events before: %d\n", events(server));

    pid_t child = fork();
    if (child == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr*)&a, sizeof a) != 0)
            _exit(1);
        socklen_t n = sizeof b;
        getpeername(c, (struct sockaddr*)&b, &n);
        CHILD("client peer %s\n", b.sun_path);
        const char* lines[] = {"hello ", "unix ", "sockets\n"};
        char reply[64];
        for (int i = 0; i < 3; ++i) {
            send(c, lines[i], strlen(lines[i]), 0);
            long got = recv(c, reply, strlen(lines[i]), MSG_WAITALL);
            reply[got > 0 ? got : 0] = 0;
            CHILD("client got '%s'\n", reply);
        }
        shutdown(c, SHUT_WR);
        long end = read(c, reply, sizeof reply);
        CHILD("client end %ld\n", end);
        fputs(child_text, stdout);
        _exit(0);
    }
    struct pollfd entry = {server, POLLIN, 0};
    result("poll listener", poll(&entry, 1, 5000));
    length = sizeof b;
    int conn = accept4(server, (struct sockaddr*)&b, &length, SOCK_CLOEXEC);
    printf("accepted %d peer length %u cloexec %d\n", conn >= 0, (unsigned)length,
           fcntl(conn, F_GETFD) & FD_CLOEXEC);
    length = sizeof b;
    getsockname(conn, (struct sockaddr*)&b, &length);
    printf("accepted name %s\n", b.sun_path);
    char chunk[64];
    long n;
    while ((n = recv(conn, chunk, sizeof chunk, 0)) > 0) {
        for (long i = 0; i < n; ++i)
            if (chunk[i] >= 'a' && chunk[i] <= 'z')
                chunk[i] -= 32;
        send(conn, chunk, n, 0);
    }
    result("server end", n);
    printf("conn events after: %d\n", events(conn) & (POLLIN | POLLHUP | POLLRDHUP));
    close(conn);
    int status = 0;
    waitpid(child, &status, 0);
    printf("child status %d\n", status);
    close(server);
    close(other);
    unlink("/tmp/corpus.sock");
}

static void datagrams(void)
{
    struct sockaddr_un a, b, from;
    unlink("/tmp/corpus.dgram");
    unlink("/tmp/corpus.client");
    int server = socket(AF_UNIX, SOCK_DGRAM, 0);
    int client = socket(AF_UNIX, SOCK_DGRAM, 0);
    result("dgram bind", bind(server, (struct sockaddr*)&a, name_of(&a, "/tmp/corpus.dgram")));
    result("dgram listen", listen(server, 1));
    result("sendto unbound sender", sendto(client, "anon", 4, 0, (struct sockaddr*)&a, sizeof a));
    socklen_t length = sizeof from;
    char buffer[32] = {0};
    result("recvfrom", recvfrom(server, buffer, sizeof buffer, 0, (struct sockaddr*)&from, &length));
    printf("got '%s' from length %u\n", buffer, (unsigned)length);
    result("client bind", bind(client, (struct sockaddr*)&b, name_of(&b, "/tmp/corpus.client")));
    result("sendto named", sendto(client, "named", 5, 0, (struct sockaddr*)&a, sizeof a));
    result("sendto second", sendto(client, "second", 6, 0, (struct sockaddr*)&a, sizeof a));
    memset(buffer, 0, sizeof buffer);
    result("peek", recv(server, buffer, sizeof buffer, MSG_PEEK));
    length = sizeof from;
    memset(buffer, 0, sizeof buffer);
    result("recvfrom", recvfrom(server, buffer, sizeof buffer, 0, (struct sockaddr*)&from, &length));
    printf("got '%s' from %s\n", buffer, from.sun_path);
    result("truncated with MSG_TRUNC", recv(server, buffer, 2, MSG_TRUNC));
    result("empty MSG_DONTWAIT", recv(server, buffer, sizeof buffer, MSG_DONTWAIT));
    result("sendto nobody", sendto(client, "x", 1, 0, (struct sockaddr*)&b, name_of(&b, "/tmp/none")));
    result("send unconnected", send(client, "x", 1, 0));
    result("connect", connect(client, (struct sockaddr*)&a, name_of(&a, "/tmp/corpus.dgram")));
    result("send connected", send(client, "after", 5, 0));
    memset(buffer, 0, sizeof buffer);
    result("read", read(server, buffer, sizeof buffer));
    printf("got '%s'\n", buffer);
    close(server);
    close(client);
    unlink("/tmp/corpus.dgram");
    unlink("/tmp/corpus.client");

    int pair[2];
    result("dgram socketpair", socketpair(AF_UNIX, SOCK_DGRAM, 0, pair));
    struct iovec out[2] = {{"scatter ", 8}, {"gather", 6}};
    struct msghdr message = {0};
    message.msg_iov = out;
    message.msg_iovlen = 2;
    result("sendmsg", sendmsg(pair[0], &message, 0));
    result("send small", send(pair[0], "tiny", 4, 0));
    char first[5] = {0}, second[20] = {0};
    struct iovec in[2] = {{first, 4}, {second, sizeof second - 1}};
    struct msghdr received = {0};
    received.msg_iov = in;
    received.msg_iovlen = 2;
    result("recvmsg", recvmsg(pair[1], &received, 0));
    printf("'%s' '%s' flags %d namelen %u\n", first, second, received.msg_flags,
           (unsigned)received.msg_namelen);
    received.msg_iovlen = 1;
    in[0].iov_len = 2;
    memset(first, 0, sizeof first);
    result("recvmsg short", recvmsg(pair[1], &received, 0));
    printf("'%s' truncated %d\n", first, (received.msg_flags & MSG_TRUNC) != 0);
    printf("events %d %d\n", events(pair[0]), events(pair[1]));
    close(pair[0]);
    close(pair[1]);
}

static void abstract_and_errors(void)
{
    struct sockaddr_un a, b;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path, "\0corpus-abstract", 16);
    const socklen_t length = offsetof(struct sockaddr_un, sun_path) + 16;
    int server = socket(AF_UNIX, SOCK_STREAM, 0);
    result("bind abstract", bind(server, (struct sockaddr*)&a, length));
    socklen_t got = sizeof b;
    getsockname(server, (struct sockaddr*)&b, &got);
    printf("abstract length %u name '%s'\n", (unsigned)got, b.sun_path + 1);
    result("listen", listen(server, 1));
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    result("connect abstract", connect(client, (struct sockaddr*)&a, length));
    int conn = accept(server, NULL, NULL);
    result("write", write(client, "abc", 3));
    char buffer[8] = {0};
    result("read", read(conn, buffer, sizeof buffer));
    result("connect again", connect(client, (struct sockaddr*)&a, length));
    close(client);
    result("read after close", read(conn, buffer, sizeof buffer));
    result("send after close", send(conn, "x", 1, MSG_NOSIGNAL));
    close(conn);
    close(server);

    int pipe_ends[2];
    pipe(pipe_ends);
    result("bind on a pipe", bind(pipe_ends[0], (struct sockaddr*)&a, length));
    result("bind bad fd", bind(99, (struct sockaddr*)&a, length));
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    result("bind short", bind(s, (struct sockaddr*)&a, 1));
    a.sun_family = AF_INET;
    result("bind wrong family", bind(s, (struct sockaddr*)&a, length));
    result("bad protocol", socket(AF_UNIX, SOCK_STREAM, 7));
    result("bad type flags", socket(AF_UNIX, SOCK_STREAM | 0x100, 0));
    result("bad family", socket(12345, SOCK_STREAM, 0));
    result("setsockopt bad", setsockopt(s, SOL_SOCKET, 12345, &length, sizeof length));
    int nonblocking = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    printf("nonblock flag %d\n", (fcntl(nonblocking, F_GETFL) & O_NONBLOCK) != 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    stream();
    datagrams();
    abstract_and_errors();
    return 0;
}

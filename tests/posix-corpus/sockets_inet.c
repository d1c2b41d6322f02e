/* Loopback TCP and UDP against Linux (issue 23's corpus, musl-gcc -static): a TCP echo server
 * on 127.0.0.1 and a forked client moving 100000 bytes (bind to port 0 and getsockname, listen,
 * accept with the peer's address, getpeername, MSG_PEEK, shutdown, end of stream), a
 * non-blocking connect, a UDP ping-pong between processes with sendto/recvfrom and the senders'
 * addresses, a connected UDP socket, MSG_TRUNC and MSG_DONTWAIT, options (SO_REUSEADDR,
 * SO_RCVBUF, TCP_NODELAY, SO_TYPE, SO_PROTOCOL) and the errors Linux gives (ECONNREFUSED,
 * EADDRINUSE, EADDRNOTAVAIL, ENOTCONN, EMSGSIZE, EOPNOTSUPP). Ports are the system's
 * ephemeral ones: only how they relate is printed. The test compares with the host's run. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static struct sockaddr_in loopback(unsigned short port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static unsigned short port_of(int fd, int peer)
{
    struct sockaddr_in a;
    socklen_t n = sizeof a;
    if ((peer ? getpeername : getsockname)(fd, (struct sockaddr*)&a, &n) != 0)
        return 0;
    return ntohs(a.sin_port);
}

static int option(int fd, int level, int name)
{
    int value = -1;
    socklen_t n = sizeof value;
    getsockopt(fd, level, name, &value, &n);
    return value;
}

#define Total 100000

static void tcp(void)
{
    int server = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    result("reuseaddr", setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
    printf("reuseaddr read back %d\n", option(server, SOL_SOCKET, SO_REUSEADDR) != 0);
    printf("type %d protocol %d\n", option(server, SOL_SOCKET, SO_TYPE), option(server, SOL_SOCKET, SO_PROTOCOL));
    struct sockaddr_in a = loopback(0);
    result("bind port 0", bind(server, (struct sockaddr*)&a, sizeof a));
    const unsigned short port = port_of(server, 0);
    printf("ephemeral port %d\n", port >= 1024);
    a = loopback(port);
    int taken = socket(AF_INET, SOCK_STREAM, 0);
    result("listen", listen(server, 8));
    result("bind taken", bind(taken, (struct sockaddr*)&a, sizeof a));
    struct sockaddr_in far = loopback(0);
    far.sin_addr.s_addr = inet_addr("192.0.2.1");
    result("bind elsewhere", bind(taken, (struct sockaddr*)&far, sizeof far));
    result("getpeername unconnected", port_of(taken, 1) == 0 ? -1 : 0);
    result("recv unconnected", recv(taken, &on, 1, 0));

    /* A port with a socket bound but not listening: refused. */
    int closed = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in c = loopback(0);
    bind(closed, (struct sockaddr*)&c, sizeof c);
    c = loopback(port_of(closed, 0));
    result("connect refused", connect(taken, (struct sockaddr*)&c, sizeof c));
    close(closed);
    close(taken);

    pid_t child = fork();
    if (child == 0) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(s, (struct sockaddr*)&a, sizeof a) != 0)
            _exit(1);
        int nodelay = 1;
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof nodelay);
        static char out[Total], in[Total];
        for (int i = 0; i < Total; ++i)
            out[i] = (char)('a' + i % 26);
        long sent = 0, got = 0;
        while (sent < Total || got < Total) {
            if (sent < Total) {
                long n = send(s, out + sent, Total - sent > 4096 ? 4096 : Total - sent, 0);
                if (n <= 0)
                    _exit(2);
                sent += n;
            }
            while (got < sent) {
                long n = recv(s, in + got, Total - got, 0);
                if (n <= 0)
                    _exit(3);
                got += n;
            }
        }
        for (int i = 0; i < Total; ++i)
            if (in[i] != out[i] - 32)
                _exit(4);
        shutdown(s, SHUT_WR);
        char end;
        _exit(recv(s, &end, 1, 0) == 0 ? 0 : 5);
    }
    struct sockaddr_in peer;
    socklen_t length = sizeof peer;
    int conn = accept(server, (struct sockaddr*)&peer, &length);
    printf("accepted %d length %u loopback %d\n", conn >= 0, (unsigned)length,
           peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    printf("local port is the listener's %d\n", port_of(conn, 0) == port);
    char first[4] = {0};
    result("peek", recv(conn, first, 3, MSG_PEEK | MSG_WAITALL));
    printf("peeked '%s'\n", first);
    static char chunk[8192];
    long n, total = 0;
    while ((n = recv(conn, chunk, sizeof chunk, 0)) > 0) {
        for (long i = 0; i < n; ++i)
            chunk[i] -= 32;
        for (long done = 0; done < n;) {
            long m = send(conn, chunk + done, n - done, 0);
            if (m <= 0)
                break;
            done += m;
        }
        total += n;
    }
    printf("echoed %ld, end %ld\n", total, n);
    close(conn);
    int status = 0;
    waitpid(child, &status, 0);
    printf("child status %d\n", status);

    /* Non-blocking: connect is in progress or done at once, then writable without error. */
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(s, (struct sockaddr*)&a, sizeof a);
    printf("nonblocking connect ok %d\n", r == 0 || errno == EINPROGRESS);
    struct pollfd entry = {s, POLLOUT, 0};
    result("poll out", poll(&entry, 1, 5000));
    printf("so_error %d\n", option(s, SOL_SOCKET, SO_ERROR));
    int accepted = accept4(server, NULL, NULL, SOCK_NONBLOCK);
    result("accept4", accepted >= 0 ? 0 : -1);
    result("recv nothing yet", recv(accepted, chunk, 1, 0));
    fcntl(server, F_SETFL, O_NONBLOCK);
    printf("listener nonblocking %d\n", (fcntl(server, F_GETFL) & O_NONBLOCK) != 0);
    result("accept none waiting", accept(server, NULL, NULL));
    close(s);
    close(accepted);
    close(server);
}

static void udp(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    printf("type %d protocol %d\n", option(a, SOL_SOCKET, SO_TYPE), option(a, SOL_SOCKET, SO_PROTOCOL));
    struct sockaddr_in any = loopback(0);
    bind(a, (struct sockaddr*)&any, sizeof any);
    bind(b, (struct sockaddr*)&any, sizeof any);
    const struct sockaddr_in to_a = loopback(port_of(a, 0)), to_b = loopback(port_of(b, 0));
    int size = 65536;
    setsockopt(a, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    printf("rcvbuf at least asked %d\n", option(a, SOL_SOCKET, SO_RCVBUF) >= size);
    result("listen on udp", listen(a, 1));
    result("recv empty dontwait", recv(a, &size, sizeof size, MSG_DONTWAIT));
    result("send unconnected", send(a, "x", 1, 0));

    pid_t child = fork();
    if (child == 0) {
        char buffer[64];
        for (int round = 0; round < 5; ++round) {
            struct sockaddr_in from;
            socklen_t n = sizeof from;
            long got = recvfrom(b, buffer, sizeof buffer, 0, (struct sockaddr*)&from, &n);
            if (got <= 0 || ntohs(from.sin_port) != port_of(a, 0))
                _exit(1);
            buffer[0] = 'o';
            sendto(b, buffer, got, 0, (struct sockaddr*)&from, n);
        }
        _exit(0);
    }
    for (int round = 0; round < 5; ++round) {
        char message[32], reply[32] = {0};
        int length = snprintf(message, sizeof message, "ping %d", round);
        sendto(a, message, length, 0, (struct sockaddr*)&to_b, sizeof to_b);
        struct sockaddr_in from;
        socklen_t n = sizeof from;
        long got = recvfrom(a, reply, sizeof reply, 0, (struct sockaddr*)&from, &n);
        printf("%ld '%s' from b %d\n", got, reply, ntohs(from.sin_port) == port_of(b, 0));
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("child status %d\n", status);

    result("connect", connect(b, (struct sockaddr*)&to_a, sizeof to_a));
    printf("peer is a %d\n", port_of(b, 1) == port_of(a, 0));
    result("send connected", send(b, "datagram", 8, 0));
    result("sendto another", sendto(b, "x", 1, 0, (struct sockaddr*)&to_b, sizeof to_b));
    char small[4] = {0};
    result("peek", recv(a, small, 3, MSG_PEEK));
    result("truncated, MSG_TRUNC", recv(a, small, 3, MSG_TRUNC));
    printf("kept '%s'\n", small);
    result("b got its own", recv(b, small, sizeof small, MSG_DONTWAIT));
    static char huge[70000];
    result("sendto too big", sendto(a, huge, sizeof huge, 0, (struct sockaddr*)&to_b, sizeof to_b));
    close(a);
    close(b);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    tcp();
    udp();
    return 0;
}

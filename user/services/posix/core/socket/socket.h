// A socket's state machine (docs/posix.md, "Sockets"): AF_UNIX and loopback AF_INET sockets,
// stream and datagram, as one kind of object; the server's calls (server/calls_socket.cc) copy
// bytes and addresses in and out and turn EAGAIN into blocking. A connected stream pair shares
// two Channels, one each way (the peers' byte streams: loopback TCP is this same machinery);
// a listener queues the connections it has not accepted yet, already connected; a datagram
// socket queues whole messages with their sender's name.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/ref.h"
#include "core/result.h"
#include "core/socket/name_table.h"
#include "core/socket/socket_name.h"

namespace tessera::posix::net {

// One direction of a stream connection: a ring of bytes, and whether its writer or its reader
// has gone (closed or shut down).
class Channel : public RefCounted {
public:
    static constexpr size_t Capacity = 64 * 1024;

    Channel();
    ~Channel() override;
    bool valid() const { return ring_ != nullptr; }
    size_t put(const uint8_t* bytes, size_t length);
    // Copies out up to `length` bytes; they stay unless `consume`.
    size_t take(uint8_t* bytes, size_t length, bool consume);
    size_t buffered() const { return count_; }
    size_t room() const { return Capacity - count_; }

    bool writer_gone = false;
    bool reader_gone = false;

private:
    uint8_t* ring_;
    size_t head_ = 0;
    size_t count_ = 0;
};

class Socket : public RefCounted {
public:
    enum class State : uint8_t { Fresh, Listening, Connected };
    static constexpr int MaxBacklog = 64;
    static constexpr uint32_t DefaultBuffer = 212992; // Linux's rmem_default and wmem_default
    static constexpr size_t MaxQueuedDatagrams = 512;
    static constexpr uint32_t Loopback = 0x7f000001;

    Socket(Family family, Type type, NameTable& names);
    ~Socket() override;

    Family family() const { return family_; }
    Type type() const { return type_; }
    State state() const { return state_; }
    bool bound() const { return local_.named(); }
    // The name bind gave (as the program wrote it) and the peer's: what getsockname and
    // getpeername report. `peer_key` is the peer's name in the table (a datagram socket's
    // default destination).
    const Name& local() const { return local_; }
    const Name& remote() const { return remote_; }
    const Name& peer_key() const { return peer_key_; }

    // Binds the socket: `key` in the name table (an AF_UNIX path made absolute), `shown` what
    // getsockname reports. EINVAL when bound already; AF_INET: EADDRNOTAVAIL off loopback, port 0
    // an ephemeral port; an unnamed AF_UNIX name autobinds an abstract one.
    Result<void> bind(const Name& key, const Name& shown);
    // AF_INET sockets take an ephemeral port on their first connect, listen or send.
    Result<void> bind_ephemeral(uint32_t address);
    // EOPNOTSUPP for datagrams, EINVAL once connected or (AF_UNIX) unbound.
    Result<void> listen(int backlog);
    // A stream connection to `listener`, reached at `destination`: the accepted side waits in its
    // queue. ECONNREFUSED when it does not listen, EPROTOTYPE for another type, EISCONN,
    // EINVAL for a listener, EAGAIN while the queue is full.
    Result<void> connect(Socket& listener, const Name& destination);
    // A datagram socket's default destination (`key` in the table, `shown` for getpeername).
    void set_peer(const Name& key, const Name& shown);
    // The next accepted connection, or null when none waits.
    Ref<Socket> accept();
    size_t waiting() const { return backlog_count_; }
    // socketpair: two unnamed sockets of one type, connected to each other. False without memory.
    static bool pair(Socket& a, Socket& b);

    // Streams. send: bytes taken (EAGAIN when the peer's buffer is full, EPIPE when it is gone
    // or this side shut writing, ENOTCONN/EPIPE unconnected). receive: 0 at end of stream,
    // EAGAIN when nothing waits.
    Result<size_t> send(const uint8_t* bytes, size_t length);
    Result<size_t> receive(uint8_t* bytes, size_t length, bool peek);
    size_t buffered() const { return in_ ? in_->buffered() : 0; }

    // Datagrams. deliver puts a message in this socket's queue (EAGAIN when full; EMSGSIZE
    // above the largest); take_datagram copies the first out (`full`: its real length, more
    // than the copy when truncated), leaving it when `peek`. The socketpair peer, or null.
    Result<void> deliver(const uint8_t* bytes, size_t length, const Name& from);
    struct Datagram {
        size_t copied = 0, full = 0;
        Name from;
    };
    Result<Datagram> take_datagram(uint8_t* bytes, size_t capacity, bool peek);
    Socket* pair_peer() const { return pair_; }
    size_t max_datagram() const { return family_ == Family::Inet ? 65507 : 65536; }

    // SHUT_RD, SHUT_WR, SHUT_RDWR: EINVAL for another `how`, ENOTCONN for an unconnected
    // AF_INET stream.
    Result<void> shutdown(int how);

    struct Readiness {
        bool in = false, out = false, read_hangup = false, hangup = false;
    };
    Readiness readiness() const;

    // setsockopt's stored values (getsockopt reads them back).
    struct Options {
        bool reuse_address = false, keep_alive = false, broadcast = false, no_delay = false,
             reuse_port = false;
        uint32_t receive_buffer = DefaultBuffer, send_buffer = DefaultBuffer;
        int32_t linger_on = 0, linger_seconds = 0;
    } options;
    bool nonblocking = false;
    int backlog = 0;

private:
    struct Message;
    void drop_messages();

    const Family family_;
    const Type type_;
    NameTable& names_;
    State state_ = State::Fresh;
    Name local_, remote_, peer_key_;
    bool in_table_ = false;
    bool shut_read_ = false, shut_write_ = false;
    Ref<Channel> in_, out_;
    Ref<Socket> backlog_[MaxBacklog];
    int backlog_count_ = 0;
    Socket* pair_ = nullptr; // a datagram socketpair's other end (cleared when it goes)
    Message* first_ = nullptr;
    Message* last_ = nullptr;
    size_t queued_ = 0, queued_bytes_ = 0;
};

} // namespace tessera::posix::net

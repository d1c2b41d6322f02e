// The socket calls (docs/posix.md, "Sockets"): AF_UNIX and loopback AF_INET sockets on the
// state machine of core/socket/socket.h. This file copies bytes and sockaddrs between the
// program and the server, finds names (an AF_UNIX path is made absolute and looked up in the
// server's name table, the file system only telling ENOENT from ECONNREFUSED and keeping
// EADDRINUSE for a path that exists), and turns the machine's EAGAIN into blocking unless the
// socket is non-blocking or the call says MSG_DONTWAIT.
#include <string.h>

#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "linux/structures.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace sock = linux::socket_const;
namespace ev = linux::poll_event;
using net::Family;
using net::Socket;

#define POSIX_SOCKET(name, fd)                                                                    \
    auto name##_found = socket_at(process, int64_t(fd));                                          \
    if (!name##_found)                                                                            \
        return linux_return(name##_found);                                                        \
    Socket* name = name##_found.value()

// The scatter or gather list of a call: one vector for send and recv, msghdr's for the *msg
// calls (the first 16 kept, the rest read again as they are needed).
struct SocketVectors {
    linux::IoVec list[16];
    uint64_t count = 0;
    uint64_t address = 0; // the program's iovec array; 0: `list` holds them all
    uint64_t total = 0;
};

namespace {

using Vectors = SocketVectors;

// One send or receive: the bytes of a datagram move whole, a stream's in chunks of this size.
constexpr size_t Chunk = 64 * 1024;
uint8_t socket_bytes[Chunk];
constexpr uint64_t MaxVectors = 1024; // UIO_MAXIOV
constexpr uint32_t MsgMore = 0x8000;
constexpr uint32_t SendFlags = sock::MsgNoSignal | sock::MsgDontWait | sock::MsgEor | MsgMore |
                               sock::MsgDontRoute;
constexpr uint32_t ReceiveFlags = sock::MsgPeek | sock::MsgDontWait | sock::MsgWaitAll |
                                  sock::MsgTrunc | sock::MsgCmsgCloexec;

Result<linux::IoVec> vector_at(AddressSpace& space, const Vectors& v, uint64_t i)
{
    if (v.address == 0 || i < 16)
        return v.list[i];
    linux::IoVec vector;
    POSIX_CHECK(space.read(v.address + i * sizeof vector, &vector, sizeof vector));
    return vector;
}

Result<Vectors> read_vectors(AddressSpace& space, uint64_t address, uint64_t count)
{
    if (count > MaxVectors)
        return Errno::MsgSize;
    Vectors v;
    v.count = count;
    v.address = address;
    for (uint64_t i = 0; i < count; ++i) {
        linux::IoVec vector;
        POSIX_CHECK(space.read(address + i * sizeof vector, &vector, sizeof vector));
        if (int64_t(vector.length) < 0)
            return Errno::Inval;
        if (i < 16)
            v.list[i] = vector;
        v.total += vector.length;
    }
    return v;
}

Vectors one_vector(uint64_t address, uint64_t length)
{
    Vectors v;
    v.count = 1;
    v.list[0] = {address, length};
    v.total = length;
    return v;
}

// Copies up to `length` bytes between the program's vectors and `bytes`.
Result<void> gather(AddressSpace& space, const Vectors& v, uint8_t* bytes, size_t length)
{
    size_t done = 0;
    for (uint64_t i = 0; i < v.count && done < length; ++i) {
        POSIX_TRY(vector, vector_at(space, v, i));
        const size_t n = length - done < vector.length ? length - done : size_t(vector.length);
        POSIX_CHECK(space.read(vector.base, bytes + done, n));
        done += n;
    }
    return {};
}

Result<void> scatter(AddressSpace& space, const Vectors& v, const uint8_t* bytes, size_t length)
{
    size_t done = 0;
    for (uint64_t i = 0; i < v.count && done < length; ++i) {
        POSIX_TRY(vector, vector_at(space, v, i));
        const size_t n = length - done < vector.length ? length - done : size_t(vector.length);
        POSIX_CHECK(space.write(vector.base, bytes + done, n));
        done += n;
    }
    return {};
}

// A sockaddr out to the program, socklen_t style: at most *length_at bytes at `address`, the
// full length back at `length_at` (no address: nothing).
Result<void> put_name(AddressSpace& space, const net::Name* name, uint64_t address,
                      uint64_t length_at)
{
    if (address == 0 || length_at == 0)
        return {};
    int32_t room = 0;
    POSIX_CHECK(space.read(length_at, &room, sizeof room));
    if (room < 0)
        return Errno::Inval;
    const net::EncodedName encoded = name ? net::encode_name(*name) : net::EncodedName{};
    const uint32_t n = uint32_t(room) < encoded.length ? uint32_t(room) : encoded.length;
    POSIX_CHECK(space.write(address, encoded.bytes, n));
    return space.write(length_at, &encoded.length, sizeof encoded.length);
}

// A received message's sender: none (length 0) for an unnamed AF_UNIX socket, as Linux.
Result<void> put_sender(AddressSpace& space, const net::Name* from, uint64_t address,
                        uint64_t length_at)
{
    if (from != nullptr && (from->family == Family::Inet || from->named()))
        return put_name(space, from, address, length_at);
    if (address == 0 || length_at == 0)
        return {};
    const uint32_t zero = 0;
    return space.write(length_at, &zero, sizeof zero);
}

uint32_t doubled_buffer(int32_t value, uint32_t floor)
{
    // Linux keeps twice what is asked (bookkeeping room), within rmem_max and a minimum.
    const uint32_t asked = value < 0 ? 0 : uint32_t(value) > Socket::DefaultBuffer ? Socket::DefaultBuffer : uint32_t(value);
    return asked * 2 < floor ? floor : asked * 2;
}

} // namespace

uint16_t socket_readiness(const OpenFile& file)
{
    const Socket::Readiness r = file.socket->readiness();
    return uint16_t((r.in ? ev::In | ev::RdNorm : 0) | (r.out ? ev::Out | ev::WrNorm | ev::WrBand : 0) |
                    (r.read_hangup ? ev::RdHup : 0) | (r.hangup ? ev::Hup : 0));
}

Result<Socket*> Server::socket_at(Process& process, int64_t fd)
{
    OpenFile* file = open_file(process, fd);
    if (file == nullptr)
        return Errno::BadF;
    if (!file->socket)
        return Errno::NotSock;
    return file->socket.get();
}

Result<net::Name> Server::socket_name_in(Process& process, const Socket& socket, uint64_t address,
                                         uint64_t length, net::Name& key)
{
    // Linux takes up to a sockaddr_storage (128 bytes) and reads what the family needs of it.
    constexpr uint64_t Storage = 128;
    if (length > Storage)
        return Errno::Inval;
    uint8_t raw[Storage] = {};
    const size_t n = size_t(length);
    POSIX_CHECK(process.space->read(address, raw, n));
    const size_t family_length =
        socket.family() == Family::Inet && n > sizeof(linux::SockAddrIn) ? sizeof(linux::SockAddrIn) : n;
    POSIX_TRY(name, net::decode_name(raw, family_length, socket.family()));
    key = name;
    if (name.family != Family::Unix || !name.named() || name.abstract())
        return name;
    // A path: the table knows it made absolute (path_at reads it again up to its NUL, which
    // must be where the given length put it).
    if (name.length >= net::Name::PathCapacity ||
        (2 + size_t(name.length) < n && raw[2 + name.length] != 0))
        return Errno::Inval;
    char folded[256];
    POSIX_CHECK(path_at(process, linux::at::FdCwd, address + 2, folded));
    const size_t folded_length = strlen(folded);
    if (folded_length >= net::Name::PathCapacity)
        return Errno::NameTooLong;
    key.length = uint8_t(folded_length);
    memset(key.path, 0, sizeof key.path);
    memcpy(key.path, folded, folded_length);
    if (folded_length == 0) // the root directory: a name that exists, never a socket
        key.length = 1, key.path[0] = '/';
    return name;
}

// A name that no socket holds: ECONNREFUSED when a file is there (Linux finds the inode, which
// no socket listens on), ENOENT when nothing is.
Errno Server::socket_name_missing(const net::Name& key)
{
    if (key.family != Family::Unix || key.abstract())
        return Errno::ConnRefused;
    char path[net::Name::PathCapacity + 1] = {};
    memcpy(path, key.path, key.length);
    return volume_for(path).stat(path, true) ? Errno::ConnRefused : Errno::NoEnt;
}

// Whether the call waits: EAGAIN from the machine blocks a blocking socket.
int64_t Server::socket_again(const Socket& socket, uint32_t flags)
{
    return socket.nonblocking || (flags & sock::MsgDontWait) ? linux::negative(Errno::Again)
                                                             : Blocked;
}

int64_t Server::socket_send(Process& process, Socket& socket, const Vectors& v, uint32_t flags,
                            uint64_t name_address, uint64_t name_length, const uint8_t* from_server)
{
    AddressSpace& space = *process.space;
    if (flags & sock::MsgOob)
        return linux::negative(Errno::OpNotSupp);
    const bool datagram = socket.type() == net::Type::Datagram;
    const size_t n = datagram ? (v.total > socket.max_datagram() ? socket.max_datagram() + 1 : size_t(v.total))
                              : (v.total < Chunk ? size_t(v.total) : Chunk);
    if (datagram && n > socket.max_datagram())
        return linux::negative(Errno::MsgSize);
    if (from_server != nullptr)
        memcpy(socket_bytes, from_server, n);
    else if (auto copied = gather(space, v, socket_bytes, n); !copied)
        return linux_return(copied);
    if (!datagram) {
        if (name_address != 0 && socket.family() == Family::Unix)
            return linux::negative(socket.state() == Socket::State::Connected ? Errno::IsConn
                                                                              : Errno::OpNotSupp);
        auto sent = socket.send(socket_bytes, n);
        if (sent)
            return int64_t(sent.value());
        if (sent.error() == Errno::Again)
            return socket_again(socket, flags);
        if (sent.error() == Errno::Pipe && !(flags & sock::MsgNoSignal))
            return send_signal(process, linux::signal::Pipe) ? NoReply : linux::negative(Errno::Pipe);
        return linux::negative(sent.error());
    }
    // A datagram: to the given name, else to the connected peer.
    Socket* target = socket.pair_peer();
    net::Name key;
    if (name_address != 0) {
        auto name = socket_name_in(process, socket, name_address, name_length, key);
        if (!name)
            return linux_return(name.error());
        if (socket.family() == Family::Inet && !net::is_loopback(key.address))
            return linux::negative(Errno::NetUnreach);
        target = nullptr;
    } else if (target == nullptr) {
        if (socket.state() != Socket::State::Connected)
            return linux::negative(socket.family() == Family::Unix ? Errno::NotConn : Errno::DestAddrReq);
        key = socket.peer_key();
    }
    if (socket.family() == Family::Inet)
        if (auto bound = socket.bind_ephemeral(0); !bound)
            return linux_return(bound);
    if (target == nullptr) {
        target = socket_names_.find(key, net::Type::Datagram);
        if (target == nullptr && socket.family() == Family::Inet)
            return int64_t(n); // UDP: nobody listens on that port, the datagram is lost
        if (target == nullptr)
            return linux::negative(socket_name_missing(key));
        if (target->type() != net::Type::Datagram)
            return linux::negative(Errno::ProtoType);
    } else if (socket.state() != Socket::State::Connected) {
        return linux::negative(Errno::NotConn);
    }
    // The source address of a socket bound to INADDR_ANY is loopback's.
    net::Name from = socket.local();
    if (from.family == Family::Inet && from.address == 0)
        from.address = Socket::Loopback;
    // A connected UDP socket takes datagrams from its peer only; the rest are dropped.
    if (socket.family() == Family::Inet && target->state() == Socket::State::Connected) {
        const net::Name& wanted = target->peer_key();
        if (wanted.port != from.port ||
            (wanted.address != from.address && from.address != 0 && wanted.address != 0))
            return int64_t(n);
    }
    auto delivered = target->deliver(socket_bytes, n, from);
    if (delivered)
        return int64_t(n);
    if (delivered.error() == Errno::Again)
        return socket.family() == Family::Inet ? int64_t(n) : socket_again(socket, flags);
    return linux::negative(delivered.error());
}

int64_t Server::socket_receive(Process& process, Socket& socket, const Vectors& v, uint32_t flags,
                               uint64_t name_address, uint64_t name_length_at, int32_t* message_flags)
{
    AddressSpace& space = *process.space;
    if (flags & sock::MsgOob)
        return linux::negative(Errno::OpNotSupp);
    const bool peek = (flags & sock::MsgPeek) != 0;
    const size_t want = v.total < Chunk ? size_t(v.total) : Chunk;
    if (socket.type() == net::Type::Datagram) {
        auto got = socket.take_datagram(socket_bytes, want, peek);
        if (!got)
            return got.error() == Errno::Again ? socket_again(socket, flags) : linux_return(got.error());
        if (auto put = scatter(space, v, socket_bytes, got.value().copied); !put)
            return linux_return(put);
        if (auto named = put_sender(space, &got.value().from, name_address, name_length_at); !named)
            return linux_return(named);
        if (message_flags != nullptr && got.value().full > got.value().copied)
            *message_flags |= int32_t(sock::MsgTrunc);
        return int64_t((flags & sock::MsgTrunc) ? got.value().full : got.value().copied);
    }
    // MSG_WAITALL: nothing is taken until all of it is there (or the stream ends).
    if ((flags & sock::MsgWaitAll) && !peek && socket.state() == Socket::State::Connected &&
        socket.buffered() < want && !socket.readiness().read_hangup)
        return socket_again(socket, flags);
    auto got = socket.receive(socket_bytes, want, peek);
    if (!got)
        return got.error() == Errno::Again ? socket_again(socket, flags) : linux_return(got);
    if (auto put = scatter(space, v, socket_bytes, got.value()); !put)
        return linux_return(put);
    // Linux gives a stream's sender name for AF_UNIX and none for TCP.
    const net::Name* from = socket.family() == Family::Unix ? &socket.remote() : nullptr;
    if (auto named = put_sender(space, from, name_address, name_length_at); !named)
        return linux_return(named);
    return int64_t(got.value());
}

int64_t Server::socket_read(Process& process, OpenFile& file, uint64_t address, uint64_t length)
{
    return socket_receive(process, *file.socket, one_vector(address, length), 0, 0, 0, nullptr);
}

int64_t Server::socket_write(Process& process, OpenFile& file, uint64_t address, uint64_t length,
                             const uint8_t* from_server, bool pipe_signal)
{
    return socket_send(process, *file.socket, one_vector(address, length),
                       pipe_signal ? 0 : sock::MsgNoSignal, 0, 0, from_server);
}

int64_t Server::socket_open(Process& process, const Ref<Socket>& socket, uint32_t type_flags)
{
    const int fd = lowest_free(process, 0);
    if (fd < 0)
        return linux::negative(Errno::MFile);
    OpenFile& file = process.files[fd];
    file = OpenFile{};
    file.kind = OpenFile::Kind::Socket;
    file.socket = socket;
    file.close_on_exec = (type_flags & sock::CloseOnExec) != 0;
    socket->nonblocking = (type_flags & sock::NonBlock) != 0;
    return fd;
}

int64_t Server::socket_call(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    AddressSpace& space = *process.space;
    switch (call.number) {
    case linux::nr::Socket:
    case linux::nr::Socketpair: {
        const int32_t domain = int32_t(a[0]), type = int32_t(a[1]), protocol = int32_t(a[2]);
        const bool pair = call.number == linux::nr::Socketpair;
        if (domain != sock::Unix && domain != sock::Inet)
            return linux::negative(Errno::AfNoSupport);
        if ((uint32_t(type) & ~uint32_t(sock::TypeMask) & ~(sock::NonBlock | sock::CloseOnExec)) != 0)
            return linux::negative(Errno::Inval);
        const int32_t kind = type & sock::TypeMask;
        if (kind != sock::Stream && kind != sock::Datagram)
            return linux::negative(Errno::SockTNoSupport); // seqpacket and raw: not served
        const bool inet = domain == sock::Inet;
        if (protocol != 0 && !(inet && protocol == (kind == sock::Stream ? sock::ProtoTcp : sock::ProtoUdp)) &&
            !(!inet && protocol == sock::Unix))
            return linux::negative(Errno::ProtoNoSupport);
        if (pair && inet)
            return linux::negative(Errno::OpNotSupp);
        const net::Type t = kind == sock::Stream ? net::Type::Stream : net::Type::Datagram;
        const Family family = inet ? Family::Inet : Family::Unix;
        Ref<Socket> made[2] = {make_ref<Socket>(family, t, socket_names_),
                               pair ? make_ref<Socket>(family, t, socket_names_) : Ref<Socket>()};
        if (!made[0] || (pair && (!made[1] || !Socket::pair(*made[0], *made[1]))))
            return linux::negative(Errno::NoBufs);
        if (!pair)
            return socket_open(process, made[0], uint32_t(type));
        const int first = lowest_free(process, 0);
        const int second = first < 0 ? -1 : lowest_free(process, first + 1);
        if (second < 0)
            return linux::negative(Errno::MFile);
        const int32_t numbers[2] = {first, second};
        if (auto written = space.write(a[3], numbers, sizeof numbers); !written)
            return linux_return(written);
        (void)socket_open(process, made[0], uint32_t(type));
        (void)socket_open(process, made[1], uint32_t(type));
        return 0;
    }
    case linux::nr::Bind: {
        POSIX_SOCKET(socket, a[0]);
        net::Name key;
        auto name = socket_name_in(process, *socket, a[1], a[2], key);
        if (!name)
            return linux_return(name.error());
        if (socket->bound())
            return linux::negative(Errno::Inval);
        if (key.family == Family::Unix && key.named() && !key.abstract()) {
            // The path must not exist (Linux makes a socket inode there) and its directory must.
            char path[net::Name::PathCapacity + 1] = {};
            memcpy(path, key.path, key.length);
            if (volume_for(path).stat(path, false))
                return linux::negative(Errno::AddrInUse);
            char* slash = strrchr(path, '/');
            if (slash != nullptr)
                *slash = '\0';
            auto parent = volume_for(path).stat(path, true);
            if (!parent)
                return linux::negative(parent.error());
            if ((parent.value().mode & linux::mode::TypeMask) != linux::mode::Directory)
                return linux::negative(Errno::NotDir);
        }
        return linux_return(socket->bind(key, name.value()));
    }
    case linux::nr::Listen: {
        POSIX_SOCKET(socket, a[0]);
        return linux_return(socket->listen(int32_t(a[1])));
    }
    case linux::nr::Connect: {
        POSIX_SOCKET(socket, a[0]);
        net::Name key;
        auto name = socket_name_in(process, *socket, a[1], a[2], key);
        if (!name)
            return linux_return(name.error());
        if (socket->family() == Family::Unix && !key.named())
            return linux::negative(Errno::Inval);
        if (socket->family() == Family::Inet && !net::is_loopback(key.address))
            return linux::negative(Errno::NetUnreach);
        Socket* target = socket_names_.find(key, socket->type());
        if (socket->type() == net::Type::Datagram) {
            if (socket->family() == Family::Inet) {
                if (auto bound = socket->bind_ephemeral(0); !bound)
                    return linux_return(bound);
                if (key.address == 0)
                    key.address = Socket::Loopback;
            } else if (target == nullptr) {
                return linux::negative(socket_name_missing(key));
            } else if (target->type() != net::Type::Datagram) {
                return linux::negative(Errno::ProtoType);
            }
            socket->set_peer(key, socket->family() == Family::Inet ? key : name.value());
            return 0;
        }
        if (socket->state() == Socket::State::Connected)
            return linux::negative(Errno::IsConn);
        if (target == nullptr)
            return linux::negative(socket_name_missing(key));
        auto connected = socket->connect(*target, key);
        if (!connected)
            return connected.error() == Errno::Again ? socket_again(*socket, 0) : linux_return(connected);
        // Linux answers a non-blocking TCP connect "in progress" even on loopback.
        return socket->family() == Family::Inet && socket->nonblocking ? linux::negative(Errno::InProgress) : 0;
    }
    case linux::nr::Accept:
    case linux::nr::Accept4: {
        POSIX_SOCKET(socket, a[0]);
        const uint32_t flags = call.number == linux::nr::Accept4 ? uint32_t(a[3]) : 0;
        if (flags & ~(sock::NonBlock | sock::CloseOnExec))
            return linux::negative(Errno::Inval);
        if (socket->type() != net::Type::Stream)
            return linux::negative(Errno::OpNotSupp);
        if (socket->state() != Socket::State::Listening)
            return linux::negative(Errno::Inval);
        if (lowest_free(process, 0) < 0)
            return linux::negative(Errno::MFile);
        if (socket->waiting() == 0)
            return socket_again(*socket, 0);
        Ref<Socket> accepted = socket->accept();
        if (auto named = put_name(space, &accepted->remote(), a[1], a[2]); !named)
            return linux_return(named);
        return socket_open(process, accepted, flags);
    }
    case linux::nr::Getsockname:
    case linux::nr::Getpeername: {
        POSIX_SOCKET(socket, a[0]);
        const bool peer = call.number == linux::nr::Getpeername;
        if (peer && socket->state() != Socket::State::Connected)
            return linux::negative(Errno::NotConn);
        net::Name name = peer ? socket->remote() : socket->local();
        name.family = socket->family();
        if (a[1] == 0 || a[2] == 0)
            return linux::negative(Errno::Fault);
        return linux_return(put_name(space, &name, a[1], a[2]));
    }
    case linux::nr::Shutdown: {
        POSIX_SOCKET(socket, a[0]);
        return linux_return(socket->shutdown(int32_t(a[1])));
    }
    case linux::nr::Sendto:
    case linux::nr::Recvfrom: {
        POSIX_SOCKET(socket, a[0]);
        const uint32_t flags = uint32_t(a[3]);
        const Vectors v = one_vector(a[1], a[2]);
        if (call.number == linux::nr::Sendto)
            return socket_send(process, *socket, v, flags & (SendFlags | sock::MsgOob), a[4],
                               a[4] != 0 ? a[5] : 0, nullptr);
        return socket_receive(process, *socket, v, flags & (ReceiveFlags | sock::MsgOob), a[4],
                              a[4] != 0 ? a[5] : 0, nullptr);
    }
    case linux::nr::Sendmsg:
    case linux::nr::Recvmsg: {
        POSIX_SOCKET(socket, a[0]);
        linux::MsgHdr header;
        if (auto got = space.read(a[1], &header, sizeof header); !got)
            return linux_return(got);
        auto v = read_vectors(space, header.iov, header.iov_length);
        if (!v)
            return linux_return(v.error());
        const uint32_t flags = uint32_t(a[2]);
        if (call.number == linux::nr::Sendmsg) {
            if (header.control_length != 0)
                return linux::negative(Errno::OpNotSupp); // SCM_RIGHTS and credentials: not served
            return socket_send(process, *socket, v.value(), flags & (SendFlags | sock::MsgOob),
                               header.name_length != 0 ? header.name : 0, header.name_length, nullptr);
        }
        int32_t message_flags = 0;
        const uint64_t length_at = a[1] + offsetof(linux::MsgHdr, name_length);
        const int64_t got = socket_receive(process, *socket, v.value(), flags & (ReceiveFlags | sock::MsgOob),
                                           header.name, header.name != 0 ? length_at : 0, &message_flags);
        if (got < 0)
            return got;
        if (header.name == 0) {
            const uint32_t zero = 0;
            (void)space.write(length_at, &zero, sizeof zero);
        }
        const uint64_t no_control = 0;
        if (auto put = space.write(a[1] + offsetof(linux::MsgHdr, control_length), &no_control, sizeof no_control); !put)
            return linux_return(put);
        if (auto put = space.write(a[1] + offsetof(linux::MsgHdr, flags), &message_flags, sizeof message_flags); !put)
            return linux_return(put);
        return got;
    }
    case linux::nr::Setsockopt:
    case linux::nr::Getsockopt:
        return socket_option(process, call);
    default:
        return linux::negative(Errno::NoSys);
    }
}

int64_t Server::socket_option(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    AddressSpace& space = *process.space;
    POSIX_SOCKET(socket, a[0]);
    const int32_t level = int32_t(a[1]), option = int32_t(a[2]);
    Socket::Options& o = socket->options;
    const bool inet_stream = socket->family() == Family::Inet && socket->type() == net::Type::Stream;
    if (call.number == linux::nr::Setsockopt) {
        int32_t value[2] = {};
        if (int32_t(a[4]) < 0)
            return linux::negative(Errno::Inval);
        const size_t given = a[4] < sizeof value ? size_t(a[4]) : sizeof value;
        if (given < sizeof(int32_t))
            return linux::negative(Errno::Inval);
        if (auto got = space.read(a[3], value, given); !got)
            return linux_return(got);
        const bool on = value[0] != 0;
        if (level == sock::LevelTcp && inet_stream && option == sock::TcpNoDelay)
            return o.no_delay = on, 0;
        if (level != sock::LevelSocket)
            return linux::negative(level == sock::LevelTcp ? Errno::OpNotSupp : Errno::NoProtoOpt);
        switch (option) {
        case sock::OptReuseAddr: o.reuse_address = on; return 0;
        case sock::OptReusePort: o.reuse_port = on; return 0;
        case sock::OptKeepAlive: o.keep_alive = on; return 0;
        case sock::OptBroadcast: o.broadcast = on; return 0;
        case sock::OptRcvBuf: o.receive_buffer = doubled_buffer(value[0], 2304); return 0;
        case sock::OptSndBuf: o.send_buffer = doubled_buffer(value[0], 4608); return 0;
        case sock::OptLinger:
            if (given < 8)
                return linux::negative(Errno::Inval);
            o.linger_on = value[0];
            o.linger_seconds = value[1];
            return 0;
        case sock::OptRcvTimeo:
        case sock::OptSndTimeo:
        case sock::OptPassCred:
            return 0; // accepted; timeouts are not applied yet (docs/posix.md)
        default:
            return linux::negative(Errno::NoProtoOpt);
        }
    }
    int32_t room = 0;
    if (auto got = space.read(a[4], &room, sizeof room); !got)
        return linux_return(got);
    if (room < 0)
        return linux::negative(Errno::Inval);
    uint8_t answer[16] = {};
    uint32_t size = sizeof(int32_t);
    int32_t value = 0;
    if (level == sock::LevelTcp && inet_stream && option == sock::TcpNoDelay) {
        value = o.no_delay;
    } else if (level != sock::LevelSocket) {
        return linux::negative(level == sock::LevelTcp ? Errno::OpNotSupp : Errno::NoProtoOpt);
    } else {
        switch (option) {
        case sock::OptType: value = socket->type() == net::Type::Stream ? sock::Stream : sock::Datagram; break;
        case sock::OptError: value = 0; break;
        case sock::OptDomain: value = socket->family() == Family::Inet ? sock::Inet : sock::Unix; break;
        case sock::OptProtocol:
            value = socket->family() == Family::Unix ? 0
                    : socket->type() == net::Type::Stream ? sock::ProtoTcp : sock::ProtoUdp;
            break;
        case sock::OptAcceptConn: value = socket->state() == Socket::State::Listening; break;
        case sock::OptReuseAddr: value = o.reuse_address; break;
        case sock::OptReusePort: value = o.reuse_port; break;
        case sock::OptKeepAlive: value = o.keep_alive; break;
        case sock::OptBroadcast: value = o.broadcast; break;
        case sock::OptRcvBuf: value = int32_t(o.receive_buffer); break;
        case sock::OptSndBuf: value = int32_t(o.send_buffer); break;
        case sock::OptLinger: {
            const int32_t linger[2] = {o.linger_on, o.linger_seconds};
            memcpy(answer, linger, sizeof linger);
            size = sizeof linger;
            break;
        }
        case sock::OptRcvTimeo:
        case sock::OptSndTimeo:
            size = sizeof(linux::Timeval);
            break;
        default:
            return linux::negative(Errno::NoProtoOpt);
        }
    }
    if (size == sizeof(int32_t))
        memcpy(answer, &value, sizeof value);
    const uint32_t n = uint32_t(room) < size ? uint32_t(room) : size;
    if (auto put = space.write(a[3], answer, n); !put)
        return linux_return(put);
    if (auto put = space.write(a[4], &n, sizeof n); !put)
        return linux_return(put);
    return 0;
}

} // namespace tessera::posix::server

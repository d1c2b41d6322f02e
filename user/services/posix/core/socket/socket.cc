// The socket state machine.
#include "core/socket/socket.h"

#include <stdlib.h>
#include <string.h>

namespace tessera::posix::net {

Channel::Channel() : ring_(static_cast<uint8_t*>(malloc(Capacity))) {}

Channel::~Channel()
{
    free(ring_);
}

size_t Channel::put(const uint8_t* bytes, size_t length)
{
    const size_t n = length < room() ? length : room();
    const size_t tail = (head_ + count_) % Capacity;
    const size_t first = n < Capacity - tail ? n : Capacity - tail;
    memcpy(ring_ + tail, bytes, first);
    memcpy(ring_, bytes + first, n - first);
    count_ += n;
    return n;
}

size_t Channel::take(uint8_t* bytes, size_t length, bool consume)
{
    const size_t n = length < count_ ? length : count_;
    const size_t first = n < Capacity - head_ ? n : Capacity - head_;
    memcpy(bytes, ring_ + head_, first);
    memcpy(bytes + first, ring_, n - first);
    if (consume) {
        head_ = (head_ + n) % Capacity;
        count_ -= n;
    }
    return n;
}

struct Socket::Message {
    Message* next;
    Name from;
    size_t length;
    uint8_t bytes[];
};

Socket::Socket(Family family, Type type, NameTable& names)
    : family_(family), type_(type), names_(names)
{
}

Socket::~Socket()
{
    if (in_table_)
        names_.unbind(*this);
    if (out_)
        out_->writer_gone = true;
    if (in_)
        in_->reader_gone = true;
    if (pair_ != nullptr)
        pair_->pair_ = nullptr;
    drop_messages();
}

void Socket::drop_messages()
{
    while (first_ != nullptr) {
        Message* next = first_->next;
        free(first_);
        first_ = next;
    }
    last_ = nullptr;
    queued_ = queued_bytes_ = 0;
}

Result<void> Socket::bind(const Name& key, const Name& shown)
{
    if (bound() || state_ != State::Fresh)
        return Errno::Inval;
    Name table_key = key;
    Name name = shown;
    if (family_ == Family::Inet) {
        if (!is_loopback(key.address))
            return Errno::AddrNotAvail;
        if (table_key.port == 0) {
            POSIX_TRY(port, names_.free_port(type_));
            table_key.port = port;
        }
        name = table_key;
    } else if (!key.named()) {
        POSIX_TRY(autobound, names_.free_abstract_name());
        table_key = name = autobound;
    }
    POSIX_CHECK(names_.bind(table_key, type_, *this));
    in_table_ = true;
    local_ = name;
    return {};
}

Result<void> Socket::bind_ephemeral(uint32_t address)
{
    if (family_ != Family::Inet || bound())
        return {};
    Name name;
    name.family = Family::Inet;
    name.address = address;
    return bind(name, name);
}

Result<void> Socket::listen(int requested)
{
    if (type_ != Type::Stream)
        return Errno::OpNotSupp;
    if (state_ == State::Connected)
        return Errno::Inval;
    if (family_ == Family::Unix && !bound())
        return Errno::Inval;
    POSIX_CHECK(bind_ephemeral(0));
    // Linux queues backlog + 1 connections; more than it keeps is our limit.
    backlog = requested < 0 || requested >= MaxBacklog ? MaxBacklog : requested + 1;
    state_ = State::Listening;
    return {};
}

Result<void> Socket::connect(Socket& listener, const Name& destination)
{
    if (state_ == State::Connected)
        return Errno::IsConn;
    if (state_ == State::Listening)
        return Errno::Inval;
    if (listener.type_ != type_)
        return family_ == Family::Unix ? Errno::ProtoType : Errno::ConnRefused;
    if (listener.state_ != State::Listening)
        return Errno::ConnRefused;
    if (listener.backlog_count_ >= listener.backlog)
        return Errno::Again;
    // Loopback: INADDR_ANY as a destination is 127.0.0.1, as Linux routes it.
    const uint32_t host = destination.address == 0 ? Loopback : destination.address;
    POSIX_CHECK(bind_ephemeral(host));
    if (family_ == Family::Inet && local_.address == 0)
        local_.address = host; // bound to INADDR_ANY: the connection's own end is loopback
    Ref<Socket> accepted = make_ref<Socket>(family_, type_, names_);
    Ref<Channel> there = make_ref<Channel>(), back = make_ref<Channel>();
    if (!accepted || !there || !there->valid() || !back || !back->valid())
        return Errno::NoBufs;
    accepted->state_ = state_ = State::Connected;
    out_ = accepted->in_ = there;
    in_ = accepted->out_ = back;
    accepted->remote_ = local_;
    accepted->options = listener.options;
    if (family_ == Family::Inet) {
        accepted->local_ = Name{Family::Inet, 0, {}, host, listener.local_.port};
        remote_ = accepted->local_;
    } else {
        accepted->local_ = remote_ = listener.local_;
    }
    listener.backlog_[listener.backlog_count_++] = accepted;
    return {};
}

void Socket::set_peer(const Name& key, const Name& shown)
{
    peer_key_ = key;
    remote_ = shown;
    state_ = State::Connected;
}

Ref<Socket> Socket::accept()
{
    if (backlog_count_ == 0)
        return nullptr;
    Ref<Socket> first = backlog_[0];
    for (int i = 1; i < backlog_count_; ++i)
        backlog_[i - 1] = backlog_[i];
    backlog_[--backlog_count_].reset();
    return first;
}

bool Socket::pair(Socket& a, Socket& b)
{
    a.state_ = b.state_ = State::Connected;
    if (a.type_ == Type::Datagram) {
        a.pair_ = &b;
        b.pair_ = &a;
        return true;
    }
    Ref<Channel> one = make_ref<Channel>(), two = make_ref<Channel>();
    if (!one || !one->valid() || !two || !two->valid())
        return false;
    a.out_ = b.in_ = one;
    a.in_ = b.out_ = two;
    return true;
}

Result<size_t> Socket::send(const uint8_t* bytes, size_t length)
{
    if (state_ != State::Connected)
        return family_ == Family::Inet ? Errno::Pipe : Errno::NotConn;
    if (shut_write_ || out_->reader_gone)
        return Errno::Pipe;
    if (length == 0)
        return size_t(0);
    if (out_->room() == 0)
        return Errno::Again;
    return out_->put(bytes, length);
}

Result<size_t> Socket::receive(uint8_t* bytes, size_t length, bool peek)
{
    if (state_ != State::Connected)
        return family_ == Family::Inet ? Errno::NotConn : Errno::Inval;
    if (length == 0)
        return size_t(0);
    if (in_->buffered() > 0)
        return in_->take(bytes, length, !peek);
    if (in_->writer_gone || shut_read_)
        return size_t(0);
    return Errno::Again;
}

Result<void> Socket::deliver(const uint8_t* bytes, size_t length, const Name& from)
{
    if (length > max_datagram())
        return Errno::MsgSize;
    if (shut_read_)
        return family_ == Family::Unix ? Result<void>(Errno::ConnRefused) : Result<void>();
    if (queued_ >= MaxQueuedDatagrams || queued_bytes_ + length > options.receive_buffer)
        return Errno::Again;
    auto* message = static_cast<Message*>(malloc(sizeof(Message) + length));
    if (message == nullptr)
        return Errno::NoBufs;
    message->next = nullptr;
    message->from = from;
    message->length = length;
    memcpy(message->bytes, bytes, length);
    (last_ ? last_->next : first_) = message;
    last_ = message;
    ++queued_;
    queued_bytes_ += length;
    return {};
}

Result<Socket::Datagram> Socket::take_datagram(uint8_t* bytes, size_t capacity, bool peek)
{
    if (first_ == nullptr)
        return shut_read_ ? Result<Datagram>(Datagram{}) : Result<Datagram>(Errno::Again);
    Message* message = first_;
    Datagram got;
    got.full = message->length;
    got.copied = capacity < message->length ? capacity : message->length;
    got.from = message->from;
    memcpy(bytes, message->bytes, got.copied);
    if (!peek) {
        first_ = message->next;
        if (first_ == nullptr)
            last_ = nullptr;
        --queued_;
        queued_bytes_ -= message->length;
        free(message);
    }
    return got;
}

Result<void> Socket::shutdown(int how)
{
    if (how < 0 || how > 2)
        return Errno::Inval;
    if (state_ != State::Connected) {
        if (family_ == Family::Inet && state_ != State::Listening)
            return Errno::NotConn;
        return {};
    }
    if (how != 1) {
        shut_read_ = true;
        if (in_)
            in_->reader_gone = true;
    }
    if (how != 0) {
        shut_write_ = true;
        if (out_)
            out_->writer_gone = true;
    }
    return {};
}

Socket::Readiness Socket::readiness() const
{
    Readiness r;
    if (state_ == State::Listening) {
        r.in = backlog_count_ > 0;
        return r;
    }
    if (type_ == Type::Datagram) {
        r.in = first_ != nullptr || shut_read_;
        r.out = !shut_write_;
        return r;
    }
    if (state_ != State::Connected) {
        // Linux: an unconnected TCP socket is hung up; an AF_UNIX one only writable.
        r.hangup = family_ == Family::Inet;
        r.out = family_ == Family::Unix;
        return r;
    }
    const bool end = in_->writer_gone || shut_read_;
    r.in = in_->buffered() > 0 || end;
    r.read_hangup = end;
    r.hangup = end && (shut_write_ || out_->reader_gone);
    r.out = out_->room() > 0 && !shut_write_;
    return r;
}

} // namespace tessera::posix::net

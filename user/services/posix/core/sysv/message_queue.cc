#include "core/sysv/message_queue.h"

#include <string.h>

#include <new>

namespace tessera::posix::sysv {

Result<void> MessageQueue::append(int64_t type, const uint8_t* text, uint64_t size)
{
    Message* message = new (std::nothrow) Message;
    uint8_t* copy = new (std::nothrow) uint8_t[size > 0 ? size : 1];
    if (message == nullptr || copy == nullptr) {
        delete message;
        delete[] copy;
        return Errno::NoMem;
    }
    memcpy(copy, text, size);
    message->type = type;
    message->size = size;
    message->text = copy;
    if (last != nullptr)
        last->next = message;
    else
        first = message;
    last = message;
    bytes += size;
    ++count;
    return {};
}

Message* MessageQueue::select(int64_t type, uint32_t flags) const
{
    Message* lowest = nullptr;
    for (Message* m = first; m != nullptr; m = m->next) {
        if (type == 0)
            return m;
        if (type > 0) {
            const bool except = (flags & linux::sysv::MsgExcept) != 0;
            if ((m->type == type) != except)
                return m;
            continue;
        }
        // The lowest type not above -type; the first of equal ones.
        if (m->type <= -type && (lowest == nullptr || m->type < lowest->type))
            lowest = m;
    }
    return lowest;
}

void MessageQueue::unlink(Message* message)
{
    Message* before = nullptr;
    for (Message* m = first; m != nullptr; before = m, m = m->next) {
        if (m != message)
            continue;
        (before ? before->next : first) = m->next;
        if (last == m)
            last = before;
        bytes -= m->size;
        --count;
        m->next = nullptr;
        return;
    }
}

void MessageQueue::destroy(Message* message)
{
    delete[] message->text;
    delete message;
}

linux::sysv::MsqidDs MessageQueue::status() const
{
    linux::sysv::MsqidDs s{};
    s.perm = identity.perm();
    s.send_time = send_time;
    s.receive_time = receive_time;
    s.change_time = identity.change_time;
    s.bytes = bytes;
    s.count = count;
    s.max_bytes = max_bytes;
    s.last_sender = last_sender;
    s.last_receiver = last_receiver;
    return s;
}

void MessageQueue::reset()
{
    while (first != nullptr) {
        Message* m = first;
        first = m->next;
        destroy(m);
    }
    *this = MessageQueue{};
}

} // namespace tessera::posix::sysv

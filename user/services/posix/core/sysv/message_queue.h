// A System V message queue (Linux's ipc/msg.c): typed messages in the order sent, at most
// MSGMNB bytes waiting (msg_qbytes), taken by msgrcv's type rules.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result.h"
#include "core/sysv/ipc_ids.h"

namespace tessera::posix::sysv {

struct Message {
    Message* next = nullptr;
    int64_t type = 0;
    uint64_t size = 0;
    uint8_t* text = nullptr; // size bytes, owned
};

struct MessageQueue {
    Identity identity;
    Message* first = nullptr;
    Message* last = nullptr;
    uint64_t bytes = 0, count = 0, max_bytes = linux::sysv::MsgMnb;
    int64_t send_time = 0, receive_time = 0;
    int32_t last_sender = 0, last_receiver = 0;

    // Whether a message of `size` bytes fits now (Linux's test: bytes and count against
    // msg_qbytes).
    bool has_room(uint64_t size) const
    {
        return bytes + size <= max_bytes && count + 1 <= max_bytes;
    }
    // Appends a copy of `text` (the caller checked has_room): ENOMEM.
    Result<void> append(int64_t type, const uint8_t* text, uint64_t size);
    // The message msgrcv with `type` and `flags` (MSG_EXCEPT) takes: 0 the first, > 0 the first
    // of that type (or, with MSG_EXCEPT, of another), < 0 the first of the lowest type not
    // above -type. Null when none waits.
    Message* select(int64_t type, uint32_t flags) const;
    // Takes `message` out of the queue; the caller deletes it (destroy).
    void unlink(Message* message);
    static void destroy(Message* message);
    linux::sysv::MsqidDs status() const;
    void reset();
};

} // namespace tessera::posix::sysv

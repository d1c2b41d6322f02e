// The doubly linked queue of blocked threads that endpoints and notifications keep (seL4's
// tcbEPAppend / tcbEPDequeue), written once: each object stores its two ends its own way.
#pragma once

#include "tcb/tcb.h"

namespace tessera::core {

struct QueueEnds {
    Tcb* head;
    Tcb* tail;
};

// Appends `tcb` at the tail; returns the new ends.
inline QueueEnds queue_append(QueueEnds ends, Tcb& tcb)
{
    tcb.thread.queue_prev = ends.tail;
    tcb.thread.queue_next = nullptr;
    if (ends.tail != nullptr)
        ends.tail->thread.queue_next = &tcb;
    else
        ends.head = &tcb;
    ends.tail = &tcb;
    return ends;
}

// Unlinks `tcb`, which must be on this queue; returns the new ends.
inline QueueEnds queue_remove(QueueEnds ends, Tcb& tcb)
{
    if (tcb.thread.queue_prev != nullptr)
        tcb.thread.queue_prev->thread.queue_next = tcb.thread.queue_next;
    else
        ends.head = tcb.thread.queue_next;
    if (tcb.thread.queue_next != nullptr)
        tcb.thread.queue_next->thread.queue_prev = tcb.thread.queue_prev;
    else
        ends.tail = tcb.thread.queue_prev;
    tcb.thread.queue_next = tcb.thread.queue_prev = nullptr;
    return ends;
}

} // namespace tessera::core

#include "core/sysv/semaphore_undo.h"

namespace tessera::posix::sysv {

const SemaphoreUndo::Entry* SemaphoreUndo::find(int32_t tgid, int32_t id, uint16_t number) const
{
    for (const Entry& e : entries_)
        if (e.tgid == tgid && e.id == id && e.number == number)
            return &e;
    return nullptr;
}

SemaphoreUndo::Entry* SemaphoreUndo::find(int32_t tgid, int32_t id, uint16_t number)
{
    return const_cast<Entry*>(static_cast<const SemaphoreUndo*>(this)->find(tgid, id, number));
}

int32_t SemaphoreUndo::adjustment(int32_t tgid, int32_t id, uint16_t number) const
{
    const Entry* e = find(tgid, id, number);
    return e ? e->adjust : 0;
}

Result<void> SemaphoreUndo::check(int32_t tgid, int32_t id, const linux::sysv::Sembuf* operations,
                                  size_t n) const
{
    size_t free = 0;
    for (const Entry& e : entries_)
        free += e.tgid == 0;
    size_t wanted = 0;
    for (size_t i = 0; i < n; ++i) {
        const linux::sysv::Sembuf& o = operations[i];
        if (!(o.flags & linux::sysv::SemUndo) || o.operation == 0)
            continue;
        // The adjustment as the operations before this one of the call left it.
        int32_t adjust = adjustment(tgid, id, o.number);
        bool seen = false;
        for (size_t j = 0; j < i; ++j) {
            const linux::sysv::Sembuf& p = operations[j];
            if (p.number == o.number && (p.flags & linux::sysv::SemUndo)) {
                adjust -= p.operation;
                seen = seen || p.operation != 0;
            }
        }
        adjust -= o.operation;
        if (adjust < -MaxAdjust - 1 || adjust > MaxAdjust)
            return Errno::Range;
        if (!seen && find(tgid, id, o.number) == nullptr)
            ++wanted;
    }
    if (wanted > free)
        return Errno::NoMem;
    return {};
}

void SemaphoreUndo::record(int32_t tgid, int32_t id, const linux::sysv::Sembuf* operations,
                           size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        const linux::sysv::Sembuf& o = operations[i];
        if (!(o.flags & linux::sysv::SemUndo) || o.operation == 0)
            continue;
        Entry* e = find(tgid, id, o.number);
        for (size_t k = 0; e == nullptr && k < Capacity; ++k)
            if (entries_[k].tgid == 0) {
                e = &entries_[k];
                *e = {tgid, id, o.number, 0};
            }
        if (e != nullptr) // check() made sure of the room
            e->adjust -= o.operation;
    }
}

void SemaphoreUndo::forget(int32_t id, int32_t number)
{
    for (Entry& e : entries_)
        if (e.tgid != 0 && e.id == id && (number < 0 || e.number == number))
            e = Entry{};
}

} // namespace tessera::posix::sysv

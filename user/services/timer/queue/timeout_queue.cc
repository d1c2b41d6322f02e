// The timer service's timeout heap (timeout_queue.h).
#include "timeout_queue.h"

namespace tessera::timer {

void TimeoutQueue::place(uint32_t index, const Entry& entry)
{
    heap_[index] = entry;
    position_[entry.key] = static_cast<uint16_t>(index + 1);
}

void TimeoutQueue::sift_up(uint32_t index)
{
    const Entry moving = heap_[index];
    while (index > 0) {
        const uint32_t parent = (index - 1) / 2;
        if (!before(moving, heap_[parent]))
            break;
        place(index, heap_[parent]);
        index = parent;
    }
    place(index, moving);
}

void TimeoutQueue::sift_down(uint32_t index)
{
    const Entry moving = heap_[index];
    for (;;) {
        const uint32_t left = 2 * index + 1;
        if (left >= size_)
            break;
        const uint32_t right = left + 1;
        const uint32_t child = right < size_ && before(heap_[right], heap_[left]) ? right : left;
        if (!before(heap_[child], moving))
            break;
        place(index, heap_[child]);
        index = child;
    }
    place(index, moving);
}

void TimeoutQueue::remove_at(uint32_t index)
{
    position_[heap_[index].key] = 0;
    --size_;
    if (index == size_)
        return;
    // The last entry fills the hole and moves whichever way its deadline says.
    place(index, heap_[size_]);
    restore(index);
}

void TimeoutQueue::restore(uint32_t index)
{
    if (index > 0 && before(heap_[index], heap_[(index - 1) / 2]))
        sift_up(index);
    else
        sift_down(index);
}

void TimeoutQueue::set(TimeoutId id, Instant deadline)
{
    const uint32_t k = key(id);
    const Entry entry{deadline.nanoseconds(), next_sequence_++, k};
    if (position_[k] != 0) {
        // Replace in place, then restore the order from there.
        const uint32_t index = position_[k] - 1u;
        place(index, entry);
        restore(index);
        return;
    }
    place(size_, entry);
    ++size_;
    sift_up(size_ - 1);
}

bool TimeoutQueue::cancel(TimeoutId id)
{
    const uint32_t k = key(id);
    if (position_[k] == 0)
        return false;
    remove_at(position_[k] - 1u);
    return true;
}

} // namespace tessera::timer

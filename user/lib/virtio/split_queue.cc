// The split virtqueue. Memory order: the driver fills descriptors and ring entries, then a
// release store of the available index publishes them; the device's used index is read with
// acquire before its entries. Full fences order an index store against the reads of the other
// side's event word or flags (Virtio 1.1, 2.6.7 and 2.6.10).
#include <tessera/virtio/split_queue.h>

#include <string.h>

namespace tessera::virtio {
namespace {

// Virtio 1.1, 2.6.7.2: notify when the device's event index lies in [old, new).
bool need_event(uint16_t event, uint16_t new_index, uint16_t old_index)
{
    return uint16_t(new_index - event - 1) < uint16_t(new_index - old_index);
}

uint16_t load_acquire(volatile uint16_t* word)
{
    return __atomic_load_n(const_cast<uint16_t*>(word), __ATOMIC_ACQUIRE);
}

void store_release(volatile uint16_t* word, uint16_t value)
{
    __atomic_store_n(const_cast<uint16_t*>(word), value, __ATOMIC_RELEASE);
}

} // namespace

libos::Result<void> SplitQueue::init(uint16_t size, const QueueMemory& memory, bool event_index)
{
    if (size == 0 || size > MaxSize || (size & (size - 1)) != 0)
        return libos::make_error(seL4_InvalidArgument, "virtio: queue size is not a power of two up to 1024");
    if (memory.descriptors == nullptr || memory.available == nullptr || memory.used == nullptr)
        return libos::make_error(seL4_InvalidArgument, "virtio: queue memory missing");
    table_ = static_cast<Descriptor*>(memory.descriptors);
    available_ = static_cast<uint8_t*>(memory.available);
    used_ = static_cast<uint8_t*>(memory.used);
    size_ = size;
    memset(table_, 0, descriptor_table_bytes(size));
    memset(available_, 0, available_ring_bytes(size));
    memset(used_, 0, used_ring_bytes(size));
    for (uint16_t i = 0; i < size; ++i)
        table_[i].next = static_cast<uint16_t>(i + 1);
    free_head_ = 0;
    free_count_ = size;
    next_available_ = published_ = last_used_ = 0;
    outstanding_ = 0;
    event_index_ = event_index;
    broken_ = false;
    memset(heads_, 0, sizeof heads_);
    return {};
}

volatile uint16_t* SplitQueue::available_flags() const
{
    return reinterpret_cast<volatile uint16_t*>(available_);
}
volatile uint16_t* SplitQueue::available_index() const
{
    return reinterpret_cast<volatile uint16_t*>(available_ + 2);
}
volatile uint16_t* SplitQueue::available_entry(uint16_t slot) const
{
    return reinterpret_cast<volatile uint16_t*>(available_ + 4 + 2 * (slot & (size_ - 1)));
}
volatile uint16_t* SplitQueue::used_event() const
{
    return reinterpret_cast<volatile uint16_t*>(available_ + 4 + 2 * size_);
}
volatile uint16_t* SplitQueue::used_flags() const
{
    return reinterpret_cast<volatile uint16_t*>(used_);
}
volatile uint16_t* SplitQueue::used_index() const
{
    return reinterpret_cast<volatile uint16_t*>(used_ + 2);
}
volatile UsedElement* SplitQueue::used_entry(uint16_t slot) const
{
    return reinterpret_cast<volatile UsedElement*>(used_ + 4 + 8 * (slot & (size_ - 1)));
}
volatile uint16_t* SplitQueue::available_event() const
{
    return reinterpret_cast<volatile uint16_t*>(used_ + 4 + 8 * size_);
}

libos::Result<uint16_t> SplitQueue::add(const Buffer* buffers, uint16_t count)
{
    if (count == 0 || broken_)
        return libos::make_error(seL4_InvalidArgument, "virtio: empty chain or broken queue");
    if (count > free_count_)
        return libos::make_error(seL4_NotEnoughMemory, "virtio: not enough free descriptors");
    const uint16_t head = free_head_;
    uint16_t index = head;
    for (uint16_t i = 0; i < count; ++i) {
        Descriptor& descriptor = table_[index];
        const uint16_t following = descriptor.next; // the free list's link
        descriptor.address = buffers[i].address;
        descriptor.length = buffers[i].bytes;
        descriptor.flags = static_cast<uint16_t>((buffers[i].device_writes ? DescriptorWrite : 0) |
                                                 (i + 1 < count ? DescriptorNext : 0));
        if (i + 1 < count)
            index = following;
        else
            free_head_ = following;
    }
    free_count_ = static_cast<uint16_t>(free_count_ - count);
    chain_length_[head] = count;
    heads_[head / 64] |= uint64_t(1) << (head % 64);
    *available_entry(next_available_) = head;
    ++next_available_;
    ++outstanding_;
    return head;
}

bool SplitQueue::publish()
{
    const uint16_t old_index = published_;
    if (old_index == next_available_)
        return false;
    store_release(available_index(), next_available_);
    published_ = next_available_;
    // The index store must be visible before the device's event word is read, or a device
    // going to sleep at this moment could be missed.
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (event_index_)
        return need_event(*available_event(), next_available_, old_index);
    return (*used_flags() & UsedNoNotify) == 0;
}

void SplitQueue::free_chain(uint16_t head)
{
    // Walk the driver's own record of the chain length, not the device-visible flags.
    uint16_t index = head;
    for (uint16_t i = 1; i < chain_length_[head]; ++i)
        index = table_[index].next;
    table_[index].next = free_head_;
    free_head_ = head;
    free_count_ = static_cast<uint16_t>(free_count_ + chain_length_[head]);
    heads_[head / 64] &= ~(uint64_t(1) << (head % 64));
    --outstanding_;
}

bool SplitQueue::take_used(uint16_t& head, uint32_t& written)
{
    if (broken_ || size_ == 0)
        return false;
    const uint16_t device_index = load_acquire(used_index());
    if (device_index == last_used_)
        return false;
    // More used entries than chains outstanding: the device is confused; trust nothing more.
    if (uint16_t(device_index - last_used_) > outstanding_) {
        broken_ = true;
        return false;
    }
    const UsedElement element{used_entry(last_used_)->id, used_entry(last_used_)->length};
    if (element.id >= size_ || (heads_[element.id / 64] & (uint64_t(1) << (element.id % 64))) == 0) {
        broken_ = true;
        return false;
    }
    ++last_used_;
    if (event_index_)
        store_release(used_event(), last_used_);
    head = static_cast<uint16_t>(element.id);
    written = element.length;
    free_chain(head);
    return true;
}

bool SplitQueue::prepare_to_sleep()
{
    if (event_index_)
        store_release(used_event(), last_used_);
    else
        *available_flags() = 0; // interrupts on (the driver never turns them off otherwise)
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return load_acquire(used_index()) == last_used_;
}

} // namespace tessera::virtio

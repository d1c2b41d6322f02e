// Split virtqueues, device side (virtqueue_device.h).
#include "virtqueue_device.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

constexpr uint16_t DescNext = 1, DescWrite = 2, DescIndirect = 4;
constexpr uint16_t AvailNoInterrupt = 1;
constexpr uint64_t DescriptorBytes = 16;
constexpr uint16_t MaxQueueSize = 32768;

libos::Error refuse(const char* why)
{
    return libos::make_error(seL4_InvalidArgument, why);
}

bool in_ram(GuestRam ram, uint64_t address, uint64_t bytes)
{
    return address <= ram.size && bytes <= ram.size - address;
}

struct Descriptor {
    uint64_t address;
    uint32_t length;
    uint16_t flags;
    uint16_t next;
};

Descriptor load_descriptor(GuestRam ram, uint64_t at)
{
    Descriptor d;
    memcpy(&d.address, ram.data + at, 8); // little-endian guest on a little-endian host
    memcpy(&d.length, ram.data + at + 8, 4);
    memcpy(&d.flags, ram.data + at + 12, 2);
    memcpy(&d.next, ram.data + at + 14, 2);
    return d;
}

} // namespace

libos::Result<VirtqueueDevice> VirtqueueDevice::create(GuestRam ram, const VirtqueueLayout& layout)
{
    uint64_t size = layout.size;
    if (size == 0 || size > MaxQueueSize || (size & (size - 1)) != 0)
        return refuse("virtqueue: size is not a power of two up to 32768");
    if (layout.descriptors % 16 != 0 || layout.available % 2 != 0 || layout.used % 4 != 0)
        return refuse("virtqueue: ring misaligned");
    // Available: flags, idx, ring, used_event; used: flags, idx, ring of 8-byte elements,
    // avail_event.
    if (!in_ram(ram, layout.descriptors, DescriptorBytes * size) ||
        !in_ram(ram, layout.available, 6 + 2 * size) || !in_ram(ram, layout.used, 6 + 8 * size))
        return refuse("virtqueue: ring outside guest RAM");
    return VirtqueueDevice(ram, layout);
}

uint16_t VirtqueueDevice::load16(uint64_t address) const
{
    uint16_t value;
    memcpy(&value, ram_.data + address, 2);
    return value;
}

libos::Result<void> VirtqueueDevice::append(DescriptorChain& chain, uint64_t address,
                                            uint32_t length, bool device_writes) const
{
    if (chain.count >= MaxChainSegments)
        return refuse("virtqueue: chain longer than the device accepts");
    if (!in_ram(ram_, address, length))
        return refuse("virtqueue: buffer outside guest RAM");
    if (!device_writes && chain.writable_bytes != 0)
        return refuse("virtqueue: readable buffer after a writable one");
    chain.segments[chain.count++] = BufferSegment{address, length, device_writes};
    (device_writes ? chain.writable_bytes : chain.readable_bytes) += length;
    return {};
}

libos::Result<void> VirtqueueDevice::walk_indirect(DescriptorChain& chain, uint64_t table,
                                                   uint32_t bytes) const
{
    if (bytes == 0 || bytes % DescriptorBytes != 0 || !in_ram(ram_, table, bytes))
        return refuse("virtqueue: bad indirect table");
    uint64_t entries = bytes / DescriptorBytes;
    uint64_t index = 0;
    for (uint64_t steps = 0;; ++steps) {
        if (steps >= entries)
            return refuse("virtqueue: indirect chain loops");
        Descriptor d = load_descriptor(ram_, table + index * DescriptorBytes);
        if (d.flags & DescIndirect)
            return refuse("virtqueue: nested indirect table");
        auto added = append(chain, d.address, d.length, (d.flags & DescWrite) != 0);
        if (!added)
            return added.error();
        if ((d.flags & DescNext) == 0)
            return {};
        if (d.next >= entries)
            return refuse("virtqueue: indirect next index out of range");
        index = d.next;
    }
}

libos::Result<bool> VirtqueueDevice::next(DescriptorChain& chain)
{
    uint16_t available_index = load16(layout_.available + 2);
    __atomic_thread_fence(__ATOMIC_ACQUIRE); // ring entries after the index (virtio 2.7.13)
    uint16_t pending = static_cast<uint16_t>(available_index - next_available_);
    if (pending == 0)
        return false;
    if (pending > layout_.size)
        return refuse("virtqueue: available index ran more than a queue ahead");

    uint16_t head = load16(layout_.available + 4 + 2 * (next_available_ % layout_.size));
    if (head >= layout_.size)
        return refuse("virtqueue: head index out of range");
    chain.head = head;
    chain.count = 0;
    chain.readable_bytes = 0;
    chain.writable_bytes = 0;

    uint16_t index = head;
    for (unsigned steps = 0;; ++steps) {
        if (steps >= layout_.size)
            return refuse("virtqueue: descriptor chain loops");
        Descriptor d = load_descriptor(ram_, layout_.descriptors + index * DescriptorBytes);
        if (d.flags & DescIndirect) {
            if (d.flags & DescNext)
                return refuse("virtqueue: indirect descriptor with NEXT");
            auto walked = walk_indirect(chain, d.address, d.length);
            if (!walked)
                return walked.error();
            break;
        }
        auto added = append(chain, d.address, d.length, (d.flags & DescWrite) != 0);
        if (!added)
            return added.error();
        if ((d.flags & DescNext) == 0)
            break;
        if (d.next >= layout_.size)
            return refuse("virtqueue: next index out of range");
        index = d.next;
    }
    ++next_available_;
    return true;
}

void VirtqueueDevice::complete(uint16_t head, uint32_t written)
{
    uint64_t element = layout_.used + 4 + 8 * (next_used_ % layout_.size);
    uint32_t id = head;
    memcpy(ram_.data + element, &id, 4);
    memcpy(ram_.data + element + 4, &written, 4);
    ++next_used_;
    __atomic_thread_fence(__ATOMIC_RELEASE); // the element before the index the driver polls
    memcpy(ram_.data + layout_.used + 2, &next_used_, 2);
}

bool VirtqueueDevice::driver_wants_interrupt() const
{
    return (load16(layout_.available) & AvailNoInterrupt) == 0;
}

} // namespace tessera::services::vmm

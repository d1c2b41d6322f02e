// Split virtqueues, device side (virtqueue_device.h).
#include "virtqueue_device.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

using virtio::Descriptor;

libos::Error refuse(const char* why)
{
    return libos::make_error(seL4_InvalidArgument, why);
}

bool in_ram(GuestRam ram, uint64_t address, uint64_t bytes)
{
    return address <= ram.size && bytes <= ram.size - address;
}

Descriptor load_descriptor(GuestRam ram, uint64_t at)
{
    Descriptor d;
    memcpy(&d, ram.data + at, sizeof d); // little-endian guest on a little-endian host
    return d;
}

} // namespace

libos::Result<VirtqueueDevice> VirtqueueDevice::create(GuestRam ram, const VirtqueueLayout& layout)
{
    uint64_t size = layout.size;
    if (size == 0 || size > virtio::MaxQueueSize || (size & (size - 1)) != 0)
        return refuse("virtqueue: size is not a power of two up to 32768");
    if (layout.descriptors % virtio::DescriptorTableAlign != 0 ||
        layout.available % virtio::AvailableRingAlign != 0 || layout.used % virtio::UsedRingAlign != 0)
        return refuse("virtqueue: ring misaligned");
    if (!in_ram(ram, layout.descriptors, virtio::descriptor_table_bytes(size)) ||
        !in_ram(ram, layout.available, virtio::available_ring_bytes(size)) ||
        !in_ram(ram, layout.used, virtio::used_ring_bytes(size)))
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
    if (bytes == 0 || bytes % sizeof(Descriptor) != 0 || !in_ram(ram_, table, bytes))
        return refuse("virtqueue: bad indirect table");
    uint64_t entries = bytes / sizeof(Descriptor);
    uint64_t index = 0;
    for (uint64_t steps = 0;; ++steps) {
        if (steps >= entries)
            return refuse("virtqueue: indirect chain loops");
        Descriptor d = load_descriptor(ram_, table + index * sizeof(Descriptor));
        if (d.flags & virtio::DescriptorIndirect)
            return refuse("virtqueue: nested indirect table");
        auto added = append(chain, d.address, d.length, (d.flags & virtio::DescriptorWrite) != 0);
        if (!added)
            return added.error();
        if ((d.flags & virtio::DescriptorNext) == 0)
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
        Descriptor d = load_descriptor(ram_, layout_.descriptors + index * sizeof(Descriptor));
        if (d.flags & virtio::DescriptorIndirect) {
            if (d.flags & virtio::DescriptorNext)
                return refuse("virtqueue: indirect descriptor with NEXT");
            auto walked = walk_indirect(chain, d.address, d.length);
            if (!walked)
                return walked.error();
            break;
        }
        auto added = append(chain, d.address, d.length, (d.flags & virtio::DescriptorWrite) != 0);
        if (!added)
            return added.error();
        if ((d.flags & virtio::DescriptorNext) == 0)
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
    uint64_t element = layout_.used + 4 + sizeof(virtio::UsedElement) * (next_used_ % layout_.size);
    const virtio::UsedElement used{head, written};
    memcpy(ram_.data + element, &used, sizeof used);
    ++next_used_;
    __atomic_thread_fence(__ATOMIC_RELEASE); // the element before the index the driver polls
    memcpy(ram_.data + layout_.used + 2, &next_used_, 2);
}

bool VirtqueueDevice::driver_wants_interrupt() const
{
    return (load16(layout_.available) & virtio::AvailNoInterrupt) == 0;
}

} // namespace tessera::services::vmm

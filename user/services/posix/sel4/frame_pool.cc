// Frames from untyped memory, mapped in the server's window and recycled through a free list.
#include "sel4/frame_pool.h"

#include <stdlib.h>
#include <string.h>

namespace tessera::posix::sel4 {

FramePool::FramePool(alloc::ObjectAllocator& objects, PageTables& self, uint64_t window,
                     size_t capacity)
    : objects_(objects), self_(self), window_(window), capacity_(capacity),
      records_(static_cast<Frame*>(calloc(capacity, sizeof(Frame))))
{
    if (records_ == nullptr)
        capacity_ = 0;
}

FramePool::~FramePool()
{
    ::free(records_);
}

Frame* FramePool::make()
{
    if (made_ == capacity_ || !free_.reserve(made_ + 1))
        return nullptr;
    auto frame = objects_.frame();
    if (!frame)
        return nullptr;
    const uint64_t address = window_ + made_ * PageSize;
    const seL4_CPtr cap = libos::raw(frame.value().cap);
    if (self_.map(cap, address, seL4_ReadWrite) != seL4_NoError) {
        (void)objects_.free(frame.value());
        return nullptr;
    }
    Frame* record = &records_[made_++];
    record->data = reinterpret_cast<uint8_t*>(address);
    record->platform = cap;
    record->references = 0;
    return record; // fresh from the untyped: already zero
}

Frame* FramePool::allocate()
{
    if (free_.size() == 0)
        return make();
    Frame* frame = free_[free_.size() - 1];
    free_.pop_back();
    memset(frame->data, 0, PageSize);
    return frame;
}

void FramePool::free(Frame* frame)
{
    // make() reserved room for every frame it made, so this never allocates.
    (void)free_.push_back(frame);
}

} // namespace tessera::posix::sel4

#include "core/sysv/segment.h"

#include <new>

namespace tessera::posix::sysv {

namespace {

uint64_t page_count(uint64_t size)
{
    return page_up(size) / PageSize;
}

} // namespace

Ref<SegmentMemory> SegmentMemory::make(FramePool& frames, uint64_t size)
{
    const uint64_t count = page_count(size);
    Frame** pages = new (std::nothrow) Frame*[count > 0 ? count : 1]();
    if (pages == nullptr)
        return nullptr;
    Ref<SegmentMemory> memory(new (std::nothrow) SegmentMemory(frames, size, pages));
    if (!memory)
        delete[] pages;
    return memory;
}

SegmentMemory::SegmentMemory(FramePool& frames, uint64_t size, Frame** pages)
    : frames_(frames), size_(size), pages_(pages)
{
}

SegmentMemory::~SegmentMemory()
{
    for (uint64_t i = 0; i < page_count(size_); ++i) {
        if (pages_[i] != nullptr)
            frames_.release(pages_[i]);
    }
    delete[] pages_;
}

Result<Frame*> SegmentMemory::page(uint64_t index)
{
    if (index >= page_count(size_))
        return Errno::Fault;
    if (pages_[index] == nullptr) {
        Frame* frame = frames_.allocate(); // zero-filled
        if (frame == nullptr)
            return Errno::NoMem;
        frames_.acquire(frame);
        pages_[index] = frame;
        ++resident_;
    }
    return pages_[index];
}

linux::sysv::ShmidDs Segment::status(uint64_t attached) const
{
    linux::sysv::ShmidDs s{};
    s.perm = identity.perm();
    s.size = size;
    s.attach_time = attach_time;
    s.detach_time = detach_time;
    s.change_time = identity.change_time;
    s.creator = creator;
    s.last_operator = last_operator;
    s.attached = attached;
    return s;
}

} // namespace tessera::posix::sysv

// The server's frames on seL4: 4 KiB frames retyped from untyped memory on first need, each
// mapped once into the server's own window (its bytes, Frame::data) and kept for reuse; the
// capability (Frame::platform) is what a process mapping copies.
#pragma once

#include "core/vm/frame.h"
#include "sel4/page_tables.h"

namespace tessera::posix::sel4 {

class FramePool final : public posix::FramePool {
public:
    // Frames go at [window, window + capacity pages) of the server's address space, whose paging
    // structures `self` makes.
    FramePool(alloc::ObjectAllocator& objects, PageTables& self, uint64_t window, size_t capacity);
    ~FramePool() override;

    Frame* allocate() override;
    void free(Frame* frame) override;
    size_t available() const override { return capacity_ - made_ + free_.size(); }
    size_t total() const override { return capacity_; }
    size_t made() const { return made_; }

private:
    Frame* make();

    alloc::ObjectAllocator& objects_;
    PageTables& self_;
    uint64_t window_;
    size_t capacity_;
    Frame* records_;
    size_t made_ = 0;
    Vector<Frame*> free_;
};

} // namespace tessera::posix::sel4

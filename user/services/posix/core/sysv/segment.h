// A System V shared memory segment (Linux's ipc/shm.c): zero-filled pages made on first touch,
// shared by every attachment (shmat maps the object MAP_SHARED), so fork's children and
// unrelated processes that attach the id see the same frames.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/ref.h"
#include "core/result.h"
#include "core/sysv/ipc_ids.h"
#include "core/vm/frame.h"
#include "core/vm/memory_object.h"

namespace tessera::posix::sysv {

class SegmentMemory : public MemoryObject {
public:
    // `size` bytes (rounded up to pages when mapped); empty when memory runs out.
    static Ref<SegmentMemory> make(FramePool& frames, uint64_t size);
    ~SegmentMemory() override;

    Result<Frame*> page(uint64_t index) override;
    uint64_t mapped_size() const override { return size_; }
    uint64_t resident_pages() const { return resident_; }

private:
    SegmentMemory(FramePool& frames, uint64_t size, Frame** pages);
    FramePool& frames_;
    uint64_t size_;
    Frame** pages_;
    uint64_t resident_ = 0;
};

struct Segment {
    Identity identity;
    uint64_t size = 0;
    Ref<SegmentMemory> memory;
    int32_t creator = 0, last_operator = 0;
    int64_t attach_time = 0, detach_time = 0;

    // `attached`: how many attachments exist (the server counts the mappings).
    linux::sysv::ShmidDs status(uint64_t attached) const;
    void reset() { *this = Segment{}; }
};

} // namespace tessera::posix::sysv

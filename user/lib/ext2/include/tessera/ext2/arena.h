// The memory the file system works in: one region handed over at mount, carved up once for the
// block cache, the open-inode table and scratch buffers. Nothing is freed until the region is.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::ext2 {

class Arena {
public:
    Arena(void* base, size_t size) : next_(reinterpret_cast<uintptr_t>(base)), end_(next_ + size) {}

    // size bytes aligned to align (a power of two), or nullptr when the region is used up.
    void* allocate(size_t size, size_t align = alignof(max_align_t))
    {
        uintptr_t start = (next_ + align - 1) & ~(uintptr_t{align} - 1);
        if (start < next_ || start > end_ || end_ - start < size)
            return nullptr;
        next_ = start + size;
        return reinterpret_cast<void*>(start);
    }

    template <class T> T* allocate_array(size_t count)
    {
        if (count > SIZE_MAX / sizeof(T))
            return nullptr;
        return static_cast<T*>(allocate(sizeof(T) * count, alignof(T)));
    }

    size_t remaining() const { return end_ - next_; }

private:
    uintptr_t next_;
    uintptr_t end_;
};

} // namespace tessera::ext2

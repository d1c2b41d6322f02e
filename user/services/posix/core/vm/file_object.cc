#include "core/vm/file_object.h"

#include <string.h>

#include <new>

namespace tessera::posix {

namespace {

uint64_t page_count(uint64_t size) { return page_up(size) / PageSize; }

} // namespace

Ref<FileObject> FileObject::make(FramePool& frames, const uint8_t* bytes, uint64_t size,
                                 bool owned)
{
    const uint64_t count = page_count(size);
    Frame** pages = new (std::nothrow) Frame*[count > 0 ? count : 1]();
    if (pages == nullptr)
        return nullptr;
    Ref<FileObject> object(new (std::nothrow) FileObject(frames, bytes, size, owned, pages));
    if (!object)
        delete[] pages;
    return object;
}

FileObject::FileObject(FramePool& frames, const uint8_t* bytes, uint64_t size, bool owned,
                       Frame** pages)
    : frames_(frames), bytes_(bytes), size_(size), owned_(owned), pages_(pages)
{
}

FileObject::~FileObject()
{
    for (uint64_t i = 0; i < page_count(size_); ++i) {
        if (pages_[i] != nullptr)
            frames_.release(pages_[i]);
    }
    delete[] pages_;
    if (owned_)
        delete[] bytes_;
}

Result<Frame*> FileObject::page(uint64_t index)
{
    if (index >= page_count(size_))
        return Errno::Fault;
    if (pages_[index] != nullptr)
        return pages_[index];
    Frame* frame = frames_.allocate();
    if (frame == nullptr)
        return Errno::NoMem;
    // The pool's frames are zero-filled: past the file's end the last page stays zero.
    const uint64_t offset = index * PageSize;
    const uint64_t length = size_ - offset < PageSize ? size_ - offset : PageSize;
    memcpy(frame->data, bytes_ + offset, length);
    frames_.acquire(frame);
    pages_[index] = frame;
    ++filled_;
    return frame;
}

} // namespace tessera::posix

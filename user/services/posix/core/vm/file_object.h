// A file's pages for mappings: frames filled from the file's bytes the first time a page is
// asked for, then kept, so that every process mapping the file shares them (private mappings
// copy a page only when they write it). execve maps programs this way: the text of a program run
// a thousand times is in memory once, and only the pages a run touches are ever filled.
//
// The bytes are a snapshot: a file on a writable volume is copied into the server's heap when the
// object is made (the object owns the copy), so a program keeps running the file it started
// from, as Linux's ETXTBSY guarantees; an immutable volume's bytes are used in place.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/ref.h"
#include "core/vm/memory_object.h"

namespace tessera::posix {

class FileObject : public MemoryObject {
public:
    // An object over `size` bytes at `bytes`; `owned` says the object frees them (delete[]).
    // Empty when memory for it runs out (ENOMEM for the caller, who still owns the bytes).
    static Ref<FileObject> make(FramePool& frames, const uint8_t* bytes, uint64_t size, bool owned);
    ~FileObject() override;

    Result<Frame*> page(uint64_t index) override;
    uint64_t mapped_size() const override { return size_; }
    const uint8_t* bytes() const { return bytes_; }

    // Pages filled so far (each holds one reference of the object's own).
    uint64_t filled_pages() const { return filled_; }

private:
    FileObject(FramePool& frames, const uint8_t* bytes, uint64_t size, bool owned, Frame** pages);

    FramePool& frames_;
    const uint8_t* bytes_;
    uint64_t size_;
    bool owned_;
    Frame** pages_; // one per page of the file, null until filled
    uint64_t filled_ = 0;
};

} // namespace tessera::posix

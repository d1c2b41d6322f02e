// Something whose pages a process can map: a regular file's page cache, a shared anonymous
// mapping, a System V shared-memory segment. Pages are frames the object keeps referenced; a
// mapping takes its own reference per page-table entry.
#pragma once

#include <stdint.h>

#include "core/ref.h"
#include "core/result.h"
#include "core/vm/frame.h"

namespace tessera::posix {

class MemoryObject : public RefCounted {
public:
    // The frame holding page `index` (byte offset index * PageSize), made and filled if needed.
    // Past the end of the object: EFAULT for a file (the program gets SIGBUS), the frame for an
    // anonymous object, which has no end. ENOMEM when no frame is left.
    virtual Result<Frame*> page(uint64_t index) = 0;
    // The object's size in bytes (mappings past it fault with SIGBUS).
    virtual uint64_t mapped_size() const = 0;
    // Called when a shared mapping wrote to page `index` (e.g. to update modification times).
    virtual void page_written(uint64_t) {}
};

} // namespace tessera::posix

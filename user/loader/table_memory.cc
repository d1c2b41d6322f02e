// Heap tables are never freed (the loader runs once); mapped ones go with the loader.
#include "table_memory.h"

#include <stdlib.h>

namespace tessera::loader {
namespace {

using libos::make_error;

constexpr uint64_t Alignment = 16;

uint64_t aligned(uint64_t bytes) { return (bytes + Alignment - 1) / Alignment * Alignment; }

} // namespace

libos::Result<void> TableMemory::reserve(uint64_t bytes)
{
    bytes = aligned(bytes);
    if (bytes <= HeapLimit) {
        next_ = static_cast<uint8_t*>(calloc(1, bytes));
        if (next_ == nullptr)
            return make_error(seL4_NotEnoughMemory, "the loader's tables do not fit its heap");
    } else {
        auto mapped = pages_.map(bytes);
        if (!mapped)
            return mapped.error();
        next_ = mapped.value();
    }
    end_ = next_ + bytes;
    return {};
}

void* TableMemory::take_bytes(uint64_t bytes)
{
    bytes = aligned(bytes);
    if (next_ == nullptr || bytes > uint64_t(end_ - next_))
        return nullptr;
    void* taken = next_;
    next_ += bytes;
    return taken;
}

} // namespace tessera::loader

// Laying out one thread's TLS block and thread control block in a caller-provided area.
#include <tessera/runtime/tls.h>

#include <string.h>

namespace tessera::runtime {
namespace {

constexpr size_t MinimumAlign = 16; // the System V stack and SSE alignment

bool is_well_formed(const TlsImage& image)
{
    return image.align != 0 && (image.align & (image.align - 1)) == 0 &&
           image.file_size <= image.memory_size && (image.file_size == 0 || image.data != nullptr);
}

// The thread pointer's alignment: at least the image's, so the block below it is aligned too.
size_t pointer_align(const TlsImage& image)
{
    return image.align > MinimumAlign ? image.align : MinimumAlign;
}

// The linker places the image at tp - align_up(memory_size, align) (its static TLS size; x86_64
// TLS offsets are negative), so the block is exactly that long.
size_t block_bytes(const TlsImage& image)
{
    return (image.memory_size + image.align - 1) & ~(image.align - 1);
}

} // namespace

size_t tls_area_size(const TlsImage& image)
{
    if (!is_well_formed(image))
        return 0;
    // Up to align - 1 bytes are lost aligning the thread pointer inside an unaligned area.
    return block_bytes(image) + pointer_align(image) - 1 + ThreadControlBytes;
}

uintptr_t tls_layout(const TlsImage& image, void* area, size_t size)
{
    if (!is_well_formed(image) || area == nullptr)
        return 0;
    const size_t align = pointer_align(image);
    const size_t block = block_bytes(image);
    const uintptr_t base = reinterpret_cast<uintptr_t>(area);
    if (size < block + ThreadControlBytes || base + size < base)
        return 0;
    const uintptr_t thread_pointer = (base + block + align - 1) & ~(align - 1);
    if (thread_pointer + ThreadControlBytes > base + size)
        return 0;
    unsigned char* start = reinterpret_cast<unsigned char*>(thread_pointer - block);
    memset(start, 0, block + ThreadControlBytes);
    if (image.file_size > 0)
        memcpy(start, image.data, image.file_size);
    *reinterpret_cast<uintptr_t*>(thread_pointer) = thread_pointer;
    return thread_pointer;
}

} // namespace tessera::runtime

// Thread-local storage blocks for x86_64 ("variant II" of the ELF TLS ABI): a thread's block sits
// just below its thread pointer (FS base), and the word at the thread pointer holds the pointer
// itself. Portable: the same code lays out blocks in a component and in host tests.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::runtime {

// A program's TLS template: its PT_TLS segment as loaded in memory.
struct TlsImage {
    const void* data = nullptr; // the initialised part (.tdata), file_size bytes
    size_t file_size = 0;
    size_t memory_size = 0; // .tdata + .tbss
    size_t align = 1;       // a power of two
};

// Bytes above the thread pointer given to the thread control block. Word 0 is the self pointer
// the ABI requires; the rest stays zero (GCC's stack protector would read its canary at 0x28).
inline constexpr size_t ThreadControlBytes = 64;

// The running program's TLS template, found through its own ELF header (__ehdr_start) and
// adjusted by the load bias, so it is right for a static component and a host PIE alike. An empty
// image when the program has no PT_TLS segment.
TlsImage program_tls_image();

// Bytes an area of any alignment needs to hold one thread's block for `image`; 0 when the
// image is malformed (alignment not a power of two, file size above memory size).
size_t tls_area_size(const TlsImage& image);

// Copies `image` into a fresh block inside [area, area + size), zeroes .tbss and the thread
// control block, stores the self pointer, and returns the thread pointer to load into FS base.
// 0 (and nothing written) when the area is too small or the image malformed.
uintptr_t tls_layout(const TlsImage& image, void* area, size_t size);

} // namespace tessera::runtime

// The kernel's own symbol table, linked into the image (second link, see kernel/CMakeLists.txt),
// so that a panic can name the function it happened in.
#pragma once

#include <cstdint>

namespace tessera::x86_64 {

// The function containing `address` and the offset into it, or nullptr when none is known.
const char* kernel_symbol_for(uint64_t address, uint64_t& offset);

} // namespace tessera::x86_64

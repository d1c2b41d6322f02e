// LZ4's block format (a compressed block: sequences of literals and back references of up to
// 64 KiB), the packing of large boot images inside the loader. The unpacker is freestanding and
// checks every length and offset, so corrupt input ends in an error, never outside its buffers.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::spec {

enum class UnpackError : uint8_t {
    None,
    Truncated,       // the input ends inside a sequence
    OutputOverrun,   // a sequence would write past the output's end
    BadOffset,       // a back reference of 0 or before the start of the output
    ShortOutput,     // the input ended before the output was full
};

const char* unpack_error_name(UnpackError error);

// Unpacks `in` into exactly `out_size` bytes at `out`.
UnpackError lz4_block_unpack(const uint8_t* in, uint64_t in_size, uint8_t* out, uint64_t out_size);

} // namespace tessera::spec

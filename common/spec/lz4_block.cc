// A sequence is a token (literal count in the high nibble, match length - 4 in the low one; 15 in
// either means more bytes follow, each added until one is below 255), the literals, a two-byte
// little-endian offset and the match. The last sequence has literals only.
#include "tessera/lz4_block.h"

namespace tessera::spec {
namespace {

// Reads the extra length bytes after a nibble of 15; false when the input ends first or the
// length passes `limit`.
bool extend_length(const uint8_t*& in, const uint8_t* end, uint64_t& length, uint64_t limit)
{
    for (;;) {
        if (in == end)
            return false;
        const uint8_t more = *in++;
        length += more;
        if (length > limit)
            return false;
        if (more != 255)
            return true;
    }
}

} // namespace

const char* unpack_error_name(UnpackError error)
{
    switch (error) {
    case UnpackError::None: return "no error";
    case UnpackError::Truncated: return "packed data truncated";
    case UnpackError::OutputOverrun: return "packed data longer than the image";
    case UnpackError::BadOffset: return "packed data refers before its start";
    case UnpackError::ShortOutput: return "packed data shorter than the image";
    }
    return "unknown unpack error";
}

UnpackError lz4_block_unpack(const uint8_t* in, uint64_t in_size, uint8_t* out, uint64_t out_size)
{
    const uint8_t* const in_end = in + in_size;
    uint8_t* const out_start = out;
    uint8_t* const out_end = out + out_size;
    while (in < in_end) {
        const uint8_t token = *in++;
        uint64_t literals = token >> 4;
        if (literals == 15 && !extend_length(in, in_end, literals, out_size))
            return UnpackError::Truncated;
        if (literals > uint64_t(in_end - in))
            return UnpackError::Truncated;
        if (literals > uint64_t(out_end - out))
            return UnpackError::OutputOverrun;
        for (uint64_t i = 0; i < literals; ++i)
            *out++ = *in++;
        if (in == in_end)
            break; // the last sequence: literals only
        if (in_end - in < 2)
            return UnpackError::Truncated;
        const uint64_t offset = uint64_t(in[0]) | uint64_t(in[1]) << 8;
        in += 2;
        if (offset == 0 || offset > uint64_t(out - out_start))
            return UnpackError::BadOffset;
        uint64_t match = (token & 15u) + 4;
        if ((token & 15u) == 15 && !extend_length(in, in_end, match, out_size))
            return UnpackError::Truncated;
        if (match > uint64_t(out_end - out))
            return UnpackError::OutputOverrun;
        // Byte by byte: a match may overlap the bytes it is producing (a run).
        const uint8_t* from = out - offset;
        for (uint64_t i = 0; i < match; ++i)
            *out++ = *from++;
    }
    return out == out_end ? UnpackError::None : UnpackError::ShortOutput;
}

} // namespace tessera::spec

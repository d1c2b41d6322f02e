// Greedy LZ4: a hash of the next four bytes finds the last position with the same hash; a match
// of four bytes or more within 64 KiB becomes a sequence. Every position goes into the table. LZ4's end rules: the last five bytes are
// literals and no match starts within the last twelve.
#include "pack.h"

#include <cstring>

#include "tessera/spec.h"

namespace tessera::sdf {
namespace {

constexpr size_t MinMatch = 4;
constexpr size_t LastLiterals = 5;
constexpr size_t MatchStartLimit = 12;
constexpr size_t MaxOffset = 65535;
constexpr unsigned HashBits = 16;

uint32_t read32(const uint8_t* p)
{
    uint32_t value;
    std::memcpy(&value, p, sizeof value);
    return value;
}

uint32_t hash(uint32_t sequence) { return (sequence * 2654435761u) >> (32 - HashBits); }

void put_length(std::vector<uint8_t>& out, size_t length)
{
    for (; length >= 255; length -= 255)
        out.push_back(255);
    out.push_back(uint8_t(length));
}

void put_sequence(std::vector<uint8_t>& out, const uint8_t* literals, size_t literal_count,
                  size_t offset, size_t match)
{
    const size_t match_code = match - MinMatch;
    out.push_back(uint8_t((literal_count < 15 ? literal_count : 15) << 4 |
                          (match_code < 15 ? match_code : 15)));
    if (literal_count >= 15)
        put_length(out, literal_count - 15);
    out.insert(out.end(), literals, literals + literal_count);
    out.push_back(uint8_t(offset));
    out.push_back(uint8_t(offset >> 8));
    if (match_code >= 15)
        put_length(out, match_code - 15);
}

void put_last_literals(std::vector<uint8_t>& out, const uint8_t* literals, size_t count)
{
    out.push_back(uint8_t((count < 15 ? count : 15) << 4));
    if (count >= 15)
        put_length(out, count - 15);
    out.insert(out.end(), literals, literals + count);
}

} // namespace

std::vector<uint8_t> lz4_block_pack(const std::vector<uint8_t>& data)
{
    std::vector<uint8_t> out;
    out.reserve(data.size() / 4 + 16);
    const uint8_t* const base = data.data();
    const size_t size = data.size();
    size_t anchor = 0;
    if (size > MatchStartLimit) {
        std::vector<int64_t> last(size_t{1} << HashBits, -1);
        const size_t match_end = size - LastLiterals;
        size_t at = 0;
        while (at + MatchStartLimit <= size) {
            const uint32_t sequence = read32(base + at);
            int64_t& slot = last[hash(sequence)];
            const int64_t candidate = slot;
            slot = int64_t(at);
            if (candidate < 0 || at - size_t(candidate) > MaxOffset ||
                read32(base + candidate) != sequence) {
                ++at;
                continue;
            }
            size_t length = MinMatch;
            while (at + length < match_end && base[candidate + length] == base[at + length])
                ++length;
            put_sequence(out, base + anchor, at - anchor, at - size_t(candidate), length);
            // Every position the match covers is remembered too: the copy after this one finds
            // its match here, within the window, and not in an older copy beyond it.
            const size_t end = at + length;
            for (size_t next = at + 1; next < end && next + MatchStartLimit <= size; ++next)
                last[hash(read32(base + next))] = int64_t(next);
            at = end;
            anchor = at;
        }
    }
    put_last_literals(out, base + anchor, size - anchor);
    return out;
}

std::vector<uint8_t> pack_for_loader(const std::vector<uint8_t>& image)
{
    if (image.size() <= PackAboveBytes)
        return image;
    const std::vector<uint8_t> block = lz4_block_pack(image);
    struct tessera_packed_header header {};
    std::memcpy(header.magic, TESSERA_PACKED_MAGIC, sizeof header.magic);
    header.format = TESSERA_PACKED_LZ4_BLOCK;
    header.header_size = sizeof header;
    header.image_size = image.size();
    header.packed_size = block.size();
    std::vector<uint8_t> out(sizeof header);
    std::memcpy(out.data(), &header, sizeof header);
    out.insert(out.end(), block.begin(), block.end());
    return out;
}

} // namespace tessera::sdf

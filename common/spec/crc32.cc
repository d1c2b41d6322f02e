// CRC-32 for image and spec checksums; tables built at compile time so the loader carries no
// initialisation code.
//
// The loader checks the whole image before it trusts a byte of it, so this loop is on every
// boot's path: a byte at a time it cost about nine instructions a byte, most of the default
// system's loader time (docs/performance.md, "Boot"). Eight bytes at a time ("slicing by 8":
// eight tables, one per byte position of a 64-bit word) costs about a quarter of that.
#include "tessera/spec_reader.h"

namespace tessera::spec {
namespace {

constexpr int Slices = 8;

struct Crc32Tables {
    // entries[k][b]: the CRC register after byte b followed by k zero bytes.
    uint32_t entries[Slices][256];
};

constexpr Crc32Tables make_tables()
{
    Crc32Tables tables{};
    for (uint32_t byte = 0; byte < 256; ++byte) {
        uint32_t value = byte;
        for (int bit = 0; bit < 8; ++bit)
            value = (value & 1) ? (value >> 1) ^ 0xEDB88320u : value >> 1;
        tables.entries[0][byte] = value;
    }
    for (int k = 1; k < Slices; ++k) {
        for (uint32_t byte = 0; byte < 256; ++byte) {
            const uint32_t previous = tables.entries[k - 1][byte];
            tables.entries[k][byte] = tables.entries[0][previous & 0xFF] ^ (previous >> 8);
        }
    }
    return tables;
}

constexpr Crc32Tables tables = make_tables();
static_assert(tables.entries[0][1] == 0x77073096u, "IEEE CRC-32 table");

uint32_t update_byte(uint32_t crc, uint8_t byte)
{
    return tables.entries[0][(crc ^ byte) & 0xFF] ^ (crc >> 8);
}

uint32_t update(uint32_t crc, const uint8_t* data, uint64_t size)
{
    for (; size >= Slices; data += Slices, size -= Slices) {
        uint64_t word;
        __builtin_memcpy(&word, data, sizeof word); // little-endian: data[0] is the low byte
        word ^= crc;
        crc = tables.entries[7][word & 0xFF] ^ tables.entries[6][(word >> 8) & 0xFF] ^
              tables.entries[5][(word >> 16) & 0xFF] ^ tables.entries[4][(word >> 24) & 0xFF] ^
              tables.entries[3][(word >> 32) & 0xFF] ^ tables.entries[2][(word >> 40) & 0xFF] ^
              tables.entries[1][(word >> 48) & 0xFF] ^ tables.entries[0][word >> 56];
    }
    for (; size > 0; ++data, --size)
        crc = update_byte(crc, *data);
    return crc;
}

} // namespace

uint32_t crc32(const uint8_t* data, uint64_t size, uint64_t skip_offset)
{
    constexpr uint64_t Skipped = 4; // the checksum field itself, read as zero
    uint32_t crc = 0xFFFFFFFFu;
    const uint64_t head = skip_offset < size ? skip_offset : size;
    crc = update(crc, data, head);
    const uint64_t zeros = size - head < Skipped ? size - head : Skipped;
    for (uint64_t i = 0; i < zeros; ++i)
        crc = update_byte(crc, 0);
    crc = update(crc, data + head + zeros, size - head - zeros);
    return crc ^ 0xFFFFFFFFu;
}

} // namespace tessera::spec

// CRC-32 for image and spec checksums; table built at compile time so the loader carries no
// initialisation code.
#include "tessera/spec_reader.h"

namespace tessera::spec {
namespace {

struct Crc32Table {
    uint32_t entries[256];
};

constexpr Crc32Table make_table()
{
    Crc32Table table{};
    for (uint32_t byte = 0; byte < 256; ++byte) {
        uint32_t value = byte;
        for (int bit = 0; bit < 8; ++bit)
            value = (value & 1) ? (value >> 1) ^ 0xEDB88320u : value >> 1;
        table.entries[byte] = value;
    }
    return table;
}

constexpr Crc32Table table = make_table();
static_assert(table.entries[1] == 0x77073096u, "IEEE CRC-32 table");

} // namespace

uint32_t crc32(const uint8_t* data, uint64_t size, uint64_t skip_offset)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (uint64_t i = 0; i < size; ++i) {
        const bool skipped = i >= skip_offset && i - skip_offset < 4;
        const uint8_t byte = skipped ? 0 : data[i];
        crc = table.entries[(crc ^ byte) & 0xFF] ^ (crc >> 8);
    }
    return crc ^ 0xFFFFFFFFu;
}

} // namespace tessera::spec

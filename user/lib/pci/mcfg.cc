// The walk RSDP -> XSDT/RSDT -> MCFG, each table copied and checked before it is used.
#include <tessera/pci/mcfg.h>

#include <string.h>

namespace tessera::pci {
namespace {

using libos::make_error;
using libos::Result;

// ACPI 6.5, 5.2.5.3 (RSDP) and 5.2.6 (the common header); PCI Firmware 3.2, table 4-3 (MCFG).
constexpr size_t HeaderBytes = 36;
constexpr size_t RsdpChecksumBytes = 20, RsdpRevision = 15, RsdpRsdt = 16, RsdpXsdt = 24;
constexpr size_t HeaderLength = 4;
constexpr size_t McfgAllocations = HeaderBytes + 8, McfgAllocationBytes = 16;
// Larger than any MCFG or root table of MaxRootEntries: a longer length is corrupt.
constexpr uint32_t MaxTableBytes = 64 * 1024;

uint32_t load32(const uint8_t* p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

uint64_t load64(const uint8_t* p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

uint8_t sum(const uint8_t* p, size_t bytes)
{
    uint8_t s = 0;
    for (size_t i = 0; i < bytes; ++i)
        s = uint8_t(s + p[i]);
    return s;
}

struct Table {
    char signature[5];
    uint64_t paddr;
    uint32_t length;
};

// The header at `paddr`, with its whole length summed to zero (the checksum covers it all).
Result<Table> read_table(PhysicalMemory& memory, uint64_t paddr, const char* what)
{
    uint8_t header[HeaderBytes];
    if (paddr == 0 || !memory.read(paddr, header, sizeof header))
        return make_error(seL4_RangeError, what, paddr);
    Table table{{}, paddr, load32(header + HeaderLength)};
    memcpy(table.signature, header, 4);
    table.signature[4] = 0;
    if (table.length < HeaderBytes || table.length > MaxTableBytes)
        return make_error(seL4_InvalidArgument, what, table.length);
    uint8_t total = 0, chunk[256];
    for (uint32_t at = 0; at < table.length;) {
        const uint32_t n = table.length - at < sizeof chunk ? table.length - at : uint32_t(sizeof chunk);
        if (!memory.read(paddr + at, chunk, n))
            return make_error(seL4_RangeError, what, paddr + at);
        total = uint8_t(total + sum(chunk, n));
        at += n;
    }
    if (total != 0)
        return make_error(seL4_InvalidArgument, what, paddr);
    return table;
}

Result<EcamRegion> parse_mcfg(PhysicalMemory& memory, const Table& mcfg)
{
    if (mcfg.length < McfgAllocations || (mcfg.length - McfgAllocations) % McfgAllocationBytes != 0)
        return make_error(seL4_InvalidArgument, "acpi: MCFG length is not a whole number of allocations",
                          mcfg.length);
    const uint32_t count = (mcfg.length - McfgAllocations) / McfgAllocationBytes;
    for (uint32_t i = 0; i < count; ++i) {
        uint8_t entry[McfgAllocationBytes];
        if (!memory.read(mcfg.paddr + McfgAllocations + i * McfgAllocationBytes, entry, sizeof entry))
            return make_error(seL4_RangeError, "acpi: MCFG allocation unreadable", i);
        EcamRegion region{load64(entry), uint16_t(entry[8] | entry[9] << 8), entry[10], entry[11]};
        if (region.segment != 0 || region.first_bus != 0)
            continue;
        // Bus b lies at base + (b << 20): the base is at least 1 MiB aligned, the buses in order.
        if (region.last_bus < region.first_bus || region.base % (uint64_t{1} << 20) != 0 || region.base == 0)
            return make_error(seL4_InvalidArgument, "acpi: MCFG allocation for bus 0 is malformed", i);
        return region;
    }
    return make_error(seL4_FailedLookup, "acpi: MCFG has no allocation for segment 0, bus 0", count);
}

} // namespace

Result<EcamRegion> find_ecam(PhysicalMemory& memory, const uint8_t* rsdp, size_t rsdp_bytes)
{
    if (rsdp == nullptr || rsdp_bytes < RsdpV1Bytes)
        return make_error(seL4_FailedLookup, "acpi: no RSDP");
    if (memcmp(rsdp, "RSD PTR ", 8) != 0 || sum(rsdp, RsdpChecksumBytes) != 0)
        return make_error(seL4_InvalidArgument, "acpi: RSDP signature or checksum is wrong");
    // Revision 2 adds the XSDT (64-bit entries), with a checksum over all 36 bytes.
    const bool extended = rsdp[RsdpRevision] >= 2 && rsdp_bytes >= RsdpV2Bytes && load64(rsdp + RsdpXsdt) != 0;
    if (extended && sum(rsdp, RsdpV2Bytes) != 0)
        return make_error(seL4_InvalidArgument, "acpi: RSDP extended checksum is wrong");
    const uint64_t root_paddr = extended ? load64(rsdp + RsdpXsdt) : load32(rsdp + RsdpRsdt);
    const char* root_name = extended ? "XSDT" : "RSDT";
    auto root = read_table(memory, root_paddr, extended ? "acpi: XSDT unreadable or corrupt"
                                                        : "acpi: RSDT unreadable or corrupt");
    if (!root)
        return root.error();
    if (strcmp(root.value().signature, root_name) != 0)
        return make_error(seL4_InvalidArgument, "acpi: the root table has the wrong signature");
    const size_t entry_bytes = extended ? 8 : 4;
    const uint32_t entries = uint32_t((root.value().length - HeaderBytes) / entry_bytes);
    if (entries > MaxRootEntries)
        return make_error(seL4_InvalidArgument, "acpi: the root table lists too many tables", entries);
    for (uint32_t i = 0; i < entries; ++i) {
        uint8_t pointer[8] = {};
        if (!memory.read(root_paddr + HeaderBytes + i * entry_bytes, pointer, entry_bytes))
            return make_error(seL4_RangeError, "acpi: root table entry unreadable", i);
        const uint64_t paddr = extended ? load64(pointer) : load32(pointer);
        uint8_t signature[4];
        // A table that cannot be read or is not the MCFG is skipped: only the MCFG must be sound.
        if (paddr == 0 || !memory.read(paddr, signature, sizeof signature) || memcmp(signature, "MCFG", 4) != 0)
            continue;
        auto mcfg = read_table(memory, paddr, "acpi: MCFG corrupt (length or checksum)");
        if (!mcfg)
            return mcfg.error();
        return parse_mcfg(memory, mcfg.value());
    }
    return make_error(seL4_FailedLookup, "acpi: no MCFG (not a PCI Express machine)");
}

} // namespace tessera::pci

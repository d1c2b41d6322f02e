#include "irq/madt.h"

namespace tessera::core {
namespace {

// ACPI 6.5, 5.2.5.3 (RSDP) and 5.2.6 (system description table header).
constexpr Word RsdpLength = 20, RsdpLengthV2 = 36;
constexpr Word HeaderLength = 36;
constexpr Word MadtEntriesOffset = HeaderLength + 8; // local APIC address, flags
constexpr Word MaxTableLength = 1 << 16;             // far above any real MADT or RSDT
constexpr uint8_t EntryIoapic = 1, EntryIsaOverride = 2;

class Reader {
public:
    Reader(const MemoryWindow& window, Word readable_end) : window_(window), end_(readable_end) {}

    bool can_read(Word address, Word length) const
    {
        return address < end_ && length <= end_ - address;
    }
    uint8_t u8(Word address) const { return *window_.at<const uint8_t>(PAddr{address}); }
    Word little_endian(Word address, unsigned bytes) const
    {
        Word v = 0;
        for (unsigned i = 0; i < bytes; i++)
            v |= Word{u8(address + i)} << (8 * i);
        return v;
    }
    bool sums_to_zero(Word address, Word length) const
    {
        uint8_t sum = 0;
        for (Word i = 0; i < length; i++)
            sum = uint8_t(sum + u8(address + i));
        return sum == 0;
    }
    bool has_signature(Word address, const char* signature, unsigned length) const
    {
        for (unsigned i = 0; i < length; i++)
            if (u8(address + i) != uint8_t(signature[i]))
                return false;
        return true;
    }
    // A system description table with `signature`, readable and with a good checksum.
    bool is_table(Word address, const char* signature) const
    {
        if (!can_read(address, HeaderLength) || !has_signature(address, signature, 4))
            return false;
        const Word length = little_endian(address + 4, 4);
        return length >= HeaderLength && length <= MaxTableLength && can_read(address, length) &&
               sums_to_zero(address, length);
    }

private:
    const MemoryWindow& window_;
    Word end_;
};

Word find_rsdp_in(const Reader& r, Word start, Word length)
{
    for (Word a = start; a + RsdpLength <= start + length; a += 16)
        if (r.can_read(a, RsdpLength) && r.has_signature(a, "RSD PTR ", 8) &&
            r.sums_to_zero(a, RsdpLength))
            return a;
    return 0;
}

Word find_rsdp(const Reader& r)
{
    constexpr Word EbdaSegmentPointer = 0x40e, BiosAreaStart = 0xe0000, BiosAreaLength = 0x20000;
    if (r.can_read(EbdaSegmentPointer, 2)) {
        const Word ebda = r.little_endian(EbdaSegmentPointer, 2) << 4;
        if (ebda != 0)
            if (const Word found = find_rsdp_in(r, ebda, 1024))
                return found;
    }
    return find_rsdp_in(r, BiosAreaStart, BiosAreaLength);
}

// Walks the RSDT (4-byte entries) or XSDT (8-byte entries) for the MADT ("APIC").
Word find_madt(const Reader& r, Word root, unsigned entry_bytes)
{
    const Word length = r.little_endian(root + 4, 4);
    for (Word e = root + HeaderLength; e + entry_bytes <= root + length; e += entry_bytes) {
        const Word table = r.little_endian(e, entry_bytes);
        if (r.is_table(table, "APIC"))
            return table;
    }
    return 0;
}

Word locate_madt(const Reader& r, Word rsdp)
{
    const Word revision = r.u8(rsdp + 15);
    if (revision >= 2 && r.can_read(rsdp, RsdpLengthV2) && r.sums_to_zero(rsdp, RsdpLengthV2)) {
        const Word xsdt = r.little_endian(rsdp + 24, 8);
        if (r.is_table(xsdt, "XSDT"))
            if (const Word madt = find_madt(r, xsdt, 8))
                return madt;
    }
    const Word rsdt = r.little_endian(rsdp + 16, 4);
    return r.is_table(rsdt, "RSDT") ? find_madt(r, rsdt, 4) : 0;
}

} // namespace

const char* describe(AcpiError error)
{
    switch (error) {
    case AcpiError::NoRsdp:
        return "no ACPI RSDP";
    case AcpiError::NoMadt:
        return "no ACPI MADT";
    case AcpiError::BadMadt:
        return "malformed ACPI MADT";
    }
    return "?";
}

Result<PAddr, AcpiError> find_acpi_rsdp(const MemoryWindow& window, Word readable_end)
{
    const Word rsdp = find_rsdp(Reader{window, readable_end});
    if (rsdp == 0)
        return AcpiError::NoRsdp;
    return PAddr{rsdp};
}

Result<InterruptTopology, AcpiError> read_interrupt_topology(const MemoryWindow& window,
                                                             Word readable_end)
{
    const Reader r{window, readable_end};
    const Word rsdp = find_rsdp(r);
    if (rsdp == 0)
        return AcpiError::NoRsdp;
    const Word madt = locate_madt(r, rsdp);
    if (madt == 0)
        return AcpiError::NoMadt;

    InterruptTopology t{};
    t.local_apic = PAddr{r.little_endian(madt + HeaderLength, 4)};
    const Word end = madt + r.little_endian(madt + 4, 4);
    for (Word e = madt + MadtEntriesOffset; e < end;) {
        if (end - e < 2)
            return AcpiError::BadMadt;
        const uint8_t type = r.u8(e), length = r.u8(e + 1);
        if (length < 2 || length > end - e)
            return AcpiError::BadMadt;
        if (type == EntryIoapic && length >= 12 && t.ioapic_count < MaxIoapics)
            t.ioapics[t.ioapic_count++] = {r.u8(e + 2), PAddr{r.little_endian(e + 4, 4)},
                                           r.little_endian(e + 8, 4)};
        if (type == EntryIsaOverride && length >= 10 && t.override_count < MaxIsaOverrides)
            t.overrides[t.override_count++] = {r.u8(e + 3), r.little_endian(e + 4, 4),
                                               r.little_endian(e + 8, 2)};
        e += length;
    }
    if (t.ioapic_count == 0)
        return AcpiError::BadMadt;
    return t;
}

InterruptTopology standard_interrupt_topology()
{
    InterruptTopology t{};
    t.local_apic = PAddr{0xfee00000};
    t.ioapics[0] = {0, PAddr{StandardIoapicAddress}, 0};
    t.ioapic_count = 1;
    return t;
}

} // namespace tessera::core

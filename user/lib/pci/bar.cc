// BAR decoding and sizing.
#include <tessera/pci/bar.h>
#include <tessera/pci/registers.h>

namespace tessera::pci {
namespace {

constexpr uint32_t IoSpaceBit = 1, MemoryTypeMask = 0x6, MemoryType64 = 0x4, Prefetchable = 0x8;

uint16_t bar_register(unsigned index)
{
    return static_cast<uint16_t>(reg::Bar0 + 4 * index);
}

} // namespace

Bar decode_bar(uint8_t index, uint32_t original, uint32_t sized, uint32_t high, uint32_t sized_high)
{
    Bar bar;
    bar.index = index;
    if (original & IoSpaceBit) {
        // I/O BARs: bits 31..2 are the address. Devices may hard-wire the upper 16 bits to
        // zero (x86 has 64 KiB of ports), so those count as set when sizing.
        uint32_t mask = sized & 0xfffffffcu;
        if (mask == 0)
            return bar;
        if ((mask & 0xffff0000u) == 0)
            mask |= 0xffff0000u;
        bar.kind = BarKind::Io;
        bar.base = original & 0xfffffffcu;
        bar.size = uint32_t(~mask + 1u);
        return bar;
    }
    bar.prefetchable = (original & Prefetchable) != 0;
    if ((original & MemoryTypeMask) == MemoryType64) {
        const uint64_t mask = (uint64_t(sized_high) << 32 | (sized & 0xfffffff0u));
        if (mask == 0)
            return Bar{BarKind::Absent, false, index, 0, 0};
        bar.kind = BarKind::Memory64;
        bar.base = uint64_t(high) << 32 | (original & 0xfffffff0u);
        bar.size = ~mask + 1;
        return bar;
    }
    const uint32_t mask = sized & 0xfffffff0u;
    if (mask == 0)
        return Bar{BarKind::Absent, false, index, 0, 0};
    bar.kind = BarKind::Memory32;
    bar.base = original & 0xfffffff0u;
    bar.size = uint64_t(uint32_t(~mask + 1u));
    return bar;
}

libos::Result<Bar> read_bar(ConfigSpace& space, unsigned index)
{
    if (index >= reg::BarCount)
        return libos::make_error(seL4_InvalidArgument, "pci: BAR index above 5");
    if ((space.read8(reg::HeaderType) & reg::HeaderTypeMask) != reg::HeaderTypeDevice)
        return libos::make_error(seL4_InvalidArgument, "pci: BARs are read from type 0 headers only");
    const uint16_t at = bar_register(index);
    const uint32_t original = space.read32(at);
    const bool is_64bit = (original & IoSpaceBit) == 0 && (original & MemoryTypeMask) == MemoryType64;
    if (is_64bit && index == reg::BarCount - 1)
        return libos::make_error(seL4_InvalidArgument, "pci: 64-bit BAR in the last slot");
    const uint32_t high = is_64bit ? space.read32(static_cast<uint16_t>(at + 4)) : 0;

    // Decoding off while the BAR holds all ones: the device must not answer there.
    const uint16_t command = space.read16(reg::Command);
    space.write16(reg::Command, command & ~(reg::CommandIoSpace | reg::CommandMemorySpace));
    space.write32(at, 0xffffffffu);
    const uint32_t sized = space.read32(at);
    space.write32(at, original);
    uint32_t sized_high = 0;
    if (is_64bit) {
        space.write32(static_cast<uint16_t>(at + 4), 0xffffffffu);
        sized_high = space.read32(static_cast<uint16_t>(at + 4));
        space.write32(static_cast<uint16_t>(at + 4), high);
    }
    space.write16(reg::Command, command);
    return decode_bar(static_cast<uint8_t>(index), original, sized, high, sized_high);
}

libos::Result<unsigned> read_bars(ConfigSpace& space, Bar (&bars)[6])
{
    unsigned index = 0;
    for (; index < reg::BarCount; ++index) {
        auto bar = read_bar(space, index);
        if (!bar)
            return bar.error();
        bars[index] = bar.value();
        if (bar.value().kind == BarKind::Memory64 && index + 1 < reg::BarCount)
            bars[++index] = Bar{BarKind::Absent, false, static_cast<uint8_t>(index), 0, 0};
    }
    return index;
}

} // namespace tessera::pci

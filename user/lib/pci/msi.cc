// MSI and MSI-X capability parsing and programming.
#include <tessera/pci/msi.h>

namespace tessera::pci {
namespace {

// MSI capability layout (PCI 3.0, 6.8.1): control at +2, address at +4, upper address at +8
// (64-bit only), data at +8 or +0xc, mask bits after the data when per-vector masking exists.
constexpr uint16_t MsiControl = 2, MsiAddress = 4, MsiUpperAddress = 8;
constexpr uint16_t MsiEnable = 1u << 0, Msi64Bit = 1u << 7, MsiPerVectorMask = 1u << 8;
constexpr uint16_t MsiMultipleEnableMask = 0x7u << 4;

// MSI-X (6.8.2): control at +2 (table size - 1 in bits 10..0, function mask bit 14, enable bit
// 15), table offset/BIR at +4, PBA offset/BIR at +8.
constexpr uint16_t MsixControl = 2, MsixTable = 4, MsixPba = 8;
constexpr uint16_t MsixEnable = 1u << 15, MsixFunctionMask = 1u << 14;

uint16_t at(uint8_t capability, uint16_t offset)
{
    return static_cast<uint16_t>(capability + offset);
}

} // namespace

libos::Result<MsiCapability> parse_msi(const ConfigSpace& space)
{
    auto found = find_capability(space, reg::CapabilityMsi);
    if (!found)
        return found.error();
    const uint8_t offset = found.value().offset;
    const uint16_t control = space.read16(at(offset, MsiControl));
    const bool is_64bit = (control & Msi64Bit) != 0;
    // The structure is 10 to 24 bytes long; it must fit below 0x100.
    const unsigned length = 10u + (is_64bit ? 4 : 0) + ((control & MsiPerVectorMask) ? 10 : 0);
    if (offset + length > 0x100)
        return libos::make_error(seL4_InvalidArgument, "pci: MSI capability runs past the header");
    const unsigned log2_vectors = (control >> 1) & 7;
    if (log2_vectors > 5)
        return libos::make_error(seL4_InvalidArgument, "pci: MSI capability claims a reserved vector count");
    return MsiCapability{offset, is_64bit, (control & MsiPerVectorMask) != 0,
                         static_cast<uint8_t>(1u << log2_vectors)};
}

libos::Result<MsixCapability> parse_msix(const ConfigSpace& space)
{
    auto found = find_capability(space, reg::CapabilityMsix);
    if (!found)
        return found.error();
    const uint8_t offset = found.value().offset;
    if (offset + 12u > 0x100)
        return libos::make_error(seL4_InvalidArgument, "pci: MSI-X capability runs past the header");
    const uint16_t control = space.read16(at(offset, MsixControl));
    const uint32_t table = space.read32(at(offset, MsixTable));
    const uint32_t pba = space.read32(at(offset, MsixPba));
    if ((table & 7) > 5 || (pba & 7) > 5)
        return libos::make_error(seL4_InvalidArgument, "pci: MSI-X table in a reserved BAR");
    return MsixCapability{offset, static_cast<uint16_t>((control & 0x7ff) + 1),
                          static_cast<uint8_t>(table & 7), table & ~7u,
                          static_cast<uint8_t>(pba & 7), pba & ~7u};
}

void enable_msi(ConfigSpace& space, const MsiCapability& msi, MsiMessage message)
{
    const uint16_t control = space.read16(at(msi.offset, MsiControl));
    // Off while the message changes, so the device never signals half of it; one vector.
    space.write16(at(msi.offset, MsiControl),
                  control & static_cast<uint16_t>(~(MsiEnable | MsiMultipleEnableMask)));
    space.write32(at(msi.offset, MsiAddress), static_cast<uint32_t>(message.address));
    uint16_t data_at = 8;
    if (msi.is_64bit) {
        space.write32(at(msi.offset, MsiUpperAddress), static_cast<uint32_t>(message.address >> 32));
        data_at = 0xc;
    }
    space.write16(at(msi.offset, data_at), static_cast<uint16_t>(message.data));
    if (msi.per_vector_masking)
        space.write32(at(msi.offset, static_cast<uint16_t>(data_at + 4)), 0); // unmask vector 0
    space.write16(reg::Command, space.read16(reg::Command) | reg::CommandInterruptDisable);
    space.write16(at(msi.offset, MsiControl),
                  static_cast<uint16_t>((control & ~MsiMultipleEnableMask) | MsiEnable));
}

void write_msix_entry(volatile uint32_t* table, uint16_t entry, MsiMessage message)
{
    volatile uint32_t* words = table + entry * (MsixEntryBytes / 4);
    words[3] = 1; // masked while it changes
    words[0] = static_cast<uint32_t>(message.address);
    words[1] = static_cast<uint32_t>(message.address >> 32);
    words[2] = message.data;
    words[3] = 0; // unmasked
}

void enable_msix(ConfigSpace& space, const MsixCapability& msix)
{
    // MSI and MSI-X are never both on (PCI 3.0, 6.8.2); INTx goes off too.
    auto msi = find_capability(space, reg::CapabilityMsi);
    if (msi) {
        const uint16_t control = space.read16(at(msi.value().offset, MsiControl));
        space.write16(at(msi.value().offset, MsiControl), control & static_cast<uint16_t>(~MsiEnable));
    }
    space.write16(reg::Command, space.read16(reg::Command) | reg::CommandInterruptDisable);
    const uint16_t control = space.read16(at(msix.offset, MsixControl));
    space.write16(at(msix.offset, MsixControl),
                  static_cast<uint16_t>((control & ~MsixFunctionMask) | MsixEnable));
}

} // namespace tessera::pci

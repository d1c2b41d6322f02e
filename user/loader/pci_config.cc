// Choosing and opening the configuration mechanism; ECAM and firmware pages as device frames.
#include "pci_config.h"

#include <stdio.h>
#include <string.h>

namespace tessera::loader {
namespace {

using libos::make_error;
using libos::Result;
using libos::VAddr;

constexpr uint64_t LargePageBytes = uint64_t{1} << seL4_LargePageBits;
constexpr uint64_t BusBytes = uint64_t{1} << 20;

} // namespace

const uint8_t* boot_info_chunk(const seL4_BootInfo& boot_info, seL4_Word id, seL4_Word& length)
{
    // From one page after the BootInfo frame, extraLen bytes of {id, length (header included)}
    // chunks (seL4 manual, "BootInfo").
    const uint8_t* extra = reinterpret_cast<const uint8_t*>(&boot_info) + libos::PageSize;
    for (seL4_Word at = 0; at + sizeof(seL4_BootInfoHeader) <= boot_info.extraLen;) {
        seL4_BootInfoHeader header;
        memcpy(&header, extra + at, sizeof header);
        if (header.len < sizeof header || header.len > boot_info.extraLen - at)
            return nullptr;
        if (header.id == id) {
            length = header.len;
            return extra + at;
        }
        at += header.len;
    }
    return nullptr;
}

PciConfig::PciConfig(alloc::ObjectAllocator& objects)
    : objects_(objects),
      space_(objects, libos::CPtr{seL4_CapInitThreadVSpace}, VAddr{FirmwareBase},
             VAddr{EcamBase + EcamLargePages * LargePageBytes}, mappings_, FirmwarePages + EcamLargePages)
{
}

Result<void> PciConfig::map_device_frame(seL4_Word type, uint64_t paddr, seL4_Word vaddr)
{
    auto frame = objects_.allocate_at(type, libos::SizeBits{0}, libos::PAddr{paddr});
    if (!frame)
        return frame.error();
    // Kept until self-removal deletes the loader's capabilities (an untyped's retyped pages
    // cannot be retyped again while the untyped has other children).
    return space_.map(frame.value(), VAddr{vaddr}, seL4_ReadWrite, vspace::Ownership::Borrowed);
}

Result<pci::ConfigAccess*> PciConfig::open()
{
    if (chosen_ != nullptr)
        return chosen_;
    const char* no_ecam = nullptr;
    auto ecam = open_ecam(no_ecam);
    if (ecam && ecam.value()) {
        chosen_ = &ecam_;
        return chosen_;
    }
    auto ports = open_ports();
    if (!ports)
        return ports.error();
    if (ecam)
        printf("loader: pci: configuration through ports 0xcf8-0xcff (%s)\n", no_ecam);
    else
        printf("loader: pci: configuration through ports 0xcf8-0xcff: ECAM unusable: %s (0x%llx)\n",
               ecam.error().what, static_cast<unsigned long long>(ecam.error().detail));
    chosen_ = &port_access_;
    return chosen_;
}

Result<bool> PciConfig::open_ecam(const char*& no_ecam)
{
    const seL4_BootInfo* boot_info = seL4_GetBootInfo();
    seL4_Word length = 0;
    const uint8_t* chunk =
        boot_info ? boot_info_chunk(*boot_info, SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP, length) : nullptr;
    if (chunk == nullptr) {
        no_ecam = "the kernel passed no ACPI RSDP";
        return false;
    }
    auto reserved = space_.reserve_at(VAddr{FirmwareBase}, FirmwarePages);
    if (!reserved)
        return reserved.error();
    auto region = pci::find_ecam(firmware_, chunk + sizeof(seL4_BootInfoHeader),
                                 length - sizeof(seL4_BootInfoHeader));
    if (!region && region.code() == seL4_FailedLookup && region.error().detail == 0) {
        no_ecam = region.error().what; // no MCFG: a machine without PCI Express, such as pc
        return false;
    }
    if (!region)
        return region.error();
    if (region.value().base % LargePageBytes != 0)
        return make_error(seL4_AlignmentError, "ECAM base not 2 MiB aligned", region.value().base);
    auto window = space_.reserve_at(VAddr{EcamBase}, EcamLargePages * (LargePageBytes / libos::PageSize));
    if (!window)
        return window.error();
    ecam_.set_region(region.value());
    // Bus 0 is where every walk starts: if its page cannot be mapped, ECAM is no use.
    auto bus0 = ecam_.map_bus(0);
    if (!bus0)
        return bus0.error();
    printf("loader: pci: configuration through ECAM at 0x%llx, buses %u-%u (ACPI MCFG)\n",
           static_cast<unsigned long long>(region.value().base), region.value().first_bus, region.value().last_bus);
    return true;
}

Result<void> PciConfig::open_ports()
{
    auto slot = objects_.slots().allocate();
    if (!slot)
        return slot.error();
    auto issued = libos::check(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, pci::ConfigPortFirst,
                                                            pci::ConfigPortLast, seL4_CapInitThreadCNode,
                                                            libos::raw(slot.value()), seL4_WordBits),
                               "pci: issue the configuration ports 0xcf8-0xcff");
    if (!issued) {
        (void)objects_.slots().free(slot.value());
        return issued;
    }
    ports_.cap = libos::raw(slot.value());
    return {};
}

const uint8_t* PciConfig::Firmware::page(uint64_t paddr)
{
    const uint64_t base = paddr & ~uint64_t(libos::PageSize - 1);
    for (uint32_t i = 0; i < count_; ++i)
        if (paddr_[i] == base)
            return reinterpret_cast<const uint8_t*>(FirmwareBase + i * libos::PageSize);
    if (count_ == FirmwarePages)
        return nullptr;
    const seL4_Word vaddr = FirmwareBase + count_ * libos::PageSize;
    if (!owner_.map_device_frame(seL4_X86_4K, base, vaddr))
        return nullptr;
    paddr_[count_++] = base;
    return reinterpret_cast<const uint8_t*>(vaddr);
}

bool PciConfig::Firmware::read(uint64_t paddr, void* out, size_t bytes)
{
    uint8_t* to = static_cast<uint8_t*>(out);
    while (bytes > 0) {
        const uint8_t* at = page(paddr);
        if (at == nullptr)
            return false;
        const size_t offset = paddr % libos::PageSize;
        const size_t n = bytes < libos::PageSize - offset ? bytes : libos::PageSize - offset;
        memcpy(to, at + offset, n);
        to += n;
        paddr += n;
        bytes -= n;
    }
    return true;
}

Result<void> PciConfig::Ecam::map_bus(uint8_t bus)
{
    if (bus < region_.first_bus || bus > region_.last_bus)
        return make_error(seL4_RangeError, "pci: bus outside the ECAM region", bus);
    const uint32_t page = (bus - region_.first_bus) * BusBytes / LargePageBytes;
    const uint64_t bit = uint64_t{1} << page % 64;
    if (mapped_[page / 64] & bit)
        return {};
    if (failed_[page / 64] & bit)
        return make_error(seL4_FailedLookup, "pci: the ECAM page of this bus could not be mapped", bus);
    auto mapped = owner_.map_device_frame(seL4_X86_LargePageObject, region_.base + page * LargePageBytes,
                                          EcamBase + page * LargePageBytes);
    if (!mapped) {
        failed_[page / 64] |= bit; // the bus reads as absent; the kernel is not asked again
        return mapped;
    }
    mapped_[page / 64] |= bit;
    return {};
}

pci::EcamConfigAccess PciConfig::Ecam::window() const
{
    return pci::EcamConfigAccess(reinterpret_cast<volatile uint8_t*>(EcamBase), region_.first_bus, region_.last_bus);
}

uint32_t PciConfig::Ecam::read(pci::Address address, uint16_t offset, pci::Width width)
{
    if (!map_bus(address.bus))
        return width == pci::Width::Dword ? 0xffffffffu : (1u << 8 * unsigned(width)) - 1;
    return window().read(address, offset, width);
}

void PciConfig::Ecam::write(pci::Address address, uint16_t offset, pci::Width width, uint32_t value)
{
    if (map_bus(address.bus))
        window().write(address, offset, width, value);
}

uint32_t PciConfig::Ports::in(uint16_t port, pci::Width width)
{
    switch (width) {
    case pci::Width::Byte: return seL4_X86_IOPort_In8(cap, port).result;
    case pci::Width::Word: return seL4_X86_IOPort_In16(cap, port).result;
    default: return seL4_X86_IOPort_In32(cap, port).result;
    }
}

void PciConfig::Ports::out(uint16_t port, pci::Width width, uint32_t value)
{
    switch (width) {
    case pci::Width::Byte: (void)seL4_X86_IOPort_Out8(cap, port, value); break;
    case pci::Width::Word: (void)seL4_X86_IOPort_Out16(cap, port, value); break;
    default: (void)seL4_X86_IOPort_Out32(cap, port, value); break;
    }
}

} // namespace tessera::loader

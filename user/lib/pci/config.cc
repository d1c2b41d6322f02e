// The two configuration mechanisms and the per-function views over them.
#include <tessera/pci/config.h>

namespace tessera::pci {
namespace {

constexpr uint32_t all_ones(Width width)
{
    return width == Width::Dword ? 0xffffffffu : (1u << (8 * static_cast<unsigned>(width))) - 1;
}

bool fits(uint16_t offset, Width width, uint16_t size)
{
    return is_aligned(offset, width) && uint32_t(offset) + static_cast<unsigned>(width) <= size;
}

} // namespace

uint32_t FunctionConfig::read(uint16_t offset, Width width) const
{
    if (!fits(offset, width, size()))
        return all_ones(width);
    return access_.read(address_, offset, width);
}

void FunctionConfig::write(uint16_t offset, Width width, uint32_t value)
{
    if (fits(offset, width, size()))
        access_.write(address_, offset, width, value);
}

uint32_t SnapshotConfig::read(uint16_t offset, Width width) const
{
    if (!fits(offset, width, size_))
        return all_ones(width);
    uint32_t value = 0;
    for (unsigned i = 0; i < static_cast<unsigned>(width); ++i)
        value |= uint32_t(bytes_[offset + i]) << (8 * i);
    return value;
}

void copy_config(const ConfigSpace& space, uint8_t* out, uint16_t bytes)
{
    for (uint16_t offset = 0; offset + 4 <= bytes && offset + 4 <= space.size(); offset += 4) {
        const uint32_t value = space.read32(offset);
        for (unsigned i = 0; i < 4; ++i)
            out[offset + i] = static_cast<uint8_t>(value >> (8 * i));
    }
}

uint32_t PortConfigAccess::read(Address address, uint16_t offset, Width width)
{
    ports_.out(ConfigAddressPort, Width::Dword, config_address(address, offset));
    // The data window is 4 bytes wide; a narrower access picks its bytes by port offset.
    return ports_.in(static_cast<uint16_t>(ConfigDataPort + (offset & 3)), width) & all_ones(width);
}

void PortConfigAccess::write(Address address, uint16_t offset, Width width, uint32_t value)
{
    ports_.out(ConfigAddressPort, Width::Dword, config_address(address, offset));
    ports_.out(static_cast<uint16_t>(ConfigDataPort + (offset & 3)), width, value & all_ones(width));
}

uint32_t EcamConfigAccess::read(Address address, uint16_t offset, Width width)
{
    if (address.bus < first_bus_ || address.bus > last_bus_)
        return all_ones(width);
    volatile uint8_t* at = window_ + function_offset(address, first_bus_) + (offset & 0xfff);
    switch (width) {
    case Width::Byte: return *at;
    case Width::Word: return *reinterpret_cast<volatile uint16_t*>(at);
    default: return *reinterpret_cast<volatile uint32_t*>(at);
    }
}

void EcamConfigAccess::write(Address address, uint16_t offset, Width width, uint32_t value)
{
    if (address.bus < first_bus_ || address.bus > last_bus_)
        return;
    volatile uint8_t* at = window_ + function_offset(address, first_bus_) + (offset & 0xfff);
    switch (width) {
    case Width::Byte: *at = static_cast<uint8_t>(value); break;
    case Width::Word: *reinterpret_cast<volatile uint16_t*>(at) = static_cast<uint16_t>(value); break;
    default: *reinterpret_cast<volatile uint32_t*>(at) = value; break;
    }
}

} // namespace tessera::pci

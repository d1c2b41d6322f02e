// The fake configuration space.
#include "fake_machine.h"

#include <tessera/pci/registers.h>

#include <fstream>
#include <sstream>

namespace tessera::pci::test {

bool FakeMachine::load(const std::string& path, std::string& why)
{
    std::ifstream in(path);
    if (!in) {
        why = "cannot open " + path;
        return false;
    }
    std::string line;
    FakeFunction* current = nullptr;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "DEVICE") {
            std::string name;
            unsigned size = 0, domain, bus, device, function;
            words >> name >> size;
            if (std::sscanf(name.c_str(), "%x:%x:%x.%x", &domain, &bus, &device, &function) != 4 ||
                (size != 256 && size != 4096)) {
                why = line;
                return false;
            }
            current = &add(Address{uint8_t(bus), uint8_t(device), uint8_t(function)},
                           std::vector<uint8_t>(size, 0));
        } else if (kind == "CFG" && current != nullptr) {
            std::string offset_text;
            words >> offset_text;
            unsigned offset = std::stoul(offset_text, nullptr, 16);
            for (unsigned value, i = 0; words >> std::hex >> value; ++i)
                if (offset + i < current->bytes.size())
                    current->bytes[offset + i] = uint8_t(value);
        } else if (kind == "RES" && current != nullptr) {
            unsigned index;
            std::string first, last, flags;
            words >> index >> first >> last >> flags;
            const uint64_t start = std::stoull(first, nullptr, 16), end = std::stoull(last, nullptr, 16);
            if (index < 6 && end > start)
                current->bar_size[index] = end - start + 1;
        } else {
            why = line;
            return false;
        }
    }
    return true;
}

FakeFunction& FakeMachine::add(Address address, std::vector<uint8_t> bytes)
{
    FakeFunction& function = functions_[address.routing_id()];
    function.bytes = std::move(bytes);
    return function;
}

FakeFunction* FakeMachine::find(Address address)
{
    auto found = functions_.find(address.routing_id());
    return found == functions_.end() ? nullptr : &found->second;
}

uint32_t FakeMachine::read(Address address, uint16_t offset, Width width)
{
    FakeFunction* function = find(address);
    uint32_t value = 0;
    for (unsigned i = 0; i < static_cast<unsigned>(width); ++i) {
        const unsigned at = offset + i;
        const uint8_t byte = function != nullptr && at < function->bytes.size() ? function->bytes[at] : 0xff;
        value |= uint32_t(byte) << (8 * i);
    }
    return value;
}

void FakeMachine::write_byte(FakeFunction& function, uint16_t offset, uint8_t value)
{
    if (offset < 4 || offset == reg::HeaderType || offset >= function.bytes.size())
        return; // IDs and header type are read-only
    const bool is_device = (function.bytes[reg::HeaderType] & reg::HeaderTypeMask) == 0;
    if (is_device && offset >= reg::Bar0 && offset < reg::Bar0 + 24) {
        // A BAR keeps only the address bits its size allows; the type bits are read-only.
        const unsigned index = (offset - reg::Bar0) / 4, byte = (offset - reg::Bar0) % 4;
        uint64_t size = function.bar_size[index];
        bool upper_half = false;
        if (size == 0 && index > 0 && (function.bytes[reg::Bar0 + 4 * (index - 1)] & 0x7) == 0x4) {
            size = function.bar_size[index - 1]; // the upper half of a 64-bit BAR
            upper_half = true;
        }
        if (size == 0)
            return;
        const uint32_t low_bits = function.bytes[reg::Bar0 + 4 * index] & 1 ? 0x3u : 0xfu;
        uint64_t mask = ~(size - 1);
        const uint32_t register_mask = upper_half ? uint32_t(mask >> 32) : (uint32_t(mask) & ~low_bits);
        const uint8_t keep = uint8_t(register_mask >> (8 * byte));
        uint8_t& stored = function.bytes[offset];
        stored = uint8_t((stored & ~keep) | (value & keep));
        return;
    }
    function.bytes[offset] = value;
}

void FakeMachine::write(Address address, uint16_t offset, Width width, uint32_t value)
{
    FakeFunction* function = find(address);
    if (function == nullptr)
        return;
    ++config_writes;
    for (unsigned i = 0; i < static_cast<unsigned>(width); ++i)
        write_byte(*function, uint16_t(offset + i), uint8_t(value >> (8 * i)));
}

uint32_t FakeMachine::in(uint16_t port, Width width)
{
    if (port == ConfigAddressPort && width == Width::Dword)
        return config_address_;
    if (port < ConfigDataPort || port > ConfigPortLast || (config_address_ & 0x80000000u) == 0)
        return 0xffffffffu;
    const Address address = Address::from_routing_id(uint16_t(config_address_ >> 8));
    const uint16_t offset = uint16_t((config_address_ & 0xfc) + (port - ConfigDataPort));
    return read(address, offset, width);
}

void FakeMachine::out(uint16_t port, Width width, uint32_t value)
{
    if (port == ConfigAddressPort && width == Width::Dword) {
        config_address_ = value;
        return;
    }
    if (port < ConfigDataPort || port > ConfigPortLast || (config_address_ & 0x80000000u) == 0)
        return;
    const Address address = Address::from_routing_id(uint16_t(config_address_ >> 8));
    write(address, uint16_t((config_address_ & 0xfc) + (port - ConfigDataPort)), width, value);
}

} // namespace tessera::pci::test

// A PCI function's address (bus, device, function) and how a system description names a device:
// by address as Microkit's `pcidev` writes it ("00:04.0", hexadecimal) or by vendor and device
// ID with an optional instance ("1af4:1042#1": the second such function in address order).
#pragma once

#include <compare>
#include <stddef.h>
#include <stdint.h>

namespace tessera::pci {

constexpr unsigned MaxBus = 255, MaxDevice = 31, MaxFunction = 7;

struct Address {
    uint8_t bus = 0;
    uint8_t device = 0;   // 0..31
    uint8_t function = 0; // 0..7

    constexpr bool is_valid() const { return device <= MaxDevice && function <= MaxFunction; }
    // The 16-bit routing ID (bus << 8 | device << 3 | function): one number per function.
    constexpr uint16_t routing_id() const
    {
        return static_cast<uint16_t>(bus << 8 | device << 3 | function);
    }
    static constexpr Address from_routing_id(uint16_t id)
    {
        return Address{static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id >> 3 & 31),
                       static_cast<uint8_t>(id & 7)};
    }
    auto operator<=>(const Address&) const = default;
};

struct DeviceMatch {
    enum class Kind : uint8_t { ByAddress, ById };
    Kind kind = Kind::ByAddress;
    Address address;        // ByAddress
    uint16_t vendor = 0;    // ById
    uint16_t device = 0;    // ById
    uint16_t instance = 0;  // ById: 0 = the first match in address order

    auto operator<=>(const DeviceMatch&) const = default;
};

// Parses "BB:DD.F" (hex; bus up to 2 digits, device 0-1f, function 0-7) or "VVVV:DDDD[#N]"
// (4 hex digits each, N decimal, at most 255). Returns false for anything else, with a reason.
bool parse_device_match(const char* text, DeviceMatch& match, const char** why);

// "00:04.0" or "1af4:1042#1" into buffer (at least 16 bytes); returns buffer.
char* format_device_match(const DeviceMatch& match, char* buffer, size_t size);
char* format_address(Address address, char* buffer, size_t size);

} // namespace tessera::pci

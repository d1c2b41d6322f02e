// Parsing and printing device names as system descriptions write them.
#include <tessera/pci/address.h>

#include <stdio.h>

namespace tessera::pci {
namespace {

int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Reads 1..max_digits hex digits at *text; advances past them. -1 when there are none or more.
long hex_number(const char*& text, unsigned max_digits)
{
    long value = 0;
    unsigned digits = 0;
    for (int d; (d = hex_digit(*text)) >= 0; ++text) {
        if (++digits > max_digits)
            return -1;
        value = value * 16 + d;
    }
    return digits == 0 ? -1 : value;
}

bool fail(const char** why, const char* reason)
{
    if (why != nullptr)
        *why = reason;
    return false;
}

} // namespace

bool parse_device_match(const char* text, DeviceMatch& match, const char** why)
{
    if (text == nullptr)
        return fail(why, "no text");
    const char* p = text;
    const long first = hex_number(p, 4);
    if (first < 0 || *p != ':')
        return fail(why, "expected BUS:DEVICE.FUNCTION (hex) or VENDOR:DEVICE[#N] (hex, N decimal)");
    const char* after_colon = ++p;
    const long second = hex_number(p, 4);
    if (second < 0)
        return fail(why, "expected hex digits after ':'");
    if (*p == '.') {
        // BUS:DEVICE.FUNCTION: the address form.
        if (p - after_colon > 2 || first > 0xff)
            return fail(why, "bus is 0-ff and device 0-1f");
        ++p;
        const long function = hex_number(p, 1);
        if (*p != '\0' || function < 0)
            return fail(why, "function is one digit, 0-7, and ends the name");
        if (second > MaxDevice || function > MaxFunction)
            return fail(why, "device is 0-1f and function 0-7");
        match = DeviceMatch{DeviceMatch::Kind::ByAddress,
                            Address{uint8_t(first), uint8_t(second), uint8_t(function)}, 0, 0, 0};
        return true;
    }
    // VENDOR:DEVICE[#N]: four hex digits each, so "0:4" is never read as an ID by accident.
    if (p - after_colon != 4 || after_colon - 1 - text != 4)
        return fail(why, "vendor and device IDs are 4 hex digits each (or write BUS:DEVICE.FUNCTION)");
    long instance = 0;
    if (*p == '#') {
        ++p;
        unsigned digits = 0;
        for (; *p >= '0' && *p <= '9'; ++p, ++digits) {
            instance = instance * 10 + (*p - '0');
            if (instance > 255)
                return fail(why, "instance is at most 255");
        }
        if (digits == 0)
            return fail(why, "expected a decimal instance after '#'");
    }
    if (*p != '\0')
        return fail(why, "unexpected characters after the name");
    if (first == 0xffff)
        return fail(why, "vendor ffff is no device");
    match = DeviceMatch{DeviceMatch::Kind::ById, Address{}, uint16_t(first), uint16_t(second),
                        uint16_t(instance)};
    return true;
}

char* format_address(Address address, char* buffer, size_t size)
{
    snprintf(buffer, size, "%02x:%02x.%x", address.bus, address.device, address.function);
    return buffer;
}

char* format_device_match(const DeviceMatch& match, char* buffer, size_t size)
{
    if (match.kind == DeviceMatch::Kind::ByAddress)
        return format_address(match.address, buffer, size);
    snprintf(buffer, size, "%04x:%04x#%u", match.vendor, match.device, match.instance);
    return buffer;
}

} // namespace tessera::pci

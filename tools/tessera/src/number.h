// Numbers and booleans as Microkit descriptions write them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::sdf {

// Decimal or 0x-prefixed hexadecimal, '_' allowed as a digit separator (as Microkit accepts);
// nullopt when malformed or above 2^64 - 1.
std::optional<uint64_t> parse_integer(std::string_view text);

// "true" or "false".
std::optional<bool> parse_boolean(std::string_view text);

// 0x-prefixed lower-case hexadecimal, for messages.
std::string hex(uint64_t value);

} // namespace tessera::sdf

// What identifies an interface on the wire (its fingerprint, in every call's label) and what
// identifies one generation of its headers (every constant they hold), so that a call between
// programs built from different descriptions is refused, and `tessera build` can tell a program
// compiled from stale headers (docs/interfaces.md, "Generations").
#pragma once

#include <cstdint>
#include <string>

#include "model.h"

namespace tessera::sdf {

// Bumped whenever the generated code or its wire format changes.
inline constexpr uint32_t GeneratorVersion = 1;

// The interface's contract as text: types, errors, methods with their parameters, events and
// dataports, without documentation.
std::string interface_contract(const Interface& interface);

// 32 bits of the contract's hash, never 0: bits 16-47 of every label.
uint32_t interface_fingerprint(const Interface& interface);

// 64 bits over the generator version, the contract and every per-protection-domain constant of
// interface `index` in system (ports, channel ids, dataport addresses, permitted methods).
uint64_t interface_generation(const System& system, size_t index);

// The symbol a program compiled with that generation's header holds:
// tessera_generation_<interface>_<16 hex digits>.
std::string generation_symbol_prefix(const Interface& interface);
std::string generation_symbol(const Interface& interface, uint64_t generation);

} // namespace tessera::sdf

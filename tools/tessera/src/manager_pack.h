// What `tessera build` gives a dynamic manager's protection domain besides what every PD has:
// its RAM as untypeds and the read-only directory of its program files and configuration
// (spec.h, TESSERA_MANAGER_*; docs/dynamic.md, "Resources").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "model.h"

namespace tessera::sdf {

// log2 sizes of the untypeds that make up `ram` bytes (a multiple of 4 KiB): its binary digits,
// largest first, each at most 2^TESSERA_MANAGER_UNTYPED_BITS. Empty when that takes more than
// TESSERA_MANAGER_MAX_UNTYPEDS untypeds.
std::vector<uint32_t> manager_untyped_bits(uint64_t ram);

// A template protection domain's part of the directory: its program (setvars patched) and what
// a child made from it gets (spec.h, TESSERA_TEMPLATE_*).
struct PackedTemplates {
    std::vector<std::vector<uint8_t>> programs; // in ManagerElement::templates' order
    std::vector<tessera_manager_template_cap> caps;
    size_t cap_room = 0; // entries the table has room for (>= caps.size()), to size it in advance
};

// The bytes mapped at TESSERA_MANAGER_DIRECTORY_VADDR: the directory page, the description's
// text, each program file (found in `directories`), each template's program and the template
// capability table, each from a page boundary. Reports a missing or unreadable program, or more
// programs than the directory holds.
std::optional<std::vector<uint8_t>> pack_manager_directory(const ManagerElement& element,
                                                           uint32_t cnode_bits,
                                                           const std::vector<uint32_t>& untyped_bits,
                                                           const PackedTemplates& templates,
                                                           const std::vector<std::string>& directories,
                                                           Diagnostics& diagnostics);

} // namespace tessera::sdf

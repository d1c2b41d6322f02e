// Microkit 2.3.0's domain scheduling in a .system file: <domains> with its <domain> names and
// its <domain_schedule> of <schedule_entry> and <schedule_end_marker>, and each protection
// domain's `domain` attribute. Checked as Microkit's tool checks them, against the kernel's
// 16 domains and 100 schedule entries.
#pragma once

#include "diagnostics.h"
#include "model.h"
#include "xml_element.h"

namespace tessera::sdf {

// Reads a <domains> element into system.domains (a second one is an error).
void read_domains(pugi::xml_node node, const ElementContext& context, System& system);

// Once the whole file is read: gives domains without an id the lowest free ones, resolves the
// schedule's and the protection domains' domain names, and checks that every protection domain
// names a domain when there is a schedule and none does without one.
void resolve_domains(System& system, Diagnostics& diagnostics);

} // namespace tessera::sdf

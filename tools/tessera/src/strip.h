// `tessera strip`: the plain Microkit description of a system, for Microkit's own tool. Tessera's
// interface elements are removed and what their connections mean is written out as Microkit
// elements: channels, memory regions and maps (docs/interfaces.md, "Stripping").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model.h"

namespace tessera::sdf {

// text is the description that `system` was parsed from (checked, without errors); `source`
// names it in the comment the output starts with. nullopt with why set if text is not XML.
std::optional<std::string> strip_system(std::string_view text, const System& system,
                                        const std::string& source, std::string& why);

} // namespace tessera::sdf

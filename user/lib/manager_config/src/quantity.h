// Numbers in attribute values: plain decimal or 0x hexadecimal counts, and sizes with a binary
// unit suffix (K, M, G = KiB, MiB, GiB). Overflow is an error, never a wrap.
#pragma once

#include <stdint.h>

#include <tessera/manager_config/text.h>

namespace tessera::manager_config {

bool parse_count(Text text, uint64_t& value);
bool parse_size(Text text, uint64_t& bytes);

} // namespace tessera::manager_config

// Human-readable listing of a boot image: its entries and every spec operation.
#pragma once

#include <string>
#include <vector>

#include "tessera/spec_reader.h"

namespace tessera::sdf {

// One line per entry and per op, e.g. "   12 map_frame vspace=#2 frame=#9 vaddr=0x400000 rw- cached".
std::string describe_image(const spec::ImageView& image);

// One line per op, without its index (as describe_image prints them).
std::vector<std::string> describe_operations(const spec::SpecView& spec);

} // namespace tessera::sdf

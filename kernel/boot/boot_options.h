// Kernel command-line options (the Multiboot command line: words separated by spaces).
#pragma once

namespace tessera::boot {

// True when `name` appears as a whole word in `command_line`.
bool has_option(const char* command_line, const char* name);

} // namespace tessera::boot

// The server's one command (main.cc), shared by its two start-ups: seL4's root task (main()) and
// a protection domain (pd.cc).
#pragma once

#include "sel4/platform.h"

namespace tessera::posix {

// Mounts the root, runs the command in tessera_posix_command to its exit and writes the status
// frame; the status (125 when `platform` is null or the root cannot be mounted).
int run_command(sel4::Platform* platform);

} // namespace tessera::posix

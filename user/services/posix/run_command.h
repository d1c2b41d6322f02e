// The server's one command (main.cc), shared by its two start-ups: seL4's root task (main()) and
// a protection domain (pd.cc).
#pragma once

#include <tessera/fs_client.h>

#include "sel4/platform.h"

namespace tessera::posix {

// Mounts the root, runs the command in tessera_posix_command to its exit and writes the status
// frame; the status (125 when `platform` is null or the root cannot be mounted). The root is the
// volume of the file-system service on `service` when given (a PD's connection to the ext2
// service), else the disk in the image (tessera_posix_disk), else the packed busybox tree.
int run_command(sel4::Platform* platform, tessera_fs* service);

} // namespace tessera::posix

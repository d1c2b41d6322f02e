// Checks every namespace operation starts with: a usable name, a directory that is one.
#pragma once

#include <tessera/ext2/errno.h>
#include <tessera/ext2/types.h>

#include "inode.h"
#include "volume.h"

namespace tessera::ext2 {

// Errno::NameTooLong past NameMax bytes; Errno::Inval when empty or holding '/' or NUL.
Result<void> check_name(Name name);

// The directory's record; Errno::NotDir when it is something else, Errno::NoEnt when it has
// been removed (it is only still around because someone holds it).
Result<InodeData> load_directory(Volume& volume, InodeNumber directory);

} // namespace tessera::ext2

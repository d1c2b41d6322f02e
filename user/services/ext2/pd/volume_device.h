// Where the service's volume is: one function, defined by the device the program is linked with
// (the block-virtualiser client, or an image built into the program for tests). Called once per
// start of the service; nullptr (with a reason logged) when there is no usable device.
#pragma once

#include <tessera/ext2/block_device.h>
#include <tessera/ext2/file_system.h>

namespace tessera::services::ext2 {

tessera::ext2::BlockDevice* open_volume_device();
// What the device allows, once open: a read-only disk mounts read-only.
tessera::ext2::Access volume_access();

} // namespace tessera::services::ext2

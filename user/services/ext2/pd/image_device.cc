// The volume as an image built into the program (image.S, from `mke2fs -d` at build time): for
// tests and benchmarks of the service without a disk. Changes live in the program's memory, so
// they survive a restart of the service but not a reboot.
#include <new>

#include <tessera/ext2/memory_device.h>

#include "volume_device.h"

extern "C" uint8_t tessera_ext2_image_start[];
extern "C" uint8_t tessera_ext2_image_end[];

namespace tessera::services::ext2 {

tessera::ext2::BlockDevice* open_volume_device()
{
    static tessera::ext2::MemoryBlockDevice* device = nullptr;
    alignas(tessera::ext2::MemoryBlockDevice) static uint8_t place[sizeof(tessera::ext2::MemoryBlockDevice)];
    if (device == nullptr)
        device = new (place) tessera::ext2::MemoryBlockDevice(
            tessera_ext2_image_start,
            static_cast<size_t>(tessera_ext2_image_end - tessera_ext2_image_start));
    return device;
}

tessera::ext2::Access volume_access() { return tessera::ext2::Access::ReadWrite; }

} // namespace tessera::services::ext2

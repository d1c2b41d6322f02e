#include "operation_helpers.h"

#include <string.h>

namespace tessera::ext2 {

Result<void> check_name(Name name)
{
    if (name.length == 0)
        return Errno::NoEnt;
    if (name.length > NameMax)
        return Errno::NameTooLong;
    if (memchr(name.bytes, '/', name.length) != nullptr || memchr(name.bytes, '\0', name.length) != nullptr)
        return Errno::Inval;
    return {};
}

Result<InodeData> load_directory(Volume& volume, InodeNumber directory)
{
    Result<InodeData> loaded = volume.load_inode(directory);
    if (!loaded)
        return loaded;
    if (!loaded.value().is_directory())
        return Errno::NotDir;
    if (loaded.value().raw.links_count == 0)
        return Errno::NoEnt;
    return loaded;
}

} // namespace tessera::ext2

// Requests about the whole volume: STATFS and SYNC.
#include <string.h>

#include "request_context.h"
#include "service.h"

namespace tessera::services::ext2 {

Reply Service::statfs(Context& c)
{
    tessera::ext2::VolumeStatistics v = c.fs.statistics();
    tessera_fs_statfs s{};
    s.block_size = v.block_size;
    s.blocks = v.blocks;
    s.free_blocks = v.free_blocks;
    s.available_blocks = v.available_blocks;
    s.inodes = v.inodes;
    s.free_inodes = v.free_inodes;
    s.fsid = v.fsid;
    s.name_max = v.name_max;
    s.flags = (v.read_only || c.client.access == Access::ReadOnly) ? TESSERA_FS_STATFS_READ_ONLY : 0;
    memcpy(c.client.window, &s, sizeof s);
    return success();
}

Reply Service::sync(Context& c)
{
    if (c.fs.is_read_only())
        return success();
    Result<void> done = c.fs.sync();
    return done ? success() : failure(done.error());
}

Reply Service::drop_caches(Context& c)
{
    Result<void> writable = check_writable(c);
    if (!writable)
        return failure(writable.error());
    Result<void> done = c.fs.drop_caches();
    return done ? success() : failure(done.error());
}

} // namespace tessera::services::ext2

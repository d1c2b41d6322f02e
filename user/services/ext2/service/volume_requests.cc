// Requests about the whole volume: STATFS, SYNC, DROP_CACHES and VOLUME_STATUS.
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

Reply volume_status_reply(tessera_fs_volume_state state, const char* note, uint8_t* window,
                          size_t window_bytes)
{
    size_t length = note != nullptr ? strlen(note) : 0;
    if (length > window_bytes)
        length = window_bytes;
    if (length > 0)
        memcpy(window, note, length);
    Reply reply;
    reply.words[0] = static_cast<uint64_t>(state);
    reply.words[1] = length;
    reply.word_count = 2;
    return reply;
}

Reply Service::volume_status(Context& c)
{
    if (c.fs.is_read_only())
        return volume_status_reply(TESSERA_FS_VOLUME_READ_ONLY, volume_note_, c.client.window,
                                   c.client.window_bytes);
    if (c.client.access == Access::ReadOnly)
        return volume_status_reply(TESSERA_FS_VOLUME_READ_ONLY,
                                   "this client's access is read-only", c.client.window,
                                   c.client.window_bytes);
    return volume_status_reply(TESSERA_FS_VOLUME_READ_WRITE, "", c.client.window,
                               c.client.window_bytes);
}

} // namespace tessera::services::ext2

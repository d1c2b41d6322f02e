// The ext2 service inside the server: the file-system service's logic (user/services/ext2/service)
// mounted on a disk the server holds, with one client connection (tessera/fs_client.h) whose
// transport calls the service directly. The server's Ext2Volume speaks the same protocol as to
// the service's protection domain, so moving the service out is a change of transport only.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/ext2/block_device.h>
#include <tessera/ext2/clock.h>
#include <tessera/ext2/file_system.h>
#include <tessera/ext2/path_walker.h>
#include <tessera/fs_client.h>

#include "service.h"

namespace tessera::posix::server {

class LocalExt2 {
public:
    // Mounts `device` (the cache and the service's tables in `arena_bytes` of `arena`, the
    // window in `window_bytes` of `window`); false with the reason in `why` (kept by the object).
    bool mount(tessera::ext2::BlockDevice& device, tessera::ext2::Clock& clock, void* arena,
               size_t arena_bytes, uint8_t* window, size_t window_bytes);
    const char* why() const { return report_.reason; }
    bool read_only() const { return report_.access == tessera::ext2::Access::ReadOnly; }
    // The connection, once mounted.
    tessera_fs& connection() { return connection_; }

private:
    static uint64_t call(void* context, uint64_t operation, const uint64_t* words, unsigned count,
                         uint64_t* reply, unsigned reply_capacity);

    tessera::ext2::MountReport report_;
    services::ext2::ServiceState state_{};
    services::ext2::Service* service_ = nullptr;
    tessera_fs connection_{};
};

} // namespace tessera::posix::server

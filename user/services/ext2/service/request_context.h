// One request being served, and the decoding every handler shares: paths copied out of the
// window, names resolved under the client's root, handles checked, rights checked.
#pragma once

#include <stdint.h>

#include "service.h"

namespace tessera::services::ext2 {

using tessera::ext2::Attributes;
using tessera::ext2::FileType;
using tessera::ext2::Name;

struct RequestContext {
    FileSystem& fs;
    PathWalker& walker;
    ServedClient& client;
    HandleTable& handles;
    const Request& request;
    char* path_buffers[2]; // TESSERA_FS_PATH_MAX bytes each

    uint64_t word(unsigned i) const { return request.words[i]; }
};

Reply failure(Errno error);
Reply success(uint32_t count = 0, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0);

// Copies the path whose length is in word `length_word`, found at `offset` in the window, into
// buffer (TESSERA_FS_PATH_MAX bytes): the client may change the window at any time. ENOENT when
// empty, ENAMETOOLONG past PATH_MAX, EFAULT outside the window, EINVAL with a NUL inside.
Result<Name> take_path(RequestContext& c, unsigned length_word, uint64_t offset, char* buffer);

struct Target {
    InodeNumber directory{0};
    Name name; // empty when the path is the client's root itself
};
// The directory holding path's last component, under the client's root.
Result<Target> parent_of(RequestContext& c, Name path);
Result<InodeNumber> resolve(RequestContext& c, Name path, PathWalker::Follow follow);

// EROFS for a read-only client.
Result<void> check_writable(const RequestContext& c);

// The slot of the handle in word `handle_word`: EBADF if there is none, ESTALE if its inode
// was freed and reused since (only possible across a restart).
Result<HandleSlot*> handle_of(RequestContext& c, unsigned handle_word);

uint8_t protocol_type(FileType type);
void encode_stat(const Attributes& attributes, uint8_t* window);

} // namespace tessera::services::ext2

// The file-system service's logic, free of kernel calls so the host tests run it: one mounted
// volume, up to MaxClients clients each confined to its root directory (read-write or read-only),
// requests decoded from the protocol (tessera/fs_protocol.h) and answered. The protection domain
// (../pd/) feeds it protected procedure calls; host tests call handle() directly.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/ext2/file_system.h>
#include <tessera/ext2/path_walker.h>
#include <tessera/fs_protocol.h>

#include "handle_table.h"

namespace tessera::services::ext2 {

using tessera::ext2::Access;
using tessera::ext2::Errno;
using tessera::ext2::FileSystem;
using tessera::ext2::InodeNumber;
using tessera::ext2::PathWalker;
using tessera::ext2::Result;

constexpr unsigned MaxClients = 16;

struct Request {
    uint64_t operation = 0; // enum tessera_fs_operation
    uint64_t words[TESSERA_FS_MAX_WORDS] = {};
    uint32_t word_count = 0;
};

struct Reply {
    uint64_t error = 0; // 0 or an errno value: the reply's label
    uint64_t words[3] = {};
    uint32_t word_count = 0;
};

struct ClientSetup {
    const char* root = "/";          // the client's "/", a path on the volume
    Access access = Access::ReadWrite;
    uint8_t* window = nullptr;       // the shared region, mapped in the service
    size_t window_bytes = 0;
};

// A client as the service sees it once started.
struct ServedClient {
    bool enabled = false;
    Access access = Access::ReadOnly;
    InodeNumber root{0};
    uint8_t* window = nullptr;
    size_t window_bytes = 0;
};

struct RequestContext;

// What the service survives a restart with: the clients' handle tables. The protection domain
// keeps it in memory a restart does not touch.
struct ServiceState {
    uint32_t magic = 0;
    uint32_t client_count = 0;
    HandleTable handles[MaxClients];
};

enum class Start { Fresh, AfterRestart };

// Where the service reports what it finds at start (a client without a root, handles dropped).
using LogLine = void (*)(void* context, const char* line);

// VOLUME_STATUS's reply: the state, and the note (cut to the window) at the window's start. Also
// what the protection domain answers when there is no volume to serve.
Reply volume_status_reply(tessera_fs_volume_state state, const char* note, uint8_t* window,
                          size_t window_bytes);

class Service {
public:
    // Sets up count clients on the mounted volume. A client whose root does not resolve to a
    // directory, or whose window is smaller than TESSERA_FS_MIN_WINDOW, is disabled (each of its
    // requests gets ENODEV... here EIO) and logged. AfterRestart keeps state's handle tables when
    // they are intact and holds their inodes again (dropping, and logging, those that are gone).
    void start(FileSystem& file_system, PathWalker& walker, const ClientSetup* clients,
               unsigned count, ServiceState& state, Start how, LogLine log, void* log_context);

    // One request from client `client` (its index in the setup). Every change is written back
    // to the device before this returns.
    Reply handle(unsigned client, const Request& request);

    // The line VOLUME_STATUS gives with a read-only volume (the mount report's reason); the
    // text must outlive the service.
    void describe_volume(const char* note) { volume_note_ = note; }

    bool is_enabled(unsigned client) const { return client < count_ && clients_[client].enabled; }
    InodeNumber root_of(unsigned client) const { return clients_[client].root; }

private:
    using Context = RequestContext;
    Reply dispatch(Context& c);
    Reply open(Context& c);
    Reply close(Context& c);
    Reply read(Context& c);
    Reply write(Context& c);
    Reply stat(Context& c);
    Reply fstat(Context& c);
    Reply read_directory(Context& c);
    Reply make_directory(Context& c);
    Reply remove(Context& c, bool directory);
    Reply rename(Context& c);
    Reply link(Context& c);
    Reply symlink(Context& c);
    Reply read_link(Context& c);
    Reply truncate(Context& c);
    Reply set_attributes(Context& c);
    Reply statfs(Context& c);
    Reply fsync(Context& c);
    Reply sync(Context& c);
    Reply drop_caches(Context& c);
    Reply volume_status(Context& c);

    void log(const char* format, ...) __attribute__((format(printf, 2, 3)));
    void reattach_handles(unsigned client);

    FileSystem* fs_ = nullptr;
    PathWalker* walker_ = nullptr;
    ServiceState* state_ = nullptr;
    ServedClient clients_[MaxClients];
    unsigned count_ = 0;
    LogLine log_ = nullptr;
    void* log_context_ = nullptr;
    const char* volume_note_ = "";
    // Paths are copied out of the window before use: the client may change it at any time.
    char paths_[2][TESSERA_FS_PATH_MAX];
};

} // namespace tessera::services::ext2

// Serving requests: each handler decodes its message registers and window contents, checks the
// client's rights, calls the file system and encodes the reply.
#include "service.h"

#include "request_context.h"

#include <stdarg.h>
#include <string.h>

#include <tessera/format.h>

namespace tessera::services::ext2 {

using tessera::ext2::Attributes;
using tessera::ext2::FileType;
using tessera::ext2::RootInode;

namespace {

constexpr uint32_t StateMagic = 0x32747865; // "ext2"

bool changes_the_volume(uint64_t operation)
{
    switch (operation) {
    case TESSERA_FS_OPEN: // O_CREAT, O_TRUNC
    case TESSERA_FS_CLOSE: // the last close of an unlinked file frees it
    case TESSERA_FS_WRITE:
    case TESSERA_FS_MKDIR:
    case TESSERA_FS_RMDIR:
    case TESSERA_FS_UNLINK:
    case TESSERA_FS_RENAME:
    case TESSERA_FS_LINK:
    case TESSERA_FS_SYMLINK:
    case TESSERA_FS_TRUNCATE:
    case TESSERA_FS_SETATTR:
        return true;
    default:
        return false;
    }
}

} // namespace

void Service::log(const char* format, ...)
{
    if (log_ == nullptr)
        return;
    char line[200];
    va_list args;
    va_start(args, format);
    tessera_vsnprintf(line, sizeof line, format, args);
    va_end(args);
    log_(log_context_, line);
}

void Service::start(FileSystem& file_system, PathWalker& walker, const ClientSetup* clients,
                    unsigned count, ServiceState& state, Start how, LogLine log_line,
                    void* log_context)
{
    fs_ = &file_system;
    walker_ = &walker;
    state_ = &state;
    log_ = log_line;
    log_context_ = log_context;
    count_ = count < MaxClients ? count : MaxClients;
    bool keep = how == Start::AfterRestart && state.magic == StateMagic && state.client_count == count_;
    if (how == Start::AfterRestart && !keep)
        log("ext2: the saved handle tables are not intact: clients start with none");
    if (!keep) {
        state = ServiceState{};
        state.magic = StateMagic;
        state.client_count = count_;
    }
    for (unsigned i = 0; i < count_; ++i) {
        ServedClient& client = clients_[i];
        client = ServedClient{};
        const ClientSetup& setup = clients[i];
        if (setup.window == nullptr || setup.window_bytes < TESSERA_FS_MIN_WINDOW) {
            log("ext2: client %u: window of %zu bytes, at least %u needed: disabled", i,
                setup.window_bytes, TESSERA_FS_MIN_WINDOW);
            continue;
        }
        const char* root = setup.root != nullptr ? setup.root : "/";
        Result<InodeNumber> found = walker.resolve(RootInode, root, strlen(root), PathWalker::Follow::Yes);
        Result<Attributes> attributes = found ? file_system.stat(found.value()) : Result<Attributes>(found.error());
        if (!attributes || tessera::ext2::file_type(attributes.value().mode) != FileType::Directory) {
            log("ext2: client %u: root %s is not a directory (%s): disabled", i, root,
                attributes ? "not a directory" : errno_text(attributes.error()));
            continue;
        }
        // Held, so that removing the directory (by another client) leaves this one an empty,
        // dead directory rather than a dangling inode.
        (void)file_system.hold(found.value());
        client.enabled = true;
        client.access = setup.access;
        client.root = found.value();
        client.window = setup.window;
        client.window_bytes = setup.window_bytes;
        if (keep)
            reattach_handles(i);
    }
}

void Service::reattach_handles(unsigned client)
{
    HandleTable& table = state_->handles[client];
    for (unsigned i = 0; i < HandleTable::Capacity; ++i) {
        HandleSlot& slot = table.slot(i);
        if (slot.inode == 0)
            continue;
        Result<void> held = fs_->reattach(InodeNumber{slot.inode}, slot.generation);
        if (!held) {
            log("ext2: client %u: handle %u (inode %u) is gone after the restart (%s)", client, i,
                slot.inode, errno_name(held.error()));
            slot = HandleSlot{};
        }
    }
}

Reply Service::handle(unsigned index, const Request& request)
{
    if (index >= count_)
        return failure(Errno::Inval);
    ServedClient& client = clients_[index];
    if (!client.enabled)
        return failure(Errno::Io);
    Context c{*fs_, *walker_, client, state_->handles[index], request, {paths_[0], paths_[1]}};
    Reply reply = dispatch(c);
    if (changes_the_volume(request.operation) && !fs_->is_read_only()) {
        Result<void> written = fs_->write_back();
        if (!written && reply.error == 0)
            reply = failure(written.error());
    }
    return reply;
}

Reply Service::dispatch(Context& c)
{
    switch (c.request.operation) {
    case TESSERA_FS_OPEN: return open(c);
    case TESSERA_FS_CLOSE: return close(c);
    case TESSERA_FS_READ: return read(c);
    case TESSERA_FS_WRITE: return write(c);
    case TESSERA_FS_STAT: return stat(c);
    case TESSERA_FS_FSTAT: return fstat(c);
    case TESSERA_FS_READDIR: return read_directory(c);
    case TESSERA_FS_MKDIR: return make_directory(c);
    case TESSERA_FS_RMDIR: return remove(c, true);
    case TESSERA_FS_UNLINK: return remove(c, false);
    case TESSERA_FS_RENAME: return rename(c);
    case TESSERA_FS_LINK: return link(c);
    case TESSERA_FS_SYMLINK: return symlink(c);
    case TESSERA_FS_READLINK: return read_link(c);
    case TESSERA_FS_TRUNCATE: return truncate(c);
    case TESSERA_FS_SETATTR: return set_attributes(c);
    case TESSERA_FS_STATFS: return statfs(c);
    case TESSERA_FS_VOLUME_STATUS: return volume_status(c);
    case TESSERA_FS_FSYNC: return fsync(c);
    case TESSERA_FS_SYNC: return sync(c);
    case TESSERA_FS_DROP_CACHES: return drop_caches(c);
    default: return failure(Errno::NoSys);
    }
}

} // namespace tessera::services::ext2

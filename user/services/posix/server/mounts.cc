// The server's mounts (docs/posix.md, "Mounts"): which volume a folded name goes to, and the
// calls that must stay on one volume.
#include "server/server.h"

namespace tessera::posix::server {

void Server::describe_root(const char* source, const char* type, const char* options)
{
    fs::Mount* root = mounts_.at(0); // the constructor's first
    root->source = source;
    root->type = type;
    root->options = options;
}

fs::Volume& Server::volume_for(const char* name) const
{
    const fs::Mount* mount = mounts_.find(name);
    return mount != nullptr ? *mount->volume : root_;
}

Result<void> Server::across(const char* from, const char* to,
                            Result<void> (fs::Volume::*change)(const char*, const char*))
{
    fs::Volume& volume = volume_for(from);
    if (&volume_for(to) != &volume)
        return Errno::XDev;
    return (volume.*change)(from, to);
}

} // namespace tessera::posix::server

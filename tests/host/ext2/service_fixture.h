// The file-system service in-process: a volume made by mke2fs, the service over it, and client
// connections (tessera/fs_client.h) whose transport calls Service::handle directly. Restarting
// the service drops its cache and mount, as a restart of the protection domain does, and keeps
// the ServiceState, as the domain's memory does.
#pragma once

#include <errno.h>

#include <memory>
#include <vector>

#include <tessera/fs_client.h>

#include "../../../user/services/ext2/service/service.h"
#include "volume_fixture.h"

namespace tessera::ext2::test {

using services::ext2::ClientSetup;
using services::ext2::Reply;
using services::ext2::Request;
using services::ext2::Service;
using services::ext2::ServiceState;
using services::ext2::Start;

struct ClientSpec {
    std::string root = "/";
    Access access = Access::ReadWrite;
    size_t window = 64 * 1024;
};

class Ext2ServiceFixture : public Ext2VolumeFixture {
public:
    // A raw request, for what the library never sends.
    Reply raw(unsigned i, uint64_t operation, std::vector<uint64_t> words);
    struct Endpoint {
        Ext2ServiceFixture* fixture;
        unsigned index;
    };

protected:
    void start_service(const std::vector<ClientSpec>& specs, Start how = Start::Fresh);
    // Remounts the device (the cache is lost) and starts the service again on the same state.
    void restart_service();
    void begin(Start how);
    // A client connection for client index i.
    tessera_fs& client(unsigned i) { return *connections[i]; }
    uint8_t* window(unsigned i) { return windows[i].data(); }

    std::vector<ClientSpec> specs;
    std::vector<std::vector<uint8_t>> windows;
    std::vector<std::unique_ptr<tessera_fs>> connections;
    std::vector<std::unique_ptr<Endpoint>> endpoints;
    std::unique_ptr<Service> service;
    ServiceState state;
    std::vector<std::string> log;
};

// The errno of the last failed call, by name, for readable assertions.
inline const char* last_error() { return errno_name(static_cast<Errno>(errno)); }

} // namespace tessera::ext2::test

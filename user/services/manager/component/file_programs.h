// Children's programs from the file system (binary="/path", docs/dynamic.md "Programs"): the
// manager's connection to the file-system service, through which a program file is read whole
// before it is loaded.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/fs_client.h>
#include <tessera/libos/result.h>

namespace tessera::manager {

class ProgramFiles {
public:
    // The whole file at `path` into [into, into + capacity): its length, or an error whose text
    // says why (no such file, larger than `capacity`, the service failed).
    virtual libos::Result<size_t> read(const char* path, uint8_t* into, size_t capacity) = 0;

protected:
    ~ProgramFiles() = default;
};

// A connection to the file-system service (tessera/fs_client.h) on a Microkit channel.
class FileSystemPrograms final : public ProgramFiles {
public:
    // false when the window is too small for the protocol.
    bool connect(unsigned channel, void* window, size_t window_bytes);
    libos::Result<size_t> read(const char* path, uint8_t* into, size_t capacity) override;

private:
    tessera_fs fs_{};
};

} // namespace tessera::manager

// The root volume as a client of the ext2 service: every operation goes out as the file-system
// protocol (tessera/fs_protocol.h) through the client library on one connection, whatever carries
// it (a protected procedure call to the service's component; a direct call in the host tests).
// The server keeps file offsets itself, so reads and writes are positioned.
#pragma once

#include <tessera/fs_client.h>

#include "core/fs/volume.h"

namespace tessera::posix::fs {

class Ext2Volume final : public Volume {
public:
    // `connection` is initialised (tessera_fs_init) and used by this volume alone.
    explicit Ext2Volume(tessera_fs& connection) : fs_(connection) {}

    Result<Handle> open(const char* path, uint32_t flags, uint32_t mode) override;
    void close(Handle handle) override;
    Result<size_t> read(Handle handle, uint64_t offset, void* buffer, size_t length) override;
    Result<size_t> write(Handle handle, uint64_t offset, const void* bytes,
                         size_t length) override;
    Result<void> truncate(Handle handle, uint64_t size) override;
    Result<linux::Stat> stat(Handle handle) override;
    Result<linux::Stat> stat(const char* path, bool follow) override;
    Result<void> list(Handle directory, uint64_t& cursor, EntrySink& sink) override;
    Result<void> make_directory(const char* path, uint32_t mode) override;
    Result<void> remove_directory(const char* path) override;
    Result<void> unlink(const char* path) override;
    Result<void> rename(const char* from, const char* to) override;
    Result<void> link(const char* existing, const char* name) override;
    Result<void> symlink(const char* target, const char* name) override;
    Result<size_t> read_link(const char* path, char* buffer, size_t capacity) override;
    Result<void> change_mode(const char* path, uint32_t mode) override;
    Result<void> set_attributes(Handle handle, const AttributeChange& change) override;
    Result<linux::Statfs> statfs() override;
    Result<void> sync() override;

    // The Linux stat of a protocol stat (the device number is the volume's).
    static linux::Stat to_linux(const struct tessera_fs_stat& stat);
    static constexpr uint64_t DeviceNumber = 0x801; // what Linux gives the first disk's volume

private:
    tessera_fs& fs_;
};

} // namespace tessera::posix::fs

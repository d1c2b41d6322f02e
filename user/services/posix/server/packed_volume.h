// The default root as a Volume: the files the server carries in its own image (FileTable),
// read-only. Directories are implied by the paths; open directories take a slot of their own.
#pragma once

#include "core/fs/volume.h"
#include "server/file_table.h"

namespace tessera::posix::server {

class PackedVolume final : public fs::Volume {
public:
    static constexpr int MaxOpenDirectories = 128;

    explicit PackedVolume(const FileTable& files) : files_(files) {}

    Result<fs::Handle> open(const char* path, uint32_t flags, uint32_t mode) override;
    void close(fs::Handle handle) override;
    Result<size_t> read(fs::Handle handle, uint64_t offset, void* buffer, size_t length) override;
    Result<size_t> write(fs::Handle handle, uint64_t offset, const void* bytes,
                         size_t length) override;
    Result<void> truncate(fs::Handle handle, uint64_t size) override;
    Result<linux::Stat> stat(fs::Handle handle) override;
    Result<linux::Stat> stat(const char* path, bool follow) override;
    Result<void> list(fs::Handle directory, uint64_t& cursor, fs::EntrySink& sink) override;
    Result<void> make_directory(const char* path, uint32_t mode) override;
    Result<void> remove_directory(const char* path) override;
    Result<void> unlink(const char* path) override;
    Result<void> rename(const char* from, const char* to) override;
    Result<void> link(const char* existing, const char* name) override;
    Result<void> symlink(const char* target, const char* name) override;
    Result<size_t> read_link(const char* path, char* buffer, size_t capacity) override;
    Result<void> change_mode(const char* path, uint32_t mode) override;
    Result<void> set_attributes(fs::Handle, const fs::AttributeChange&) override { return Errno::RoFs; }
    Result<linux::Statfs> statfs() override;
    Result<void> sync() override { return {}; }
    const uint8_t* contents(fs::Handle handle) override;

private:
    // Handles below the file count are files (their index); above it, directory slots.
    const PackedFile* file_of(fs::Handle handle) const;
    const char* directory_of(fs::Handle handle) const;
    // NoEnt, or RoFs/Exist for a name that could be made on a writable volume.
    Result<void> refuse_change(const char* path) const;

    const FileTable& files_;
    struct OpenDirectory {
        bool in_use = false;
        char path[256] = {};
    } directories_[MaxOpenDirectories];
};

} // namespace tessera::posix::server

// The root volume with its changes made durable as the calls happen, not only when the server
// ends: a crash of the system (or a kill of the machine) loses no change a finished call made
// to the volume's names or attributes, and no file data that was closed or synced.
//
// When: after every call that changes a name or an attribute (open that creates or truncates,
// mkdir, rmdir, unlink, rename, link, symlink, truncate, set_attributes), after a close that
// follows writes, at sync (fsync, fdatasync, sync, syncfs), and once WriteBackBytes of file data
// were written since the last time; then the inner volume writes out its cache (sync) and the
// `Committer` makes what the disk got durable as one step (the tool applies a commit's writes
// together, so the image is always at a point where the volume was consistent).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/fs/volume.h"

namespace tessera::posix::fs {

// Makes durable, as one unit, everything the inner volume wrote to its disk since the last
// commit (`tessera linux`: the written parts of the disk sent on the serial line with a closing
// commit frame).
class Committer {
public:
    virtual Result<void> commit() = 0;

protected:
    ~Committer() = default;
};

class DurableVolume final : public Volume {
public:
    // File data written since the last commit after which the next write commits.
    static constexpr uint64_t WriteBackBytes = 256u << 10;

    DurableVolume(Volume& inner, Committer& committer) : inner_(inner), committer_(committer) {}

    Result<Handle> open(const char* path, uint32_t flags, uint32_t mode) override;
    void close(Handle handle) override;
    Result<size_t> read(Handle handle, uint64_t offset, void* buffer, size_t length) override
    {
        return inner_.read(handle, offset, buffer, length);
    }
    Result<size_t> write(Handle handle, uint64_t offset, const void* bytes, size_t length) override;
    Result<void> truncate(Handle handle, uint64_t size) override;
    Result<linux::Stat> stat(Handle handle) override { return inner_.stat(handle); }
    Result<linux::Stat> stat(const char* path, bool follow) override { return inner_.stat(path, follow); }
    Result<void> list(Handle directory, uint64_t& cursor, EntrySink& sink) override
    {
        return inner_.list(directory, cursor, sink);
    }
    Result<void> make_directory(const char* path, uint32_t mode) override;
    Result<void> remove_directory(const char* path) override;
    Result<void> unlink(const char* path) override;
    Result<void> rename(const char* from, const char* to) override;
    Result<void> link(const char* existing, const char* name) override;
    Result<void> symlink(const char* target, const char* name) override;
    Result<size_t> read_link(const char* path, char* buffer, size_t capacity) override
    {
        return inner_.read_link(path, buffer, capacity);
    }
    Result<void> change_mode(const char* path, uint32_t mode) override;
    Result<void> set_attributes(Handle handle, const AttributeChange& change) override;
    Result<linux::Statfs> statfs() override { return inner_.statfs(); }
    // The inner volume's sync and a commit: the first error of either.
    Result<void> sync() override;
    const uint8_t* contents(Handle handle) override { return inner_.contents(handle); }

    // Commits made so far (the tests count them).
    uint64_t commits() const { return commits_; }

private:
    // A change is done: sync and commit, keeping `result` (a failed commit is logged once and
    // answered by the next sync).
    template <class T> Result<T> settle(Result<T> result);

    Volume& inner_;
    Committer& committer_;
    uint64_t unsettled_bytes_ = 0; // file data written since the last commit
    bool unsettled_ = false;       // any change since the last commit
    bool failed_ = false;          // a commit failed since the last sync
    uint64_t commits_ = 0;
};

} // namespace tessera::posix::fs

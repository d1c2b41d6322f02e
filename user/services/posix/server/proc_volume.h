// /proc as a volume the server mounts beside the root (docs/posix.md, "/proc"): the directories
// /proc, /proc/<pid> and /proc/<pid>/fd listed and described from the process table, the
// links /proc/<pid>/exe and /proc/<pid>/fd/<n> read, and the files /proc/mounts (the mount
// table) and /proc/meminfo (the server's frames), made afresh at each read. Following a link
// (open, stat) is the server's (Server::route). "self" is the pid the server set as the caller
// before asking. Nothing here changes: every change is EACCES.
#pragma once

#include <stddef.h>

#include "core/fs/mount_table.h"
#include "core/fs/proc_name.h"
#include "core/fs/volume.h"
#include "core/vm/frame.h"

namespace tessera::posix::server {

struct Process;
struct OpenFile;

class ProcVolume final : public fs::Volume {
public:
    static constexpr uint64_t DeviceNumber = 0x14; // an anonymous device, as procfs's

    ProcVolume(const Process* processes, size_t count) : processes_(processes), count_(count) {}
    // Whom "self" names in the names that follow.
    void set_caller(int32_t pid) { caller_ = pid; }
    // What /proc/mounts and /proc/meminfo show (without them: empty files).
    void set_sources(const fs::MountTable* mounts, const FramePool* frames)
    {
        mounts_ = mounts;
        frames_ = frames;
    }

    Result<fs::Handle> open(const char* path, uint32_t flags, uint32_t mode) override;
    void close(fs::Handle) override {}
    Result<size_t> read(fs::Handle handle, uint64_t offset, void* buffer, size_t length) override;
    Result<size_t> write(fs::Handle, uint64_t, const void*, size_t) override { return Errno::BadF; }
    Result<void> truncate(fs::Handle, uint64_t) override { return Errno::IsDir; }
    Result<linux::Stat> stat(fs::Handle handle) override;
    Result<linux::Stat> stat(const char* path, bool follow) override;
    Result<void> list(fs::Handle directory, uint64_t& cursor, fs::EntrySink& sink) override;
    Result<void> make_directory(const char*, uint32_t) override { return Errno::Acces; }
    Result<void> remove_directory(const char*) override { return Errno::Acces; }
    Result<void> unlink(const char*) override { return Errno::Acces; }
    Result<void> rename(const char*, const char*) override { return Errno::Acces; }
    Result<void> link(const char*, const char*) override { return Errno::Acces; }
    Result<void> symlink(const char*, const char*) override { return Errno::Acces; }
    Result<size_t> read_link(const char* path, char* buffer, size_t capacity) override;
    Result<void> change_mode(const char*, uint32_t) override { return Errno::Acces; }
    Result<void> set_attributes(fs::Handle, const fs::AttributeChange&) override { return Errno::Acces; }
    Result<linux::Statfs> statfs() override;
    Result<void> sync() override { return {}; }

    // What /proc/<pid>/fd/<n> reads for `file`: a volume file's name, "pipe:[inode]", a device's
    // or the console's name. Its length (cut to `capacity`, no NUL).
    static size_t describe(const OpenFile& file, char* buffer, size_t capacity);

private:
    // The live process `pid`, or null.
    const Process* find(int32_t pid) const;
    // `name` parsed, ENOENT for what is not there; /proc/self itself is its pid's directory
    // when `follow`.
    Result<fs::ProcName> look_up(const char* name, bool follow) const;
    Result<linux::Stat> stat_of(const fs::ProcName& name) const;
    // A file's whole text into `buffer`: its length.
    size_t text_of(fs::ProcName::Kind file, char* buffer, size_t capacity) const;

    const Process* processes_;
    size_t count_;
    int32_t caller_ = 0;
    const fs::MountTable* mounts_ = nullptr;
    const FramePool* frames_ = nullptr;
};

} // namespace tessera::posix::server

#include "server/proc_volume.h"

#include <string.h>

#include "core/fs/meminfo.h"
#include "linux/constants.h"
#include "server/server.h"

namespace tessera::posix::server {
namespace {

using Kind = fs::ProcName::Kind;

// A directory's handle: the pid times four plus which directory; a file's: its number (0
// mounts, 1 meminfo) times four plus FileCode.
enum DirectoryCode : int32_t { RootCode = 0, ProcessCode = 1, FdCode = 2, FileCode = 3 };

bool is_file(Kind kind) { return kind == Kind::Mounts || kind == Kind::Meminfo; }

fs::Handle handle_of(const fs::ProcName& name)
{
    if (is_file(name.kind))
        return fs::Handle{(name.kind == Kind::Mounts ? 0 : 4) + FileCode};
    const int32_t code = name.kind == Kind::Root ? RootCode : name.kind == Kind::Process ? ProcessCode : FdCode;
    return fs::Handle{name.pid * 4 + code};
}

fs::ProcName name_of(fs::Handle handle)
{
    fs::ProcName name;
    name.pid = handle.value / 4;
    const int32_t code = handle.value % 4;
    if (code == FileCode) {
        name.kind = name.pid == 0 ? Kind::Mounts : Kind::Meminfo;
        name.pid = 0;
        return name;
    }
    name.kind = code == RootCode ? Kind::Root : code == ProcessCode ? Kind::Process : Kind::FdDirectory;
    return name;
}

// Inode numbers: fixed for /proc, from the pid (and descriptor) below it.
uint64_t inode_of(const fs::ProcName& name)
{
    const uint64_t pid = uint64_t(name.pid) << 16;
    switch (name.kind) {
    case Kind::Root: return 1;
    case Kind::Process: return pid | 1;
    case Kind::Exe: return pid | 2;
    case Kind::FdDirectory: return pid | 3;
    case Kind::Fd: return pid | 0x100 | uint64_t(name.fd);
    case Kind::Mounts: return 3;
    case Kind::Meminfo: return 4;
    default: return 2; // /proc/self
    }
}

size_t copy_text(const char* text, char* buffer, size_t capacity)
{
    size_t length = strlen(text);
    if (length > capacity)
        length = capacity;
    memcpy(buffer, text, length);
    return length;
}

fs::Entry entry(uint64_t inode, uint8_t type, const char* name)
{
    fs::Entry e;
    e.inode = inode;
    e.type = type;
    e.name_length = uint16_t(strlen(name));
    memcpy(e.name, name, e.name_length + 1u);
    return e;
}

// A descriptor's link shows how it is open, as Linux's: read gives r-x, write -wx (owner only).
uint32_t access_bits(const OpenFile& file)
{
    bool read = true, write = true;
    if (file.kind == OpenFile::Kind::Pipe) {
        read = !file.write_end;
        write = file.write_end;
    } else if (file.kind == OpenFile::Kind::File || file.kind == OpenFile::Kind::Directory) {
        const uint32_t access = file.flags & linux::open_flag::AccessMode;
        read = access != linux::open_flag::WriteOnly;
        write = access != linux::open_flag::ReadOnly;
    }
    return (read ? 0500u : 0u) | (write ? 0300u : 0u);
}

} // namespace

const Process* ProcVolume::find(int32_t pid) const
{
    for (size_t i = 0; i < count_; ++i) {
        const Process& p = processes_[i];
        if (p.pid == pid && pid != 0 && !p.exited)
            return &p;
    }
    return nullptr;
}

Result<fs::ProcName> ProcVolume::look_up(const char* path, bool follow) const
{
    fs::ProcName name = fs::parse_proc_name(path, caller_);
    if (name.below_link)
        return Errno::NotDir;
    if (name.kind == Kind::SelfLink && follow)
        name.kind = Kind::Process;
    switch (name.kind) {
    case Kind::Root:
    case Kind::SelfLink:
    case Kind::Mounts:
    case Kind::Meminfo:
        return name;
    case Kind::Process:
    case Kind::Exe:
    case Kind::FdDirectory:
        if (find(name.pid) == nullptr)
            return Errno::NoEnt;
        return name;
    case Kind::Fd: {
        const Process* process = find(name.pid);
        if (process == nullptr || name.fd >= Process::MaxFiles ||
            process->files[name.fd].kind == OpenFile::Kind::Closed)
            return Errno::NoEnt;
        return name;
    }
    default:
        return Errno::NoEnt;
    }
}

Result<linux::Stat> ProcVolume::stat_of(const fs::ProcName& name) const
{
    linux::Stat st{};
    st.dev = DeviceNumber;
    st.ino = inode_of(name);
    st.nlink = 1;
    st.block_size = 1024;
    char target[256];
    switch (name.kind) {
    case Kind::Root:
    case Kind::Process:
        st.mode = linux::mode::Directory | 0555;
        st.nlink = 2;
        return st;
    case Kind::FdDirectory:
        st.mode = linux::mode::Directory | 0500;
        st.nlink = 2;
        return st;
    case Kind::Mounts:
    case Kind::Meminfo:
        st.mode = linux::mode::Regular | 0444; // size 0, as procfs's files
        return st;
    case Kind::SelfLink:
        st.mode = linux::mode::Symlink | 0777;
        st.size = int64_t(fs::format_decimal(name.pid, target, sizeof target));
        return st;
    case Kind::Exe:
    case Kind::Fd: {
        const Process& process = *find(name.pid);
        st.mode = linux::mode::Symlink | (name.kind == Kind::Exe ? 0777 : access_bits(process.files[name.fd]));
        st.size = int64_t(name.kind == Kind::Exe ? strlen(process.executable)
                                                 : describe(process.files[name.fd], target, sizeof target));
        return st;
    }
    default:
        return Errno::NoEnt;
    }
}

Result<fs::Handle> ProcVolume::open(const char* path, uint32_t flags, uint32_t)
{
    POSIX_TRY(name, look_up(path, (flags & linux::open_flag::NoFollow) == 0));
    if (name.kind == Kind::Exe || name.kind == Kind::Fd || name.kind == Kind::SelfLink)
        return Errno::Loop; // a link the server did not follow: O_NOFOLLOW
    if (is_file(name.kind)) {
        if ((flags & linux::open_flag::AccessMode) != linux::open_flag::ReadOnly ||
            (flags & (linux::open_flag::Create | linux::open_flag::Truncate)) != 0)
            return Errno::Acces;
        if (flags & linux::open_flag::Directory)
            return Errno::NotDir;
        return handle_of(name);
    }
    if ((flags & linux::open_flag::AccessMode) != linux::open_flag::ReadOnly ||
        (flags & (linux::open_flag::Create | linux::open_flag::Truncate)) != 0)
        return Errno::IsDir;
    return handle_of(name);
}

Result<linux::Stat> ProcVolume::stat(fs::Handle handle)
{
    const fs::ProcName name = name_of(handle);
    if (name.kind != Kind::Root && !is_file(name.kind) && find(name.pid) == nullptr)
        return Errno::NoEnt; // the process has gone
    return stat_of(name);
}

Result<linux::Stat> ProcVolume::stat(const char* path, bool follow)
{
    POSIX_TRY(name, look_up(path, follow));
    return stat_of(name);
}

Result<size_t> ProcVolume::read_link(const char* path, char* buffer, size_t capacity)
{
    POSIX_TRY(name, look_up(path, false));
    const Process* process = find(name.pid);
    if (name.kind == Kind::SelfLink) {
        char number[16];
        fs::format_decimal(name.pid, number, sizeof number);
        return copy_text(number, buffer, capacity);
    }
    if (name.kind == Kind::Exe)
        return copy_text(process->executable, buffer, capacity);
    if (name.kind == Kind::Fd)
        return describe(process->files[name.fd], buffer, capacity);
    return Errno::Inval; // a directory
}

size_t ProcVolume::text_of(Kind file, char* buffer, size_t capacity) const
{
    if (file == Kind::Mounts)
        return mounts_ ? mounts_->format(buffer, capacity) : 0;
    fs::MemoryFigures figures;
    if (frames_ != nullptr) {
        figures.total_pages = frames_->total();
        figures.free_pages = frames_->available();
    }
    for (size_t i = 0; mounts_ != nullptr && i < mounts_->count(); ++i)
        figures.shared_pages += mounts_->at(i)->volume->memory_pages();
    return fs::format_meminfo(figures, buffer, capacity);
}

Result<size_t> ProcVolume::read(fs::Handle handle, uint64_t offset, void* buffer, size_t length)
{
    const fs::ProcName name = name_of(handle);
    if (!is_file(name.kind))
        return Errno::IsDir;
    char text[2048];
    const size_t size = text_of(name.kind, text, sizeof text);
    if (offset >= size)
        return size_t(0);
    const size_t n = length < size - offset ? length : size_t(size - offset);
    memcpy(buffer, text + offset, n);
    return n;
}

Result<void> ProcVolume::list(fs::Handle directory, uint64_t& cursor, fs::EntrySink& sink)
{
    const fs::ProcName name = name_of(directory);
    if (is_file(name.kind))
        return Errno::NotDir;
    const Process* process = name.kind == Kind::Root ? nullptr : find(name.pid);
    if (name.kind != Kind::Root && process == nullptr)
        return Errno::NoEnt;
    // Entry i of the listing; false past its end. Skipped slots (closed descriptors, free
    // process slots) make no entry but keep their index, so the cursor stays valid.
    for (;; ++cursor) {
        fs::Entry e;
        char number[16];
        if (cursor == 0) {
            e = entry(inode_of(name), linux::dirent_type::Directory, ".");
        } else if (cursor == 1) {
            fs::ProcName up = name;
            up.kind = name.kind == Kind::FdDirectory ? Kind::Process : Kind::Root;
            e = entry(inode_of(up), linux::dirent_type::Directory, "..");
        } else if (name.kind == Kind::Root) {
            if (cursor == 2) {
                e = entry(2, linux::dirent_type::Symlink, "self");
            } else if (cursor == 3 || cursor == 4) {
                const bool mounts = cursor == 3;
                e = entry(mounts ? 3 : 4, linux::dirent_type::Regular, mounts ? "mounts" : "meminfo");
            } else if (cursor - 5 < count_) {
                const Process& p = processes_[cursor - 5];
                if (p.pid == 0 || p.exited || p.tgid != p.pid) // threads are not listed
                    continue;
                fs::format_decimal(p.pid, number, sizeof number);
                fs::ProcName child{Kind::Process, p.pid};
                e = entry(inode_of(child), linux::dirent_type::Directory, number);
            } else {
                return {};
            }
        } else if (name.kind == Kind::Process) {
            if (cursor == 2) {
                e = entry(inode_of({Kind::Exe, name.pid}), linux::dirent_type::Symlink, "exe");
            } else if (cursor == 3) {
                e = entry(inode_of({Kind::FdDirectory, name.pid}), linux::dirent_type::Directory, "fd");
            } else {
                return {};
            }
        } else {
            const uint64_t fd = cursor - 2;
            if (fd >= uint64_t(Process::MaxFiles))
                return {};
            if (process->files[fd].kind == OpenFile::Kind::Closed)
                continue;
            fs::format_decimal(int64_t(fd), number, sizeof number);
            e = entry(inode_of({Kind::Fd, name.pid, int32_t(fd)}), linux::dirent_type::Symlink, number);
        }
        if (!sink.take(e))
            return {};
    }
}

Result<linux::Statfs> ProcVolume::statfs()
{
    linux::Statfs st = {};
    st.type = 0x9fa0; // PROC_SUPER_MAGIC
    st.block_size = 4096;
    st.name_length = 255;
    st.fragment_size = 4096;
    return st;
}

size_t ProcVolume::describe(const OpenFile& file, char* buffer, size_t capacity)
{
    switch (file.kind) {
    case OpenFile::Kind::File:
    case OpenFile::Kind::Directory:
        if (!file.directory)
            return 0;
        return copy_text(file.directory->path[0] == '\0' ? "/" : file.directory->path, buffer, capacity);
    case OpenFile::Kind::Pipe:
    case OpenFile::Kind::Socket: {
        const bool socket = file.kind == OpenFile::Kind::Socket;
        char text[40];
        const size_t prefix = socket ? 8 : 6;
        memcpy(text, socket ? "socket:[" : "pipe:[", prefix);
        const size_t n = fs::format_decimal(int64_t(stream_inode(file)), text + prefix,
                                            sizeof text - prefix - 2);
        memcpy(text + prefix + n, "]", 2);
        return copy_text(text, buffer, capacity);
    }
    case OpenFile::Kind::Device:
        return copy_text(file.device == Device::Null   ? "/dev/null"
                         : file.device == Device::Zero ? "/dev/zero"
                                                       : "/dev/urandom",
                         buffer, capacity);
    case OpenFile::Kind::Console:
        return copy_text(file.terminal ? "/dev/console" : "pipe:[1]", buffer, capacity);
    default:
        return 0;
    }
}

} // namespace tessera::posix::server

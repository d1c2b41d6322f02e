// File descriptors: the console on 0, 1 and 2, the devices, pipes, and the files and directories
// of the root volume (core/fs/volume.h); with read, write, their vector forms, open, close, stat,
// lseek, dup, fcntl, sendfile, getdents64 and the terminal ioctls.
#include <string.h>

#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "linux/structures.h"
#include "server/file_table.h"
#include "server/server.h"

namespace tessera::posix::server {

OpenFile* open_file(Process& process, int64_t fd)
{
    if (fd < 0 || fd >= Process::MaxFiles || process.files[fd].kind == OpenFile::Kind::Closed)
        return nullptr;
    return &process.files[fd];
}

int lowest_free(const Process& process, int from)
{
    for (int fd = from; fd < Process::MaxFiles; ++fd) {
        if (process.files[fd].kind == OpenFile::Kind::Closed)
            return fd;
    }
    return -1;
}

namespace {

constexpr size_t PathCapacity = 256;
constexpr uint64_t MaxIoVectors = 1024; // Linux's UIO_MAXIOV

// Reads and writes of volume files go through this buffer (the server is one thread).
uint8_t file_chunk[16384];

Result<linux::Stat> stat_of(const OpenFile& file)
{
    linux::Stat st{};
    st.nlink = 1;
    st.block_size = 4096;
    if (file.kind == OpenFile::Kind::Console && !file.terminal) {
        // The tool's descriptor is a pipe or a file: Linux would show the program that.
        st.dev = 12;
        st.ino = 1;
        st.mode = linux::mode::Fifo | 0600;
        return st;
    }
    if (file.kind == OpenFile::Kind::Console) {
        st.dev = 5;
        st.ino = 1;
        st.mode = linux::mode::Char | 0620;
        st.rdev = (4 << 8) | 64; // /dev/ttyS0
        return st;
    }
    if (file.kind == OpenFile::Kind::File || file.kind == OpenFile::Kind::Directory)
        return file.node->volume.stat(file.node->handle);
    if (file.kind == OpenFile::Kind::Device) {
        // Linux's numbers: mem devices major 1, null 3, zero 5, random 8, urandom 9.
        st.dev = 5;
        st.ino = 10 + uint64_t(file.device);
        st.mode = linux::mode::Char | 0666;
        st.rdev = (1 << 8) | (file.device == Device::Null ? 3 : file.device == Device::Zero ? 5 : 9);
        return st;
    }
    st.dev = 12;
    st.ino = stream_inode(file);
    st.mode = file.kind == OpenFile::Kind::Socket ? linux::mode::Socket | 0777 : linux::mode::Fifo | 0600;
    return st;
}


} // namespace

uint64_t stream_inode(const OpenFile& file)
{
    return file.socket ? reinterpret_cast<uintptr_t>(file.socket.get()) / sizeof(net::Socket)
                       : reinterpret_cast<uintptr_t>(file.pipe.get()) / sizeof(Pipe);
}

int64_t Server::write_to(Process& process, int fd, uint64_t address, uint64_t length,
                         const uint8_t* from_server, bool pipe_signal)
{
    OpenFile* file = open_file(process, fd);
    if (file == nullptr)
        return linux::negative(Errno::BadF);
    if (file->kind == OpenFile::Kind::Device)
        return int64_t(length); // /dev/null, /dev/zero and /dev/urandom take everything
    if (file->kind == OpenFile::Kind::File)
        return write_file(process, *file, address, length, from_server);
    if (file->socket)
        return socket_write(process, *file, address, length, from_server, pipe_signal);
    const bool to_pipe = file->kind == OpenFile::Kind::Pipe;
    if (file->kind == OpenFile::Kind::Directory || (to_pipe && !file->write_end))
        return linux::negative(Errno::BadF);
    Pipe* out = file->pipe.get();
    if (to_pipe && out->readers == 0) {
        if (!pipe_signal)
            return linux::negative(Errno::Pipe);
        return send_signal(process, linux::signal::Pipe) ? NoReply : linux::negative(Errno::Pipe);
    }
    if (to_pipe && out->room() == 0 && length > 0)
        return Blocked; // until a reader makes room
    char chunk[512];
    uint64_t done = 0;
    while (done < length) {
        size_t n = length - done < sizeof chunk ? size_t(length - done) : sizeof chunk;
        if (to_pipe && n > out->room())
            n = out->room();
        if (n == 0)
            break;
        if (from_server != nullptr) {
            memcpy(chunk, from_server + done, n);
        } else if (auto copied = process.space->read(address + done, chunk, n); !copied) {
            return done > 0 ? int64_t(done) : linux_return(copied);
        }
        if (to_pipe)
            out->put(reinterpret_cast<const uint8_t*>(chunk), n);
        else
            console_.write(file->console_stream, chunk, n);
        done += n;
    }
    return int64_t(done);
}

// sendfile: from a volume file (the only kind with a page cache to send from; EINVAL for the
// rest, as Linux answers for a descriptor it cannot read that way) to any writable descriptor,
// at *offset (then updated) or at the file's own offset.
int64_t Server::send_file(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    OpenFile* in = open_file(process, int64_t(a[1]));
    if (in == nullptr || open_file(process, int64_t(a[0])) == nullptr)
        return linux::negative(Errno::BadF);
    if (in->kind != OpenFile::Kind::File)
        return linux::negative(Errno::Inval);
    if ((in->flags & linux::open_flag::AccessMode) == linux::open_flag::WriteOnly)
        return linux::negative(Errno::BadF);
    uint64_t offset = in->offset;
    if (a[2] != 0) {
        int64_t given = 0;
        if (auto got = process.space->read(a[2], &given, sizeof given); !got)
            return linux_return(got);
        if (given < 0)
            return linux::negative(Errno::Inval);
        offset = uint64_t(given);
    }
    // One chunk per call: a short count is sendfile's right, and a pipe that fills blocks only
    // before anything was sent.
    const size_t want = a[3] < sizeof file_chunk ? size_t(a[3]) : sizeof file_chunk;
    auto got = in->node->volume.read(in->node->handle, offset, file_chunk, want);
    if (!got)
        return linux::negative(got.error());
    const int64_t sent = write_to(process, int(a[0]), 0, got.value(), file_chunk);
    if (sent < 0 || sent == NoReply || sent == Blocked)
        return sent;
    if (a[2] != 0) {
        const int64_t moved = int64_t(offset) + sent;
        if (auto put = process.space->write(a[2], &moved, sizeof moved); !put)
            return linux_return(put);
    } else {
        in->offset = offset + uint64_t(sent);
    }
    return sent;
}

int64_t Server::read_from(Process& process, int fd, uint64_t address, uint64_t length)
{
    OpenFile* file = open_file(process, fd);
    if (file == nullptr)
        return linux::negative(Errno::BadF);
    if (file->kind == OpenFile::Kind::Console)
        return 0; // no console input in phase 1: end of file
    if (file->kind == OpenFile::Kind::Directory)
        return linux::negative(Errno::IsDir);
    if (file->kind == OpenFile::Kind::Device) {
        if (file->device == Device::Null)
            return 0;
        uint8_t chunk[512];
        uint64_t done = 0;
        while (done < length) {
            const size_t n = length - done < sizeof chunk ? size_t(length - done) : sizeof chunk;
            for (size_t i = 0; i < n; ++i)
                chunk[i] = file->device == Device::Zero ? 0 : random_byte();
            auto copied = process.space->write(address + done, chunk, n);
            if (!copied)
                return done > 0 ? int64_t(done) : linux_return(copied);
            done += n;
        }
        return int64_t(done);
    }
    if (file->socket)
        return socket_read(process, *file, address, length);
    if (file->kind == OpenFile::Kind::Pipe) {
        if (file->write_end)
            return linux::negative(Errno::BadF);
        Pipe& pipe = *file->pipe;
        if (pipe.buffered() == 0)
            return pipe.writers == 0 ? 0 : Blocked; // end of file, or wait for a writer
        uint8_t chunk[512];
        uint64_t done = 0;
        while (done < length && pipe.buffered() > 0) {
            const size_t want = length - done < sizeof chunk ? size_t(length - done) : sizeof chunk;
            const size_t n = pipe.take(chunk, want);
            auto copied = process.space->write(address + done, chunk, n);
            if (!copied)
                return done > 0 ? int64_t(done) : linux_return(copied);
            done += n;
        }
        return int64_t(done);
    }
    return read_file(process, *file, address, length);
}

int64_t Server::read_file(Process& process, OpenFile& file, uint64_t address, uint64_t length)
{
    if ((file.flags & linux::open_flag::AccessMode) == linux::open_flag::WriteOnly)
        return linux::negative(Errno::BadF);
    uint64_t done = 0;
    while (done < length) {
        const size_t want = length - done < sizeof file_chunk ? size_t(length - done)
                                                              : sizeof file_chunk;
        auto got = file.node->volume.read(file.node->handle, file.offset, file_chunk, want);
        if (!got)
            return done > 0 ? int64_t(done) : linux::negative(got.error());
        if (got.value() == 0)
            break;
        auto copied = process.space->write(address + done, file_chunk, got.value());
        if (!copied)
            return done > 0 ? int64_t(done) : linux_return(copied);
        file.offset += got.value();
        done += got.value();
        if (got.value() < want)
            break;
    }
    return int64_t(done);
}

int64_t Server::write_file(Process& process, OpenFile& file, uint64_t address, uint64_t length,
                           const uint8_t* from_server)
{
    if ((file.flags & linux::open_flag::AccessMode) == linux::open_flag::ReadOnly)
        return linux::negative(Errno::BadF);
    if (file.flags & linux::open_flag::Append) {
        auto st = file.node->volume.stat(file.node->handle);
        if (!st)
            return linux::negative(st.error());
        file.offset = uint64_t(st.value().size);
    }
    uint64_t done = 0;
    while (done < length) {
        const size_t n = length - done < sizeof file_chunk ? size_t(length - done)
                                                           : sizeof file_chunk;
        if (from_server != nullptr) {
            memcpy(file_chunk, from_server + done, n);
        } else if (auto copied = process.space->read(address + done, file_chunk, n); !copied) {
            return done > 0 ? int64_t(done) : linux_return(copied);
        }
        auto put = file.node->volume.write(file.node->handle, file.offset, file_chunk, n);
        if (!put)
            return done > 0 ? int64_t(done) : linux::negative(put.error());
        file.offset += put.value();
        done += put.value();
        if (put.value() < n)
            break;
    }
    return int64_t(done);
}

int64_t Server::make_pipe(Process& process, uint64_t fds, uint32_t flags)
{
    if (flags & ~(linux::open_flag::CloseOnExec | linux::open_flag::NonBlock))
        return linux::negative(Errno::Inval);
    const int read_fd = lowest_free(process, 0);
    const int write_fd = read_fd < 0 ? -1 : lowest_free(process, read_fd + 1);
    if (write_fd < 0)
        return linux::negative(Errno::MFile);
    Ref<Pipe> pipe = make_ref<Pipe>();
    if (!pipe || !pipe->valid())
        return linux::negative(Errno::NFile);
    const int32_t numbers[2] = {read_fd, write_fd};
    if (auto written = process.space->write(fds, numbers, sizeof numbers); !written)
        return linux_return(written);
    for (int end = 0; end < 2; ++end) {
        OpenFile& file = process.files[numbers[end]];
        file = OpenFile{};
        file.kind = OpenFile::Kind::Pipe;
        file.pipe = pipe;
        file.write_end = end == 1;
        file.close_on_exec = (flags & linux::open_flag::CloseOnExec) != 0;
        share(file);
    }
    return 0;
}

namespace {

struct NamedDevice {
    const char* path;
    Device device;
};
constexpr NamedDevice Devices[] = {{"/dev/null", Device::Null},
                                   {"/dev/zero", Device::Zero},
                                   {"/dev/urandom", Device::Random},
                                   {"/dev/random", Device::Random}};

const NamedDevice* device_named(const char* path)
{
    for (const NamedDevice& d : Devices) {
        if (strcmp(d.path, path) == 0)
            return &d;
    }
    return nullptr;
}

// The absolute, normalised form of a name the program gave, a relative one taken from the working
// directory `cwd` (normalised: "" is the root). ".." goes up one component (there are no
// symbolic links to follow in the packed root). False when too long.
bool absolute_name(const char* cwd, const char* name, char (&out)[256])
{
    char joined[2 * PathCapacity + 2] = {};
    if (name[0] != '/') {
        strncat(joined, cwd, PathCapacity - 1);
        strcat(joined, "/");
    }
    strncat(joined, name, PathCapacity - 1);
    char folded[256];
    if (!FileTable::normalise(joined, folded))
        return false;
    size_t n = 0;
    for (const char* p = folded; *p != '\0';) {
        const char* end = strchr(p + 1, '/');
        const size_t length = end ? size_t(end - p) : strlen(p);
        if (length == 3 && strncmp(p, "/..", 3) == 0) {
            while (n > 0 && out[n - 1] != '/')
                --n;
            if (n > 0)
                --n;
        } else {
            memcpy(out + n, p, length);
            n += length;
        }
        p += length;
    }
    out[n] = '\0';
    return true;
}

// getdents64's records, written into the program's buffer as the volume lists them.
class DirentWriter final : public fs::EntrySink {
public:
    DirentWriter(AddressSpace& space, uint64_t buffer, uint64_t length)
        : space_(space), buffer_(buffer), length_(length)
    {
    }
    bool take(const fs::Entry& entry) override
    {
        const uint64_t record =
            (linux::Dirent64NameOffset + entry.name_length + 1 + 7) & ~uint64_t{7};
        if (used + record > length_) {
            full = true;
            return false;
        }
        uint8_t bytes[linux::Dirent64NameOffset + sizeof entry.name + 8] = {};
        // d_off: where a later listing would continue (readdir's telldir cookie).
        const linux::Dirent64Header header{entry.inode, int64_t(used + record), uint16_t(record),
                                           entry.type};
        memcpy(bytes, &header, linux::Dirent64NameOffset);
        memcpy(bytes + linux::Dirent64NameOffset, entry.name, entry.name_length + 1u);
        if (!space_.write(buffer_ + used, bytes, size_t(record))) {
            fault = true;
            return false;
        }
        used += record;
        return true;
    }
    uint64_t used = 0;
    bool full = false;
    bool fault = false;

private:
    AddressSpace& space_;
    uint64_t buffer_;
    uint64_t length_;
};

} // namespace

Result<void> Server::path_at(Process& process, int32_t directory, uint64_t address,
                             char (&out)[256])
{
    char given[PathCapacity];
    POSIX_CHECK(process.space->read_string(address, given, sizeof given));
    if (given[0] == '\0')
        return Errno::NoEnt;
    const char* base = process.cwd;
    if (given[0] != '/' && directory != linux::at::FdCwd) {
        OpenFile* file = open_file(process, directory);
        if (file == nullptr)
            return Errno::BadF;
        if (file->kind != OpenFile::Kind::Directory)
            return Errno::NotDir;
        base = file->directory->path;
    }
    if (!absolute_name(base, given, out))
        return Errno::NameTooLong;
    leave_volumes(out, false); // the directories on the way, across mounts
    return {};
}

void Server::leave_volumes(char (&name)[256], bool follow)
{
    // Linux gives up after 40 links; a memory volume counts its own, these count the crossings.
    for (int crossings = 0; crossings < 40; ++crossings) {
        char raw[256], folded[256];
        if (!volume_for(name).leaves(name, follow, raw) || !absolute_name("", raw, folded))
            return;
        memcpy(name, folded, sizeof name);
    }
}

bool Server::resolve_name(const Process& process, const char* given, char (&out)[256],
                          bool follow)
{
    if (!absolute_name(process.cwd, given, out))
        return false;
    leave_volumes(out, follow);
    return true;
}

Result<void> Server::route(Process& process, const char* given, bool follow, Route& to)
{
    char name[256];
    strncpy(name, given, sizeof name - 1);
    name[sizeof name - 1] = '\0';
    leave_volumes(name, follow);
    to = Route{};
    to.volume = &volume_for(name);
    strncpy(to.name, name, sizeof to.name - 1);
    const fs::ProcName proc = fs::parse_proc_name(name, process.pid);
    if (proc.kind == fs::ProcName::Kind::NotProc)
        return {};
    proc_.set_caller(process.pid);
    to.volume = &proc_;
    const bool link = proc.kind == fs::ProcName::Kind::Exe || proc.kind == fs::ProcName::Kind::Fd;
    if (!follow || !link || proc.below_link)
        return {}; // /proc's own: a directory, a link itself, or ENOTDIR below a link
    const Process* owner = find(proc.pid);
    if (owner == nullptr || owner->exited)
        return Errno::NoEnt;
    if (proc.kind == fs::ProcName::Kind::Exe) {
        to.volume = &volume_for(owner->executable);
        strncpy(to.name, owner->executable, sizeof to.name - 1);
        return {};
    }
    if (proc.fd >= Process::MaxFiles || owner->files[proc.fd].kind == OpenFile::Kind::Closed)
        return Errno::NoEnt;
    const OpenFile& file = owner->files[proc.fd];
    if ((file.kind == OpenFile::Kind::File || file.kind == OpenFile::Kind::Directory) && file.directory) {
        to.volume = &file.node->volume;
        memcpy(to.name, file.directory->path, sizeof to.name);
        return {};
    }
    to.volume = nullptr;
    to.file = &file;
    return {};
}

void Server::set_executable(Process& process, const char* path)
{
    char name[256];
    if (!absolute_name(process.cwd, path, name)) {
        strncpy(process.executable, path, sizeof process.executable - 1);
        return;
    }
    for (int hops = 0; hops < 8; ++hops) { // Linux's limit is 40; applet links need one
        char target[256];
        auto read = volume_for(name).read_link(name, target, sizeof target - 1);
        if (!read || read.value() >= sizeof target - 1)
            break;
        target[read.value()] = '\0';
        char directory[256];
        memcpy(directory, name, sizeof directory);
        if (char* slash = strrchr(directory, '/'))
            *slash = '\0';
        char next[256];
        if (!absolute_name(directory, target, next))
            break;
        memcpy(name, next, sizeof name);
    }
    strncpy(process.executable, name[0] == '\0' ? "/" : name, sizeof process.executable - 1);
}

int64_t Server::open_at(Process& process, int32_t directory, uint64_t path, uint32_t flags,
                        uint32_t mode)
{
    char name[256];
    if (auto resolved = path_at(process, directory, path, name); !resolved)
        return linux::negative(resolved.error());
    OpenFile opened;
    if (strcmp(name, "/dev/tty") == 0 || strcmp(name, "/dev/console") == 0) {
        opened.kind = OpenFile::Kind::Console;
    } else if (const NamedDevice* device = device_named(name)) {
        opened.kind = OpenFile::Kind::Device;
        opened.device = device->device;
    } else {
        if (lowest_free(process, 0) < 0)
            return linux::negative(Errno::MFile);
        Route to;
        if (auto routed = route(process, name, (flags & linux::open_flag::NoFollow) == 0, to); !routed)
            return linux::negative(routed.error());
        if (to.file != nullptr) {
            // A descriptor's pipe, device or console opened again: the same object, as Linux
            // gives (its own offset and flags aside).
            opened = *to.file;
            share(opened);
        } else {
            fs::Volume& volume = *to.volume;
            auto handle = volume.open(to.name, flags, mode & ~process.umask);
            if (!handle)
                return linux::negative(handle.error());
            opened.node = make_ref<VolumeFile>(volume, handle.value());
            if (!opened.node) {
                volume.close(handle.value());
                return linux::negative(Errno::NoMem);
            }
            auto st = volume.stat(handle.value());
            if (!st)
                return linux::negative(st.error());
            opened.flags = flags;
            opened.kind = (st.value().mode & linux::mode::TypeMask) == linux::mode::Directory
                              ? OpenFile::Kind::Directory
                              : OpenFile::Kind::File;
            opened.directory = make_ref<DirectoryName>();
            if (!opened.directory)
                return linux::negative(Errno::NoMem);
            memcpy(opened.directory->path, to.volume == &proc_ ? name : to.name, sizeof name);
        }
    }
    const int fd = lowest_free(process, 0);
    if (fd < 0)
        return linux::negative(Errno::MFile);
    opened.close_on_exec = (flags & linux::open_flag::CloseOnExec) != 0;
    process.files[fd] = opened;
    return fd;
}

int64_t Server::list_directory(Process& process, int fd, uint64_t buffer, uint64_t length)
{
    OpenFile* file = open_file(process, fd);
    if (file == nullptr)
        return linux::negative(Errno::BadF);
    if (file->kind != OpenFile::Kind::Directory)
        return linux::negative(Errno::NotDir);
    DirentWriter writer(*process.space, buffer, length);
    auto listed = file->node->volume.list(file->node->handle, file->offset, writer);
    if (writer.used > 0)
        return int64_t(writer.used);
    if (!listed)
        return linux::negative(listed.error());
    if (writer.fault)
        return linux::negative(Errno::Fault);
    return writer.full ? linux::negative(Errno::Inval) : 0; // Inval: not even one entry fits
}

int64_t Server::stat_at(Process& process, int32_t directory, uint64_t path, uint64_t buffer,
                        int fd, bool follow)
{
    linux::Stat st;
    if (path == 0) {
        OpenFile* file = open_file(process, fd);
        if (file == nullptr)
            return linux::negative(Errno::BadF);
        auto described = stat_of(*file);
        if (!described)
            return linux::negative(described.error());
        st = described.value();
    } else {
        char name[PathCapacity];
        auto got = process.space->read_string(path, name, sizeof name);
        if (!got)
            return linux_return(got);
        if (name[0] == '\0' && fd >= 0) // AT_EMPTY_PATH
            return stat_at(process, directory, 0, buffer, fd, follow);
        char absolute[256];
        if (auto resolved = path_at(process, directory, path, absolute); !resolved)
            return linux::negative(resolved.error());
        const NamedDevice* device = device_named(absolute);
        if (device != nullptr) {
            OpenFile view;
            view.kind = OpenFile::Kind::Device;
            view.device = device->device;
            st = stat_of(view).value();
        } else if (strcmp(absolute, "/dev/tty") == 0 || strcmp(absolute, "/dev/console") == 0) {
            OpenFile view;
            view.kind = OpenFile::Kind::Console;
            st = stat_of(view).value();
        } else {
            Route to;
            if (auto routed = route(process, absolute, follow, to); !routed)
                return linux::negative(routed.error());
            auto described = to.file ? stat_of(*to.file) : to.volume->stat(to.name, follow);
            if (!described)
                return linux::negative(described.error());
            st = described.value();
        }
    }
    return linux_return(process.space->write(buffer, &st, sizeof st));
}

int64_t Server::io_call(Process& process, const LinuxCall& call)
{
    AddressSpace& space = *process.space;
    const uint64_t* a = call.args;
    switch (call.number) {
    case linux::nr::Write:
        return write_to(process, int(a[0]), a[1], a[2]);
    case linux::nr::Read:
        return read_from(process, int(a[0]), a[1], a[2]);
    case linux::nr::Writev:
    case linux::nr::Readv: {
        if (a[2] > MaxIoVectors)
            return linux::negative(Errno::Inval);
        int64_t total = 0;
        for (uint64_t i = 0; i < a[2]; ++i) {
            linux::IoVec vector;
            auto got = space.read(a[1] + i * sizeof vector, &vector, sizeof vector);
            if (!got)
                return total > 0 ? total : linux_return(got);
            const int64_t n = call.number == linux::nr::Writev
                                  ? write_to(process, int(a[0]), vector.base, vector.length)
                                  : read_from(process, int(a[0]), vector.base, vector.length);
            if (n < 0)
                return total > 0 ? total : n;
            total += n;
            if (uint64_t(n) < vector.length)
                break;
        }
        return total;
    }
    case linux::nr::Pread64:
    case linux::nr::Pwrite64: {
        // At an offset of their own: the descriptor's stays where it was.
        OpenFile* file = open_file(process, int64_t(a[0]));
        const bool reading = call.number == linux::nr::Pread64;
        if (file == nullptr || (file->kind == OpenFile::Kind::Directory && !reading))
            return linux::negative(Errno::BadF);
        if (file->kind == OpenFile::Kind::Directory)
            return linux::negative(Errno::IsDir);
        if (file->kind == OpenFile::Kind::Device)
            return reading ? read_from(process, int(a[0]), a[1], a[2])
                           : write_to(process, int(a[0]), a[1], a[2]);
        if (file->kind != OpenFile::Kind::File)
            return linux::negative(Errno::SPipe);
        if (int64_t(a[3]) < 0)
            return linux::negative(Errno::Inval);
        const uint64_t kept = file->offset;
        file->offset = a[3];
        const int64_t moved = reading ? read_file(process, *file, a[1], a[2])
                                      : write_file(process, *file, a[1], a[2], nullptr);
        file->offset = kept;
        return moved;
    }
    case linux::nr::Open:
        return open_at(process, linux::at::FdCwd, a[0], uint32_t(a[1]), uint32_t(a[2]));
    case linux::nr::Openat:
        return open_at(process, int32_t(a[0]), a[1], uint32_t(a[2]), uint32_t(a[3]));
    case linux::nr::Close:
        if (open_file(process, int64_t(a[0])) == nullptr)
            return linux::negative(Errno::BadF);
        close_file(process.files[a[0]]);
        return 0;
    case linux::nr::Fstat:
        return stat_at(process, 0, 0, a[1], int(a[0]), true);
    case linux::nr::Stat:
    case linux::nr::Lstat:
        return stat_at(process, linux::at::FdCwd, a[0], a[1], -1, call.number == linux::nr::Stat);
    case linux::nr::Newfstatat:
        return stat_at(process, int32_t(a[0]), a[1], a[2], int(a[0]),
                       (a[3] & linux::at::SymlinkNoFollow) == 0);
    case linux::nr::Lseek: {
        OpenFile* file = open_file(process, int64_t(a[0]));
        if (file == nullptr)
            return linux::negative(Errno::BadF);
        if (file->kind == OpenFile::Kind::Directory) {
            // Only back to the start, or where it is: a listing's cursor is the volume's.
            if (int32_t(a[2]) == linux::seek::Set && a[1] == 0)
                return int64_t(file->offset = 0);
            if (int32_t(a[2]) == linux::seek::Current && a[1] == 0)
                return int64_t(file->offset);
            return linux::negative(Errno::Inval);
        }
        if (file->kind != OpenFile::Kind::File)
            return linux::negative(Errno::SPipe);
        int64_t size = 0;
        if (int32_t(a[2]) == linux::seek::End) {
            auto st = stat_of(*file);
            if (!st)
                return linux::negative(st.error());
            size = st.value().size;
        }
        const int64_t base = int32_t(a[2]) == linux::seek::Set       ? 0
                             : int32_t(a[2]) == linux::seek::Current ? int64_t(file->offset)
                             : int32_t(a[2]) == linux::seek::End     ? size
                                                                     : -1;
        if (base < 0 || base + int64_t(a[1]) < 0)
            return linux::negative(Errno::Inval);
        file->offset = uint64_t(base + int64_t(a[1]));
        return int64_t(file->offset);
    }
    case linux::nr::Dup:
    case linux::nr::Dup2:
    case linux::nr::Dup3: {
        OpenFile* file = open_file(process, int64_t(a[0]));
        if (file == nullptr)
            return linux::negative(Errno::BadF);
        if (call.number == linux::nr::Dup) {
            const int fd = lowest_free(process, 0);
            if (fd < 0)
                return linux::negative(Errno::MFile);
            process.files[fd] = *file;
            share(process.files[fd]);
            process.files[fd].close_on_exec = false;
            return fd;
        }
        if (a[1] >= uint64_t(Process::MaxFiles))
            return linux::negative(Errno::BadF);
        if (a[0] == a[1])
            return call.number == linux::nr::Dup3 ? linux::negative(Errno::Inval) : int64_t(a[1]);
        const OpenFile copy = *file;
        close_file(process.files[a[1]]);
        process.files[a[1]] = copy;
        share(process.files[a[1]]);
        process.files[a[1]].close_on_exec =
            call.number == linux::nr::Dup3 && (a[2] & linux::open_flag::CloseOnExec);
        return int64_t(a[1]);
    }
    case linux::nr::Fcntl: {
        OpenFile* file = open_file(process, int64_t(a[0]));
        if (file == nullptr)
            return linux::negative(Errno::BadF);
        switch (int32_t(a[1])) {
        case linux::fcntl_cmd::GetFd:
            return file->close_on_exec ? linux::fcntl_cmd::FdCloseOnExec : 0;
        case linux::fcntl_cmd::SetFd:
            file->close_on_exec = (a[2] & linux::fcntl_cmd::FdCloseOnExec) != 0;
            return 0;
        case linux::fcntl_cmd::GetFl:
            if (file->kind == OpenFile::Kind::Pipe)
                return file->write_end ? linux::open_flag::WriteOnly : linux::open_flag::ReadOnly;
            if (file->socket)
                return linux::open_flag::ReadWrite | (file->socket->nonblocking ? linux::open_flag::NonBlock : 0);
            if (file->kind == OpenFile::Kind::File)
                return file->flags & (linux::open_flag::AccessMode | linux::open_flag::Append);
            return file->kind == OpenFile::Kind::Console ? linux::open_flag::ReadWrite : 0;
        case linux::fcntl_cmd::SetFl:
            if (file->socket)
                file->socket->nonblocking = (a[2] & linux::open_flag::NonBlock) != 0;
            return 0;
        case linux::fcntl_cmd::DupFd:
        case linux::fcntl_cmd::DupFdCloseOnExec: {
            const int fd = a[2] < uint64_t(Process::MaxFiles) ? lowest_free(process, int(a[2])) : -1;
            if (fd < 0)
                return linux::negative(Errno::Inval);
            process.files[fd] = *file;
            share(process.files[fd]);
            process.files[fd].close_on_exec = int32_t(a[1]) == linux::fcntl_cmd::DupFdCloseOnExec;
            return fd;
        }
        default:
            return linux::negative(Errno::Inval);
        }
    }
    case linux::nr::Ioctl: {
        OpenFile* file = open_file(process, int64_t(a[0]));
        if (file == nullptr)
            return linux::negative(Errno::BadF);
        if (file->kind != OpenFile::Kind::Console || !file->terminal)
            return linux::negative(Errno::NotTy);
        if (uint32_t(a[1]) == linux::ioctl_cmd::TcGets) {
            linux::Termios modes{};
            modes.oflag = linux::termios_flag::OPost | linux::termios_flag::ONlCr;
            modes.cflag = linux::termios_flag::CRead | linux::termios_flag::Cs8 | linux::termios_flag::B38400;
            modes.lflag = linux::termios_flag::ISig | linux::termios_flag::ICanon |
                          linux::termios_flag::Echo;
            return linux_return(space.write(a[2], &modes, sizeof modes));
        }
        if (uint32_t(a[1]) == linux::ioctl_cmd::TiocGwinsz) {
            const linux::WinSize size{24, 80, 0, 0};
            return linux_return(space.write(a[2], &size, sizeof size));
        }
        if (uint32_t(a[1]) == linux::ioctl_cmd::TiocGpgrp)
            return linux_return(space.write(a[2], &process.pid, sizeof process.pid));
        return linux::negative(Errno::Inval);
    }
    case linux::nr::Access:
    case linux::nr::Faccessat:
    case linux::nr::Faccessat2: {
        char name[PathCapacity];
        auto got = space.read_string(call.number == linux::nr::Access ? a[0] : a[1], name,
                                     sizeof name);
        if (!got)
            return linux_return(got);
        char absolute[256];
        if (!absolute_name(process.cwd, name, absolute))
            return linux::negative(Errno::NameTooLong);
        if (device_named(absolute))
            return 0;
        Route to;
        if (auto routed = route(process, absolute, true, to); !routed)
            return linux::negative(routed.error());
        if (to.file != nullptr)
            return 0;
        auto st = to.volume->stat(to.name, true);
        return st ? 0 : linux::negative(st.error());
    }
    case linux::nr::Getcwd: {
        const char* cwd = process.cwd[0] == '\0' ? "/" : process.cwd;
        const size_t length = strlen(cwd) + 1;
        if (a[1] < length)
            return linux::negative(Errno::Range);
        if (auto written = space.write(a[0], cwd, length); !written)
            return linux_return(written);
        return int64_t(length); // with the terminating NUL
    }
    case linux::nr::Chdir: {
        char name[PathCapacity], absolute[256];
        if (auto got = space.read_string(a[0], name, sizeof name); !got)
            return linux_return(got);
        if (name[0] == '\0' || !absolute_name(process.cwd, name, absolute))
            return linux::negative(Errno::NoEnt);
        Route to;
        if (auto routed = route(process, absolute, true, to); !routed)
            return linux::negative(routed.error());
        if (to.file != nullptr)
            return linux::negative(Errno::NotDir);
        auto st = to.volume->stat(to.name, true);
        if (!st)
            return linux::negative(st.error());
        if ((st.value().mode & linux::mode::TypeMask) != linux::mode::Directory)
            return linux::negative(Errno::NotDir);
        memcpy(process.cwd, to.volume != &proc_ ? to.name : absolute, sizeof absolute);
        return 0;
    }
    case linux::nr::Sendfile:
        return send_file(process, call);
    case linux::nr::Getdents64:
        return list_directory(process, int(a[0]), a[1], a[2]);
    case linux::nr::Pipe:
        return make_pipe(process, a[0], 0);
    case linux::nr::Pipe2:
        return make_pipe(process, a[0], uint32_t(a[1]));
    default:
        return linux::negative(Errno::NoSys);
    }
}

} // namespace tessera::posix::server

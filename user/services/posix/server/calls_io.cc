// File descriptors of phase 1: the console on 0, 1 and 2 (a terminal that reads end-of-file) and
// the packed root file system, read-only; with read, write, their vector forms, open, close,
// stat, lseek, dup, fcntl and the terminal ioctls.
#include <string.h>

#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "linux/structures.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace {

constexpr size_t PathCapacity = 256;
constexpr uint64_t MaxIoVectors = 1024; // Linux's UIO_MAXIOV

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

linux::Stat stat_of(const OpenFile& file)
{
    linux::Stat st{};
    st.nlink = 1;
    st.block_size = 4096;
    if (file.kind == OpenFile::Kind::Console) {
        st.dev = 5;
        st.ino = 1;
        st.mode = linux::mode::Char | 0620;
        st.rdev = (4 << 8) | 64; // /dev/ttyS0
        return st;
    }
    if (file.kind == OpenFile::Kind::Pipe) {
        st.dev = 12;
        st.ino = reinterpret_cast<uintptr_t>(file.pipe.get()) / sizeof(Pipe);
        st.mode = linux::mode::Fifo | 0600;
        st.block_size = 4096;
        return st;
    }
    st.dev = 1;
    st.ino = 2 + reinterpret_cast<uintptr_t>(file.file) / sizeof(PackedFile);
    st.mode = linux::mode::Regular | (file.file->mode & linux::mode::Permissions);
    st.size = int64_t(file.file->size);
    st.blocks = int64_t((file.file->size + 511) / 512);
    return st;
}

linux::Stat directory_stat()
{
    linux::Stat st{};
    st.dev = 1;
    st.ino = 1;
    st.nlink = 2;
    st.mode = linux::mode::Directory | 0755;
    st.block_size = 4096;
    return st;
}

} // namespace

int64_t Server::write_to(Process& process, int fd, uint64_t address, uint64_t length)
{
    OpenFile* file = open_file(process, fd);
    if (file == nullptr)
        return linux::negative(Errno::BadF);
    const bool to_pipe = file->kind == OpenFile::Kind::Pipe;
    if (file->kind == OpenFile::Kind::Packed || (to_pipe && !file->write_end))
        return linux::negative(Errno::BadF); // the packed files are opened read-only
    if (to_pipe && file->pipe->readers == 0)
        return linux::negative(Errno::Pipe);
    if (to_pipe && file->pipe->room() == 0 && length > 0)
        return Blocked; // until a reader makes room
    char chunk[512];
    uint64_t done = 0;
    while (done < length) {
        size_t n = length - done < sizeof chunk ? size_t(length - done) : sizeof chunk;
        if (to_pipe && n > file->pipe->room())
            n = file->pipe->room();
        if (n == 0)
            break;
        auto copied = process.space->read(address + done, chunk, n);
        if (!copied)
            return done > 0 ? int64_t(done) : linux_return(copied);
        if (to_pipe)
            file->pipe->put(reinterpret_cast<const uint8_t*>(chunk), n);
        else
            console_.write(file->console_stream, chunk, n);
        done += n;
    }
    return int64_t(done);
}

int64_t Server::read_from(Process& process, int fd, uint64_t address, uint64_t length)
{
    OpenFile* file = open_file(process, fd);
    if (file == nullptr)
        return linux::negative(Errno::BadF);
    if (file->kind == OpenFile::Kind::Console)
        return 0; // no console input in phase 1: end of file
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
    const uint64_t size = file->file->size;
    const uint64_t left = file->offset < size ? size - file->offset : 0;
    const uint64_t n = length < left ? length : left;
    auto copied = process.space->write(address, file->file->bytes + file->offset, size_t(n));
    if (!copied)
        return linux_return(copied);
    file->offset += n;
    return int64_t(n);
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

int64_t Server::open_at(Process& process, int32_t directory, uint64_t path, uint32_t flags)
{
    char name[PathCapacity];
    auto got = process.space->read_string(path, name, sizeof name);
    if (!got)
        return linux_return(got);
    if (name[0] != '/' && directory != linux::at::FdCwd)
        return linux::negative(Errno::NoEnt);
    if ((flags & linux::open_flag::AccessMode) != linux::open_flag::ReadOnly ||
        (flags & linux::open_flag::Create))
        return linux::negative(Errno::RoFs); // the packed file system is read-only
    OpenFile opened;
    if (strcmp(name, "/dev/tty") == 0 || strcmp(name, "/dev/console") == 0) {
        opened.kind = OpenFile::Kind::Console;
    } else {
        // Relative names resolve against "/", the only working directory of phase 1.
        char absolute[PathCapacity + 1] = "/";
        strncat(absolute, name, PathCapacity - 1);
        const PackedFile* file = files_.find(name[0] == '/' ? name : absolute);
        if (file == nullptr)
            return linux::negative(files_.is_directory(name[0] == '/' ? name : absolute)
                                       ? Errno::IsDir
                                       : Errno::NoEnt);
        opened.kind = OpenFile::Kind::Packed;
        opened.file = file;
    }
    const int fd = lowest_free(process, 0);
    if (fd < 0)
        return linux::negative(Errno::MFile);
    opened.close_on_exec = (flags & linux::open_flag::CloseOnExec) != 0;
    process.files[fd] = opened;
    return fd;
}

int64_t Server::stat_at(Process& process, int32_t directory, uint64_t path, uint64_t buffer,
                        int fd)
{
    linux::Stat st;
    if (path == 0) {
        OpenFile* file = open_file(process, fd);
        if (file == nullptr)
            return linux::negative(Errno::BadF);
        st = stat_of(*file);
    } else {
        char name[PathCapacity];
        auto got = process.space->read_string(path, name, sizeof name);
        if (!got)
            return linux_return(got);
        if (name[0] == '\0' && fd >= 0) // AT_EMPTY_PATH
            return stat_at(process, directory, 0, buffer, fd);
        const PackedFile* file = files_.find(name);
        if (file != nullptr) {
            OpenFile view;
            view.kind = OpenFile::Kind::Packed;
            view.file = file;
            st = stat_of(view);
        } else if (strcmp(name, "/") == 0 || files_.is_directory(name)) {
            st = directory_stat();
        } else {
            return linux::negative(Errno::NoEnt);
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
    case linux::nr::Open:
        return open_at(process, linux::at::FdCwd, a[0], uint32_t(a[1]));
    case linux::nr::Openat:
        return open_at(process, int32_t(a[0]), a[1], uint32_t(a[2]));
    case linux::nr::Close:
        if (open_file(process, int64_t(a[0])) == nullptr)
            return linux::negative(Errno::BadF);
        close_file(process.files[a[0]]);
        return 0;
    case linux::nr::Fstat:
        return stat_at(process, 0, 0, a[1], int(a[0]));
    case linux::nr::Stat:
    case linux::nr::Lstat:
        return stat_at(process, linux::at::FdCwd, a[0], a[1], -1);
    case linux::nr::Newfstatat:
        return stat_at(process, int32_t(a[0]), a[1], a[2], int(a[0]));
    case linux::nr::Lseek: {
        OpenFile* file = open_file(process, int64_t(a[0]));
        if (file == nullptr)
            return linux::negative(Errno::BadF);
        if (file->kind != OpenFile::Kind::Packed)
            return linux::negative(Errno::SPipe);
        const int64_t base = int32_t(a[2]) == linux::seek::Set       ? 0
                             : int32_t(a[2]) == linux::seek::Current ? int64_t(file->offset)
                             : int32_t(a[2]) == linux::seek::End     ? int64_t(file->file->size)
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
            return file->kind == OpenFile::Kind::Console ? linux::open_flag::ReadWrite : 0;
        case linux::fcntl_cmd::SetFl:
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
        if (file->kind != OpenFile::Kind::Console)
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
        if (files_.find(name) || strcmp(name, "/") == 0 || files_.is_directory(name))
            return 0;
        return linux::negative(Errno::NoEnt);
    }
    case linux::nr::Readlink:
        return linux::negative(Errno::NoEnt); // no symbolic links in the packed file system
    case linux::nr::Getcwd:
        if (a[1] < 2)
            return linux::negative(Errno::Range);
        if (auto written = space.write(a[0], "/", 2); !written)
            return linux_return(written);
        return 2; // the length with the terminating NUL
    case linux::nr::Chdir:
        return 0;
    case linux::nr::Pipe:
        return make_pipe(process, a[0], 0);
    case linux::nr::Pipe2:
        return make_pipe(process, a[0], uint32_t(a[1]));
    default:
        return linux::negative(Errno::NoSys);
    }
}

} // namespace tessera::posix::server

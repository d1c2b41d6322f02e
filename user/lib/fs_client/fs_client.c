/* The file-system client library: descriptors, positions and the window's use on this side;
 * every request is one call through the transport. */
#include <errno.h>
#include <string.h>
#include <tessera/fs_client.h>

static int fail(int code)
{
    errno = code;
    return -1;
}

static int call(struct tessera_fs *fs, uint64_t operation, const uint64_t *words, unsigned count,
                uint64_t *reply)
{
    uint64_t ignored[3];
    uint64_t error = fs->transport.call(fs->transport.context, operation, words, count,
                                        reply != NULL ? reply : ignored, 3);
    if (error != 0)
        return fail((int)error);
    return 0;
}

/* Puts a NUL-terminated path into the window at offset; its length, or -1. */
static long place(struct tessera_fs *fs, const char *path, size_t offset)
{
    if (path == NULL)
        return fail(EFAULT);
    size_t length = strnlen(path, TESSERA_FS_PATH_MAX);
    if (length == TESSERA_FS_PATH_MAX)
        return fail(ENAMETOOLONG);
    if (length == 0)
        return fail(ENOENT);
    memcpy(fs->window + offset, path, length);
    return (long)length;
}

static struct tessera_fs_file *file_of(struct tessera_fs *fs, int fd)
{
    if (fd < 0 || fd >= (int)TESSERA_FS_MAX_FILES || !fs->files[fd].in_use) {
        errno = EBADF;
        return NULL;
    }
    return &fs->files[fd];
}

int tessera_fs_init(struct tessera_fs *fs, const struct tessera_fs_transport *transport,
                    void *window, size_t window_bytes)
{
    if (fs == NULL || transport == NULL || transport->call == NULL || window == NULL ||
        window_bytes < TESSERA_FS_MIN_WINDOW)
        return fail(EINVAL);
    memset(fs, 0, sizeof *fs);
    fs->transport = *transport;
    fs->window = (uint8_t *)window;
    fs->window_bytes = window_bytes;
    fs->batch_fd = -1;
    return 0;
}

int tessera_fs_open(struct tessera_fs *fs, const char *path, int flags, unsigned int mode)
{
    int fd = 0;
    while (fd < (int)TESSERA_FS_MAX_FILES && fs->files[fd].in_use)
        ++fd;
    if (fd == (int)TESSERA_FS_MAX_FILES)
        return fail(EMFILE);
    long length = place(fs, path, 0);
    if (length < 0)
        return -1;
    uint64_t words[3] = {(uint64_t)length, (uint64_t)(unsigned)flags, mode};
    uint64_t reply[3];
    if (call(fs, TESSERA_FS_OPEN, words, 3, reply) != 0)
        return -1;
    struct tessera_fs_file *file = &fs->files[fd];
    memset(file, 0, sizeof *file);
    file->in_use = 1;
    file->flags = (uint32_t)flags;
    file->handle = reply[0];
    file->is_directory = (reply[1] & TESSERA_FS_S_IFMT) == TESSERA_FS_S_IFDIR;
    return fd;
}

int tessera_fs_close(struct tessera_fs *fs, int fd)
{
    struct tessera_fs_file *file = file_of(fs, fd);
    if (file == NULL)
        return -1;
    uint64_t words[1] = {file->handle};
    file->in_use = 0;
    if (fs->batch_fd == fd)
        fs->batch_fd = -1;
    return call(fs, TESSERA_FS_CLOSE, words, 1, NULL);
}

long tessera_fs_pread(struct tessera_fs *fs, int fd, void *buffer, size_t length, uint64_t offset)
{
    struct tessera_fs_file *file = file_of(fs, fd);
    if (file == NULL)
        return -1;
    size_t done = 0;
    while (done < length) {
        size_t chunk = length - done < fs->window_bytes ? length - done : fs->window_bytes;
        uint64_t words[3] = {file->handle, offset + done, chunk};
        uint64_t reply[3];
        if (call(fs, TESSERA_FS_READ, words, 3, reply) != 0)
            return done > 0 ? (long)done : -1;
        size_t got = reply[0] < chunk ? (size_t)reply[0] : chunk;
        memcpy((uint8_t *)buffer + done, fs->window, got);
        done += got;
        if (got < chunk)
            break;
    }
    return (long)done;
}

long tessera_fs_read(struct tessera_fs *fs, int fd, void *buffer, size_t length)
{
    struct tessera_fs_file *file = file_of(fs, fd);
    if (file == NULL)
        return -1;
    long got = tessera_fs_pread(fs, fd, buffer, length, file->position);
    if (got > 0)
        file->position += (uint64_t)got;
    return got;
}

/* Writes through the window; *end is the offset after the last byte written. */
static long write_at(struct tessera_fs *fs, struct tessera_fs_file *file, const void *buffer,
                     size_t length, uint64_t offset, uint64_t *end)
{
    size_t done = 0;
    *end = offset;
    while (done < length) {
        size_t chunk = length - done < fs->window_bytes ? length - done : fs->window_bytes;
        memcpy(fs->window, (const uint8_t *)buffer + done, chunk);
        uint64_t words[3] = {file->handle, offset + done, chunk};
        uint64_t reply[3];
        if (call(fs, TESSERA_FS_WRITE, words, 3, reply) != 0)
            return done > 0 ? (long)done : -1;
        size_t wrote = reply[0] < chunk ? (size_t)reply[0] : chunk;
        done += wrote;
        *end = reply[1];
        /* With O_APPEND the service chose the offset; the next piece follows this one. */
        offset = reply[1] - done;
        if (wrote < chunk)
            break;
    }
    return (long)done;
}

long tessera_fs_pwrite(struct tessera_fs *fs, int fd, const void *buffer, size_t length,
                       uint64_t offset)
{
    struct tessera_fs_file *file = file_of(fs, fd);
    if (file == NULL)
        return -1;
    uint64_t end;
    return write_at(fs, file, buffer, length, offset, &end);
}

long tessera_fs_write(struct tessera_fs *fs, int fd, const void *buffer, size_t length)
{
    struct tessera_fs_file *file = file_of(fs, fd);
    if (file == NULL)
        return -1;
    uint64_t end;
    long wrote = write_at(fs, file, buffer, length, file->position, &end);
    if (wrote > 0)
        file->position = end;
    return wrote;
}

int tessera_fs_fstat(struct tessera_fs *fs, int fd, struct tessera_fs_stat *stat)
{
    struct tessera_fs_file *file = file_of(fs, fd);
    if (file == NULL)
        return -1;
    uint64_t words[1] = {file->handle};
    if (call(fs, TESSERA_FS_FSTAT, words, 1, NULL) != 0)
        return -1;
    memcpy(stat, fs->window, sizeof *stat);
    return 0;
}

int64_t tessera_fs_lseek(struct tessera_fs *fs, int fd, int64_t offset, int whence)
{
    struct tessera_fs_file *file = file_of(fs, fd);
    if (file == NULL)
        return -1;
    int64_t base;
    switch (whence) {
    case TESSERA_FS_SEEK_SET:
        base = 0;
        break;
    case TESSERA_FS_SEEK_CUR:
        base = (int64_t)file->position;
        break;
    case TESSERA_FS_SEEK_END: {
        struct tessera_fs_stat stat;
        if (tessera_fs_fstat(fs, fd, &stat) != 0)
            return -1;
        base = (int64_t)stat.size;
        break;
    }
    default:
        return fail(EINVAL);
    }
    if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0)
        return fail(offset > 0 ? EOVERFLOW : EINVAL);
    file->position = (uint64_t)(base + offset);
    return base + offset;
}

int tessera_fs_ftruncate(struct tessera_fs *fs, int fd, uint64_t size)
{
    struct tessera_fs_file *file = file_of(fs, fd);
    if (file == NULL)
        return -1;
    uint64_t words[2] = {file->handle, size};
    return call(fs, TESSERA_FS_TRUNCATE, words, 2, NULL);
}

int tessera_fs_fsync(struct tessera_fs *fs, int fd)
{
    struct tessera_fs_file *file = file_of(fs, fd);
    if (file == NULL)
        return -1;
    uint64_t words[1] = {file->handle};
    return call(fs, TESSERA_FS_FSYNC, words, 1, NULL);
}

int tessera_fs_fsetattr(struct tessera_fs *fs, int fd, const struct tessera_fs_attributes *change)
{
    struct tessera_fs_file *file = file_of(fs, fd);
    if (file == NULL)
        return -1;
    uint64_t words[9] = {file->handle,
                         change->mask,
                         change->mode,
                         change->uid,
                         change->gid,
                         (uint64_t)change->atime.seconds,
                         change->atime.nanoseconds,
                         (uint64_t)change->mtime.seconds,
                         change->mtime.nanoseconds};
    return call(fs, TESSERA_FS_SETATTR, words, 9, NULL);
}

/* Opens path, applies one operation to the descriptor, closes it; the first error wins. */
static int with_file(struct tessera_fs *fs, const char *path, int flags,
                     int (*apply)(struct tessera_fs *, int, const void *), const void *argument)
{
    int fd = tessera_fs_open(fs, path, flags, 0);
    if (fd < 0)
        return -1;
    int result = apply(fs, fd, argument);
    int saved = errno;
    int closed = tessera_fs_close(fs, fd);
    if (result != 0) {
        errno = saved;
        return -1;
    }
    return closed;
}

static int apply_setattr(struct tessera_fs *fs, int fd, const void *change)
{
    return tessera_fs_fsetattr(fs, fd, (const struct tessera_fs_attributes *)change);
}

static int apply_truncate(struct tessera_fs *fs, int fd, const void *size)
{
    return tessera_fs_ftruncate(fs, fd, *(const uint64_t *)size);
}

int tessera_fs_chmod(struct tessera_fs *fs, const char *path, unsigned int mode)
{
    struct tessera_fs_attributes change = {TESSERA_FS_SET_MODE, mode, 0, 0, {0, 0, 0}, {0, 0, 0}};
    return with_file(fs, path, TESSERA_FS_O_RDONLY, apply_setattr, &change);
}

int tessera_fs_chown(struct tessera_fs *fs, const char *path, uint32_t uid, uint32_t gid)
{
    struct tessera_fs_attributes change = {TESSERA_FS_SET_UID | TESSERA_FS_SET_GID, 0, uid, gid,
                                           {0, 0, 0}, {0, 0, 0}};
    return with_file(fs, path, TESSERA_FS_O_RDONLY, apply_setattr, &change);
}

int tessera_fs_truncate(struct tessera_fs *fs, const char *path, uint64_t size)
{
    return with_file(fs, path, TESSERA_FS_O_WRONLY, apply_truncate, &size);
}

static int stat_path(struct tessera_fs *fs, const char *path, struct tessera_fs_stat *stat,
                     uint64_t follow)
{
    long length = place(fs, path, 0);
    if (length < 0)
        return -1;
    uint64_t words[2] = {(uint64_t)length, follow};
    if (call(fs, TESSERA_FS_STAT, words, 2, NULL) != 0)
        return -1;
    memcpy(stat, fs->window, sizeof *stat);
    return 0;
}

int tessera_fs_stat(struct tessera_fs *fs, const char *path, struct tessera_fs_stat *stat)
{
    return stat_path(fs, path, stat, 1);
}

int tessera_fs_lstat(struct tessera_fs *fs, const char *path, struct tessera_fs_stat *stat)
{
    return stat_path(fs, path, stat, 0);
}

int tessera_fs_statfs(struct tessera_fs *fs, struct tessera_fs_statfs *statfs)
{
    if (call(fs, TESSERA_FS_STATFS, NULL, 0, NULL) != 0)
        return -1;
    memcpy(statfs, fs->window, sizeof *statfs);
    return 0;
}

int tessera_fs_volume_status(struct tessera_fs *fs, char *reason, size_t capacity)
{
    if (capacity > 0 && reason == NULL)
        return fail(EFAULT);
    uint64_t reply[3] = {0, 0, 0};
    if (call(fs, TESSERA_FS_VOLUME_STATUS, NULL, 0, reply) != 0)
        return -1;
    if (reply[0] > TESSERA_FS_VOLUME_NOT_MOUNTED)
        return fail(EIO);
    if (capacity > 0) {
        /* The service's length is not trusted past the window or the caller's buffer. */
        size_t length = reply[1] < fs->window_bytes ? (size_t)reply[1] : fs->window_bytes;
        if (length > capacity - 1)
            length = capacity - 1;
        memcpy(reason, fs->window, length);
        reason[length] = '\0';
    }
    return (int)reply[0];
}

/* A request naming one path, with an extra word after its length. */
static int one_path(struct tessera_fs *fs, uint64_t operation, const char *path, uint64_t extra)
{
    long length = place(fs, path, 0);
    if (length < 0)
        return -1;
    uint64_t words[2] = {(uint64_t)length, extra};
    return call(fs, operation, words, 2, NULL);
}

/* A request naming two, the second right after the first in the window. */
static int two_paths(struct tessera_fs *fs, uint64_t operation, const char *first,
                     const char *second)
{
    long first_length = place(fs, first, 0);
    if (first_length < 0)
        return -1;
    long second_length = place(fs, second, (size_t)first_length);
    if (second_length < 0)
        return -1;
    uint64_t words[2] = {(uint64_t)first_length, (uint64_t)second_length};
    return call(fs, operation, words, 2, NULL);
}

int tessera_fs_mkdir(struct tessera_fs *fs, const char *path, unsigned int mode)
{
    return one_path(fs, TESSERA_FS_MKDIR, path, mode);
}

int tessera_fs_rmdir(struct tessera_fs *fs, const char *path)
{
    return one_path(fs, TESSERA_FS_RMDIR, path, 0);
}

int tessera_fs_unlink(struct tessera_fs *fs, const char *path)
{
    return one_path(fs, TESSERA_FS_UNLINK, path, 0);
}

int tessera_fs_rename(struct tessera_fs *fs, const char *from, const char *to)
{
    return two_paths(fs, TESSERA_FS_RENAME, from, to);
}

int tessera_fs_link(struct tessera_fs *fs, const char *existing, const char *name)
{
    return two_paths(fs, TESSERA_FS_LINK, existing, name);
}

int tessera_fs_symlink(struct tessera_fs *fs, const char *target, const char *name)
{
    return two_paths(fs, TESSERA_FS_SYMLINK, target, name);
}

long tessera_fs_readlink(struct tessera_fs *fs, const char *path, char *buffer, size_t capacity)
{
    long length = place(fs, path, 0);
    if (length < 0)
        return -1;
    uint64_t words[1] = {(uint64_t)length};
    uint64_t reply[3];
    if (call(fs, TESSERA_FS_READLINK, words, 1, reply) != 0)
        return -1;
    size_t target = (size_t)reply[0];
    size_t copy = target < capacity ? target : capacity;
    if (copy > fs->window_bytes)
        copy = fs->window_bytes;
    memcpy(buffer, fs->window, copy);
    return (long)target;
}

int tessera_fs_opendir(struct tessera_fs *fs, const char *path)
{
    return tessera_fs_open(fs, path, TESSERA_FS_O_RDONLY | TESSERA_FS_O_DIRECTORY, 0);
}

/* Fetches the next batch of fd's entries into fs->batch. */
static int fetch_batch(struct tessera_fs *fs, int fd, struct tessera_fs_file *file)
{
    uint64_t capacity = fs->window_bytes < TESSERA_FS_DIRECTORY_BATCH ? fs->window_bytes
                                                                      : TESSERA_FS_DIRECTORY_BATCH;
    uint64_t words[3] = {file->handle, file->position, capacity};
    uint64_t reply[3];
    if (call(fs, TESSERA_FS_READDIR, words, 3, reply) != 0)
        return -1;
    memcpy(fs->batch, fs->window, capacity);
    fs->batch_fd = fd;
    fs->batch_count = reply[0] < capacity ? (uint32_t)reply[0] : 0;
    fs->batch_next = 0;
    fs->batch_offset = 0;
    fs->batch_cursor = reply[1];
    fs->batch_end = reply[2] != 0;
    return 0;
}

int tessera_fs_readdir(struct tessera_fs *fs, int fd, struct tessera_fs_entry *entry)
{
    struct tessera_fs_file *file = file_of(fs, fd);
    if (file == NULL)
        return -1;
    if (!file->is_directory)
        return fail(ENOTDIR);
    for (;;) {
        if (fs->batch_fd == fd && fs->batch_next < fs->batch_count) {
            struct tessera_fs_dirent header;
            if (fs->batch_offset + sizeof header > sizeof fs->batch)
                return fail(EIO);
            memcpy(&header, fs->batch + fs->batch_offset, sizeof header);
            uint64_t size = TESSERA_FS_DIRENT_SIZE(header.name_length);
            if (header.name_length > TESSERA_FS_NAME_MAX || fs->batch_offset + size > sizeof fs->batch)
                return fail(EIO); /* the service broke the format */
            memcpy(fs->name, fs->batch + fs->batch_offset + sizeof header, header.name_length);
            fs->name[header.name_length] = '\0';
            fs->batch_offset += (uint32_t)size;
            fs->batch_next++;
            file->position = header.next_cursor;
            if (fs->batch_next == fs->batch_count)
                file->at_end = fs->batch_end;
            entry->inode = header.inode;
            entry->type = header.type;
            entry->name = fs->name;
            return 1;
        }
        if (file->at_end)
            return 0;
        if (fetch_batch(fs, fd, file) != 0)
            return -1;
        if (fs->batch_count == 0) {
            file->position = fs->batch_cursor;
            file->at_end = fs->batch_end;
            if (file->at_end)
                return 0;
            return fail(EIO); /* no entry and not the end: nothing fits */
        }
    }
}

int tessera_fs_sync(struct tessera_fs *fs)
{
    return call(fs, TESSERA_FS_SYNC, NULL, 0, NULL);
}

int tessera_fs_drop_caches(struct tessera_fs *fs)
{
    return call(fs, TESSERA_FS_DROP_CACHES, NULL, 0, NULL);
}

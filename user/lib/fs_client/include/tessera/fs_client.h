/* The client library of the file-system service: POSIX-shaped calls (open, read, write, close,
 * stat, readdir, ...) over the file-system protocol (tessera/fs_protocol.h). Each returns -1 (or
 * NULL) on failure with errno set to the service's errno value (Linux's numbers), as POSIX
 * functions do. C11 and C++20; docs/filesystem.md ("The client interface") has a whole client.
 *
 *   static struct tessera_fs fs;
 *   void init(void) {
 *       tessera_fs_init_microkit(&fs, FS_CHANNEL, (void *)fs_window, fs_window_size);
 *       int fd = tessera_fs_open(&fs, "/notes", TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT, 0644);
 *       if (fd < 0) printf("open: %s\n", strerror(errno));
 *       tessera_fs_write(&fs, fd, "hello\n", 6);
 *       tessera_fs_close(&fs, fd);
 *   }
 *
 * A connection is one client's channel and window; the library keeps the client's open files
 * (descriptor -> the service's handle, position, flags). One thread per connection. */
#ifndef TESSERA_FS_CLIENT_H
#define TESSERA_FS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <tessera/fs_protocol.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How the library reaches the service: one call with the request's label and words; returns
 * the reply's label (0 or an errno) and fills up to reply_capacity reply words. The Microkit
 * binding makes a protected procedure call; tests call the service directly. */
struct tessera_fs_transport {
    uint64_t (*call)(void *context, uint64_t operation, const uint64_t *words, unsigned count,
                     uint64_t *reply, unsigned reply_capacity);
    void *context;
};

#define TESSERA_FS_MAX_FILES TESSERA_FS_MAX_HANDLES
#define TESSERA_FS_DIRECTORY_BATCH 4096u

struct tessera_fs_file {
    uint32_t in_use;
    uint32_t flags;    /* the TESSERA_FS_O_* it was opened with */
    uint64_t handle;   /* the service's */
    uint64_t position; /* bytes; for a directory, the service's cursor */
    uint32_t is_directory;
    uint32_t at_end;   /* a directory read to its end */
};

struct tessera_fs {
    struct tessera_fs_transport transport;
    uint8_t *window;
    size_t window_bytes;
    struct tessera_fs_file files[TESSERA_FS_MAX_FILES];
    /* The directory entries of the last READDIR, copied out of the window. */
    int batch_fd;
    uint32_t batch_count;
    uint32_t batch_next;
    uint32_t batch_offset;
    uint64_t batch_cursor;  /* the cursor after the batch */
    uint32_t batch_end;     /* the batch reaches the end of the directory */
    uint8_t batch[TESSERA_FS_DIRECTORY_BATCH];
    char name[TESSERA_FS_NAME_MAX + 1]; /* the last entry's name, NUL-terminated */
};

/* One directory entry as tessera_fs_readdir returns it (name valid until the next call). */
struct tessera_fs_entry {
    uint64_t inode;
    uint8_t type; /* enum tessera_fs_file_type */
    const char *name;
};

/* Attaches to a window (at least TESSERA_FS_MIN_WINDOW bytes). 0, or -1 with EINVAL. */
int tessera_fs_init(struct tessera_fs *fs, const struct tessera_fs_transport *transport,
                    void *window, size_t window_bytes);
/* The Microkit binding: calls go out as protected procedure calls on `channel`. */
int tessera_fs_init_microkit(struct tessera_fs *fs, unsigned int channel, void *window,
                             size_t window_bytes);

/* Files. flags are TESSERA_FS_O_* (Linux's O_ values); positions are kept here. */
int tessera_fs_open(struct tessera_fs *fs, const char *path, int flags, unsigned int mode);
int tessera_fs_close(struct tessera_fs *fs, int fd);
long tessera_fs_read(struct tessera_fs *fs, int fd, void *buffer, size_t length);
long tessera_fs_write(struct tessera_fs *fs, int fd, const void *buffer, size_t length);
long tessera_fs_pread(struct tessera_fs *fs, int fd, void *buffer, size_t length, uint64_t offset);
long tessera_fs_pwrite(struct tessera_fs *fs, int fd, const void *buffer, size_t length,
                       uint64_t offset);
#define TESSERA_FS_SEEK_SET 0
#define TESSERA_FS_SEEK_CUR 1
#define TESSERA_FS_SEEK_END 2
int64_t tessera_fs_lseek(struct tessera_fs *fs, int fd, int64_t offset, int whence);
int tessera_fs_ftruncate(struct tessera_fs *fs, int fd, uint64_t size);
int tessera_fs_truncate(struct tessera_fs *fs, const char *path, uint64_t size);
int tessera_fs_fsync(struct tessera_fs *fs, int fd);

/* Attributes. */
int tessera_fs_stat(struct tessera_fs *fs, const char *path, struct tessera_fs_stat *stat);
int tessera_fs_lstat(struct tessera_fs *fs, const char *path, struct tessera_fs_stat *stat);
int tessera_fs_fstat(struct tessera_fs *fs, int fd, struct tessera_fs_stat *stat);
/* SETATTR on an open file: mask is TESSERA_FS_SET_*; times are (seconds, nanoseconds). */
struct tessera_fs_attributes {
    uint32_t mask;
    uint32_t mode;
    uint32_t uid;
    uint32_t gid;
    struct tessera_fs_time atime;
    struct tessera_fs_time mtime;
};
int tessera_fs_fsetattr(struct tessera_fs *fs, int fd, const struct tessera_fs_attributes *change);
int tessera_fs_chmod(struct tessera_fs *fs, const char *path, unsigned int mode);
int tessera_fs_chown(struct tessera_fs *fs, const char *path, uint32_t uid, uint32_t gid);
int tessera_fs_statfs(struct tessera_fs *fs, struct tessera_fs_statfs *statfs);
/* The volume's state for this client (enum tessera_fs_volume_state), or -1; the reason for a
 * read-only or missing volume, NUL-terminated and cut to fit, in reason[0..capacity) (an empty
 * string when there is none). reason may be NULL when capacity is 0. */
int tessera_fs_volume_status(struct tessera_fs *fs, char *reason, size_t capacity);

/* Names. */
int tessera_fs_mkdir(struct tessera_fs *fs, const char *path, unsigned int mode);
int tessera_fs_rmdir(struct tessera_fs *fs, const char *path);
int tessera_fs_unlink(struct tessera_fs *fs, const char *path);
int tessera_fs_rename(struct tessera_fs *fs, const char *from, const char *to);
int tessera_fs_link(struct tessera_fs *fs, const char *existing, const char *name);
int tessera_fs_symlink(struct tessera_fs *fs, const char *target, const char *name);
/* The target's length (at most capacity bytes copied, no NUL added), or -1. */
long tessera_fs_readlink(struct tessera_fs *fs, const char *path, char *buffer, size_t capacity);

/* Directories: open one, then take its entries one at a time. */
int tessera_fs_opendir(struct tessera_fs *fs, const char *path);
/* 1 with *entry filled, 0 at the end, -1 on error. */
int tessera_fs_readdir(struct tessera_fs *fs, int fd, struct tessera_fs_entry *entry);

/* The whole volume durable and marked clean. */
int tessera_fs_sync(struct tessera_fs *fs);
/* sync, then the service's cache emptied (benchmarks). EROFS for a read-only client. */
int tessera_fs_drop_caches(struct tessera_fs *fs);

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_FS_CLIENT_H */

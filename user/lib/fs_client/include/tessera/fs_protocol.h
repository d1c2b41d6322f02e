/* The file-system protocol: how a client asks the file-system service (user/services/ext2) for
 * anything, the one description that the service, the client library and the tests share.
 * C11 and C++20. docs/filesystem.md ("The client interface") explains it with examples.
 *
 * A client has a protected-procedure-call channel to the service and a shared region (the
 * "window") that both map. A request is a call whose label is the operation and whose message
 * registers carry numbers; names, paths and file data travel in the window, always from its
 * first byte. The reply's label is 0 on success or a positive errno value (Linux's numbers, as
 * <errno.h> and tessera/ext2/errno.h have them); its message registers carry the results.
 *
 * Files are named by handles: small numbers the service gives out per client at OPEN and takes
 * back at CLOSE. A handle names an open inode, not a path: rename and unlink do not disturb it,
 * and a file unlinked while open stays readable and writable until its last CLOSE. Positions are
 * the client's (every READ and WRITE carries its offset). The service keeps its handle tables
 * across a restart by its parent, and writes every change back before it replies, so a restart
 * between requests changes nothing a client can see. */
#ifndef TESSERA_FS_PROTOCOL_H
#define TESSERA_FS_PROTOCOL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define TESSERA_FS_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define TESSERA_FS_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#define TESSERA_FS_PROTOCOL_VERSION 1u

/* Operations: the call's label. "path" means: the path's bytes at the start of the window, its
 * length in the message register named; paths are relative to the client's root either way. */
enum tessera_fs_operation {
    /* MR0 path length, MR1 flags (TESSERA_FS_O_*), MR2 mode for a new file.
     * Reply MR0 handle, MR1 the file's mode (type and permissions), MR2 its size. */
    TESSERA_FS_OPEN = 1,
    /* MR0 handle. */
    TESSERA_FS_CLOSE = 2,
    /* MR0 handle, MR1 offset, MR2 length (at most the window). Reply MR0 bytes read, which the
     * window holds from its start; fewer than asked only at the end of the file. */
    TESSERA_FS_READ = 3,
    /* MR0 handle, MR1 offset (ignored for a handle opened with APPEND: the end of the file),
     * MR2 length (at most the window), the data at the start of the window.
     * Reply MR0 bytes written, MR1 the offset after them. */
    TESSERA_FS_WRITE = 4,
    /* MR0 path length, MR1 1 to follow a final symlink (stat) or 0 (lstat).
     * Reply: struct tessera_fs_stat at the start of the window. */
    TESSERA_FS_STAT = 5,
    /* MR0 handle. Reply: struct tessera_fs_stat at the start of the window. */
    TESSERA_FS_FSTAT = 6,
    /* MR0 handle of a directory, MR1 cursor (0: from the start), MR2 bytes of the window to
     * fill at most (0: all of it).
     * Reply MR0 entries, MR1 the cursor to continue from, MR2 1 at the end of the directory;
     * the entries (struct tessera_fs_dirent, each TESSERA_FS_DIRENT_SIZE(name) bytes) fill the
     * window from its start. "." and ".." come as the directory has them (".." of the client's
     * root is the root itself). */
    TESSERA_FS_READDIR = 7,
    /* MR0 path length, MR1 mode. */
    TESSERA_FS_MKDIR = 8,
    /* MR0 path length. */
    TESSERA_FS_RMDIR = 9,
    /* MR0 path length. */
    TESSERA_FS_UNLINK = 10,
    /* MR0 length of the old path, MR1 length of the new one, which follows it in the window. */
    TESSERA_FS_RENAME = 11,
    /* A hard link: MR0 length of the existing path, MR1 length of the new one after it. */
    TESSERA_FS_LINK = 12,
    /* MR0 length of the target text, MR1 length of the new link's path after it. */
    TESSERA_FS_SYMLINK = 13,
    /* MR0 path length. Reply MR0 the target's length, the target at the start of the window. */
    TESSERA_FS_READLINK = 14,
    /* MR0 handle, MR1 new size. */
    TESSERA_FS_TRUNCATE = 15,
    /* MR0 handle, MR1 mask (TESSERA_FS_SET_*), MR2 mode, MR3 uid, MR4 gid, MR5 atime seconds,
     * MR6 atime nanoseconds, MR7 mtime seconds, MR8 mtime nanoseconds. */
    TESSERA_FS_SETATTR = 16,
    /* Reply: struct tessera_fs_statfs at the start of the window. */
    TESSERA_FS_STATFS = 17,
    /* MR0 handle: its data and the volume's metadata are durable when this returns. */
    TESSERA_FS_FSYNC = 18,
    /* Everything is durable and the volume is marked clean when this returns. */
    TESSERA_FS_SYNC = 19,
    /* SYNC, then the service's block cache emptied: the next reads come from the disk (for
     * benchmarks of a cold cache, like Linux's drop_caches). Read-write clients only. */
    TESSERA_FS_DROP_CACHES = 20,
    /* Reply MR0 the volume's state for this client (enum tessera_fs_volume_state), MR1 the length
     * of a line at the start of the window saying why it is read-only or not mounted (0: no
     * reason to give). Answered even when the volume could not be mounted, when every other
     * request fails with EIO. */
    TESSERA_FS_VOLUME_STATUS = 21,
};

enum tessera_fs_volume_state {
    TESSERA_FS_VOLUME_READ_WRITE = 0,
    TESSERA_FS_VOLUME_READ_ONLY = 1,  /* the volume, or this client's access */
    TESSERA_FS_VOLUME_NOT_MOUNTED = 2,
};

/* Message registers a request may carry (SETATTR's nine). */
#define TESSERA_FS_MAX_WORDS 9u

/* OPEN flags: Linux's O_* values, so the POSIX personality passes them through. */
#define TESSERA_FS_O_ACCMODE 03u
#define TESSERA_FS_O_RDONLY 00u
#define TESSERA_FS_O_WRONLY 01u
#define TESSERA_FS_O_RDWR 02u
#define TESSERA_FS_O_CREAT 0100u
#define TESSERA_FS_O_EXCL 0200u
#define TESSERA_FS_O_TRUNC 01000u
#define TESSERA_FS_O_APPEND 02000u
#define TESSERA_FS_O_DIRECTORY 0200000u
#define TESSERA_FS_O_NOFOLLOW 0400000u

/* SETATTR mask. */
#define TESSERA_FS_SET_MODE 1u
#define TESSERA_FS_SET_UID 2u
#define TESSERA_FS_SET_GID 4u
#define TESSERA_FS_SET_ATIME 8u
#define TESSERA_FS_SET_MTIME 16u
#define TESSERA_FS_SET_ATIME_NOW 32u
#define TESSERA_FS_SET_MTIME_NOW 64u

/* File types in tessera_fs_stat.mode (POSIX's S_IF* values) and in directory entries. */
#define TESSERA_FS_S_IFMT 0170000u
#define TESSERA_FS_S_IFDIR 0040000u
#define TESSERA_FS_S_IFREG 0100000u
#define TESSERA_FS_S_IFLNK 0120000u

enum tessera_fs_file_type {
    TESSERA_FS_TYPE_UNKNOWN = 0,
    TESSERA_FS_TYPE_REGULAR = 1,
    TESSERA_FS_TYPE_DIRECTORY = 2,
    TESSERA_FS_TYPE_CHAR_DEVICE = 3,
    TESSERA_FS_TYPE_BLOCK_DEVICE = 4,
    TESSERA_FS_TYPE_FIFO = 5,
    TESSERA_FS_TYPE_SOCKET = 6,
    TESSERA_FS_TYPE_SYMLINK = 7,
};

struct tessera_fs_time {
    int64_t seconds;
    uint32_t nanoseconds;
    uint32_t reserved;
};
TESSERA_FS_ASSERT(sizeof(struct tessera_fs_time) == 16, "a time is 16 bytes");

struct tessera_fs_stat {
    uint64_t inode;
    uint32_t mode;   /* type and permission bits */
    uint32_t links;
    uint32_t uid;
    uint32_t gid;
    uint64_t size;   /* bytes */
    uint64_t blocks; /* 512-byte units allocated */
    uint32_t block_size;
    uint32_t device; /* of a device node */
    struct tessera_fs_time atime;
    struct tessera_fs_time mtime;
    struct tessera_fs_time ctime;
};
TESSERA_FS_ASSERT(sizeof(struct tessera_fs_stat) == 96, "a stat is 96 bytes");

struct tessera_fs_statfs {
    uint64_t block_size;
    uint64_t blocks;
    uint64_t free_blocks;
    uint64_t available_blocks; /* free for clients (the rest is the superuser's reserve) */
    uint64_t inodes;
    uint64_t free_inodes;
    uint64_t fsid;
    uint32_t name_max;
    uint32_t flags; /* TESSERA_FS_STATFS_READ_ONLY: for this client, or the whole volume */
};
TESSERA_FS_ASSERT(sizeof(struct tessera_fs_statfs) == 64, "a statfs is 64 bytes");
#define TESSERA_FS_STATFS_READ_ONLY 1u

/* A directory entry in READDIR's reply: fixed part, then the name (not NUL-terminated), padded
 * to a multiple of 8 bytes. */
struct tessera_fs_dirent {
    uint64_t inode;
    uint64_t next_cursor; /* READDIR from here continues after this entry */
    uint16_t name_length;
    uint8_t type; /* enum tessera_fs_file_type */
    uint8_t reserved[5];
    /* char name[name_length]; */
};
TESSERA_FS_ASSERT(sizeof(struct tessera_fs_dirent) == 24, "a directory entry header is 24 bytes");
#define TESSERA_FS_DIRENT_SIZE(name_length) \
    ((sizeof(struct tessera_fs_dirent) + (uint64_t)(name_length) + 7u) & ~(uint64_t)7u)

/* The longest path and name the service takes (Linux's PATH_MAX and NAME_MAX). */
#define TESSERA_FS_PATH_MAX 4096u
#define TESSERA_FS_NAME_MAX 255u
/* The smallest window: a path, or a stat, or one directory entry of the longest name. */
#define TESSERA_FS_MIN_WINDOW 8192u
/* Handles one client may hold at once. */
#define TESSERA_FS_MAX_HANDLES 64u

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_FS_PROTOCOL_H */

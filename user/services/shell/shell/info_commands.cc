// stat PATH, df, sync, help, halt.
#include "commands.h"

namespace tessera::services::shell {

namespace {
const char* type_name(uint32_t mode)
{
    switch (mode & TESSERA_FS_S_IFMT) {
    case TESSERA_FS_S_IFREG: return "regular file";
    case TESSERA_FS_S_IFDIR: return "directory";
    case TESSERA_FS_S_IFLNK: return "symbolic link";
    case 0020000: return "character device";
    case 0060000: return "block device";
    case 0010000: return "fifo";
    case 0140000: return "socket";
    default: return "unknown";
    }
}
} // namespace

Outcome stat_path(tessera_fs& fs, Out& out, const Words& words)
{
    if (words.count != 2) {
        out.usage("stat", "stat PATH");
        return Outcome::Continue;
    }
    const char* path = words.items[1];
    struct tessera_fs_stat st;
    if (tessera_fs_lstat(&fs, path, &st) != 0) {
        out.error("stat", path);
        return Outcome::Continue;
    }
    char mode[11];
    mode_string(st.mode, mode);
    char modified[20], changed[20], accessed[20];
    utc_time(st.mtime.seconds, modified);
    utc_time(st.ctime.seconds, changed);
    utc_time(st.atime.seconds, accessed);
    out.line("path: %s", path);
    out.line("type: %s", type_name(st.mode));
    out.line("size: %llu", static_cast<unsigned long long>(st.size));
    out.line("mode: %04o %s", st.mode & 07777, mode);
    out.line("links: %u", st.links);
    out.line("inode: %llu", static_cast<unsigned long long>(st.inode));
    out.line("owner: %u %u", st.uid, st.gid);
    out.line("blocks: %llu", static_cast<unsigned long long>(st.blocks));
    out.line("modified: %s", modified);
    out.line("changed: %s", changed);
    out.line("accessed: %s", accessed);
    return Outcome::Continue;
}

Outcome disk_free(tessera_fs& fs, Out& out, const Words& words)
{
    if (words.count != 1) {
        out.usage("df", "df");
        return Outcome::Continue;
    }
    struct tessera_fs_statfs s;
    if (tessera_fs_statfs(&fs, &s) != 0) {
        out.error("df", "/");
        return Outcome::Continue;
    }
    out.line("block size: %llu", static_cast<unsigned long long>(s.block_size));
    out.line("blocks: %llu total, %llu used, %llu available", static_cast<unsigned long long>(s.blocks),
             static_cast<unsigned long long>(s.blocks - s.free_blocks),
             static_cast<unsigned long long>(s.available_blocks));
    out.line("inodes: %llu total, %llu used, %llu free", static_cast<unsigned long long>(s.inodes),
             static_cast<unsigned long long>(s.inodes - s.free_inodes),
             static_cast<unsigned long long>(s.free_inodes));
    if (s.flags & TESSERA_FS_STATFS_READ_ONLY)
        out.line("read-only");
    return Outcome::Continue;
}

Outcome sync_all(tessera_fs& fs, Out& out, const Words& words)
{
    if (words.count != 1) {
        out.usage("sync", "sync");
        return Outcome::Continue;
    }
    if (tessera_fs_sync(&fs) != 0)
        out.error("sync", "/");
    return Outcome::Continue;
}

Outcome help(tessera_fs&, Out& out, const Words&)
{
    out.text("ls [-l] [PATH]        list a directory (sorted), or name a file\n"
             "cat PATH              print a file\n"
             "write PATH TEXT...    make PATH hold TEXT and a newline\n"
             "append PATH TEXT...   add TEXT and a newline to PATH\n"
             "mkdir PATH            make a directory\n"
             "rmdir PATH            remove an empty directory\n"
             "rm PATH               remove a file\n"
             "mv FROM TO            rename\n"
             "ln [-s] TARGET NAME   make a hard (or symbolic) link\n"
             "stat PATH             a file's type, size, mode, links and times\n"
             "df                    the volume's space and inodes\n"
             "sync                  write everything to the disk\n"
             "manager status        the dynamic manager's children\n"
             "manager load PATH     apply the manager configuration in PATH\n"
             "help                  this list\n"
             "halt                  sync and power off\n");
    return Outcome::Continue;
}

Outcome halt(tessera_fs&, Out& out, const Words& words)
{
    if (words.count != 1) {
        out.usage("halt", "halt");
        return Outcome::Continue;
    }
    return Outcome::Halt;
}

} // namespace tessera::services::shell

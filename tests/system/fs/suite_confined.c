/* The suite's confined client (root /home/a): nothing outside its root is reachable. */
#include <errno.h>
#include <string.h>

#include "checks.h"
#include "suite.h"

static struct tessera_fs *fs = &suite_fs;

static int failed_with(int result, int error)
{
    return result == -1 && errno == error;
}

void init(void)
{
    if (check("fs.confined.connect", suite_connect() == 0)) {
        char buffer[16];
        int fd = tessera_fs_open(fs, "/alpha", TESSERA_FS_O_RDONLY, 0);
        check("fs.confined.reads_its_files", fd >= 0 && tessera_fs_read(fs, fd, buffer, sizeof buffer) == 6 &&
                                                 memcmp(buffer, "alpha\n", 6) == 0);
        tessera_fs_close(fs, fd);
        struct tessera_fs_stat st, root;
        check("fs.confined.dotdot_stops_at_root",
              tessera_fs_stat(fs, "/../../..", &st) == 0 && tessera_fs_stat(fs, "/", &root) == 0 &&
                  st.inode == root.inode);
        check("fs.confined.no_path_out", failed_with(tessera_fs_stat(fs, "/../../readme", &st), ENOENT) &&
                                             failed_with(tessera_fs_stat(fs, "/../b/secret", &st), ENOENT));
        check("fs.confined.no_symlink_out", failed_with(tessera_fs_open(fs, "/escape", TESSERA_FS_O_RDONLY, 0), ENOENT));
        check("fs.confined.no_link_from_outside", failed_with(tessera_fs_link(fs, "/../../readme", "/stolen"), ENOENT));
        check("fs.confined.root_is_busy", failed_with(tessera_fs_rmdir(fs, "/"), EBUSY));
        fd = tessera_fs_open(fs, "/mine", TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT, 0644);
        check("fs.confined.creates_inside", fd >= 0 && tessera_fs_close(fs, fd) == 0);
        int dir = tessera_fs_opendir(fs, "/");
        struct tessera_fs_entry entry;
        int dotdot_is_root = 0;
        while (tessera_fs_readdir(fs, dir, &entry) == 1)
            if (strcmp(entry.name, "..") == 0)
                dotdot_is_root = entry.inode == root.inode;
        tessera_fs_close(fs, dir);
        check("fs.confined.readdir_dotdot_is_root", dotdot_is_root);
    }
    suite_report();
}

void notified(microkit_channel ch)
{
    (void)ch;
}

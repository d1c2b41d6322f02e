/* The suite's read-only client (root /): it reads; every change is EROFS. */
#include <errno.h>
#include <string.h>

#include "checks.h"
#include "suite.h"

static struct tessera_fs *fs = &suite_fs;

static int erofs(int result)
{
    return result == -1 && errno == EROFS;
}

void init(void)
{
    if (check("fs.reader.connect", suite_connect() == 0)) {
        char buffer[8];
        int fd = tessera_fs_open(fs, "/docs/one", TESSERA_FS_O_RDONLY, 0);
        check("fs.reader.reads", fd >= 0 && tessera_fs_read(fs, fd, buffer, sizeof buffer) == 4);
        tessera_fs_close(fs, fd);
        check("fs.reader.open_for_writing", erofs(tessera_fs_open(fs, "/readme", TESSERA_FS_O_WRONLY, 0)));
        check("fs.reader.create", erofs(tessera_fs_open(fs, "/reader", TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT, 0644)));
        check("fs.reader.mkdir", erofs(tessera_fs_mkdir(fs, "/d", 0755)));
        check("fs.reader.unlink", erofs(tessera_fs_unlink(fs, "/readme")));
        check("fs.reader.rename", erofs(tessera_fs_rename(fs, "/readme", "/x")));
        check("fs.reader.chmod", erofs(tessera_fs_chmod(fs, "/readme", 0777)));
        struct tessera_fs_statfs s;
        check("fs.reader.statfs_says_read_only", tessera_fs_statfs(fs, &s) == 0 && s.flags == TESSERA_FS_STATFS_READ_ONLY);
    }
    suite_report();
}

void notified(microkit_channel ch)
{
    (void)ch;
}

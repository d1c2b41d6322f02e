/* The suite's main client (root /, read-write): the client library against the real service over
 * protected procedure calls, a restart of the service between requests, and the summary once the
 * confined and read-only clients have reported. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "suite.h"

static struct tessera_fs *fs = &suite_fs;
static unsigned reports;

static int read_file(const char *path, char *buffer, size_t capacity)
{
    int fd = tessera_fs_open(fs, path, TESSERA_FS_O_RDONLY, 0);
    if (fd < 0)
        return -1;
    long got = tessera_fs_read(fs, fd, buffer, capacity);
    tessera_fs_close(fs, fd);
    return (int)got;
}

static int failed_with(int result, int error)
{
    return result == -1 && errno == error;
}

static int is_listed(const char *directory, const char *const *names, unsigned count)
{
    int fd = tessera_fs_opendir(fs, directory);
    if (fd < 0)
        return 0;
    unsigned seen = 0, entries = 0;
    struct tessera_fs_entry entry;
    while (tessera_fs_readdir(fs, fd, &entry) == 1) {
        ++entries;
        for (unsigned i = 0; i < count; ++i)
            if (strcmp(entry.name, names[i]) == 0)
                seen |= 1u << i;
    }
    tessera_fs_close(fs, fd);
    return entries == count && seen == (1u << count) - 1;
}

static void reading(void)
{
    char buffer[128];
    int got = read_file("/readme", buffer, sizeof buffer);
    check("fs.read.built_image_file", got == 55 && memcmp(buffer, "The volume of", 13) == 0);
    static const char *const root[] = {".", "..", "docs", "home", "lost+found", "readme"};
    check("fs.readdir.root", is_listed("/", root, 6));
    struct tessera_fs_stat st;
    check("fs.stat.directory", tessera_fs_stat(fs, "/docs", &st) == 0 &&
                                   (st.mode & TESSERA_FS_S_IFMT) == TESSERA_FS_S_IFDIR && st.links == 2);
}

static void writing(void)
{
    int fd = tessera_fs_open(fs, "/notes", TESSERA_FS_O_RDWR | TESSERA_FS_O_CREAT | TESSERA_FS_O_EXCL, 0640);
    check("fs.open.create", fd >= 0);
    check("fs.write.pieces", tessera_fs_write(fs, fd, "one ", 4) == 4 && tessera_fs_write(fs, fd, "two", 3) == 3);
    char buffer[16] = {0};
    check("fs.pread.back", tessera_fs_pread(fs, fd, buffer, sizeof buffer, 0) == 7 &&
                               memcmp(buffer, "one two", 7) == 0);
    struct tessera_fs_stat st;
    check("fs.fstat.size_mode_links", tessera_fs_fstat(fs, fd, &st) == 0 && st.size == 7 &&
                                          st.mode == 0100640 && st.links == 1);
    check("fs.close", tessera_fs_close(fs, fd) == 0);

    /* Larger than the window: several requests each way. */
    static char big[300000];
    static char back[300000];
    for (size_t i = 0; i < sizeof big; ++i)
        big[i] = (char)(i * 31 + i / 4096);
    fd = tessera_fs_open(fs, "/big", TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT, 0644);
    check("fs.write.larger_than_window", tessera_fs_write(fs, fd, big, sizeof big) == (long)sizeof big);
    tessera_fs_close(fs, fd);
    check("fs.read.larger_than_window", read_file("/big", back, sizeof back) == (int)sizeof back &&
                                            memcmp(big, back, sizeof big) == 0);
}

static void names(void)
{
    check("fs.mkdir", tessera_fs_mkdir(fs, "/tmp", 0755) == 0);
    check("fs.rename.across_directories", tessera_fs_rename(fs, "/notes", "/tmp/notes") == 0);
    check("fs.link.hard", tessera_fs_link(fs, "/tmp/notes", "/tmp/again") == 0);
    check("fs.symlink", tessera_fs_symlink(fs, "notes", "/tmp/link") == 0);
    char target[16];
    check("fs.readlink", tessera_fs_readlink(fs, "/tmp/link", target, sizeof target) == 5 &&
                             memcmp(target, "notes", 5) == 0);
    struct tessera_fs_stat st;
    check("fs.stat.through_symlink", tessera_fs_stat(fs, "/tmp/link", &st) == 0 && st.size == 7 && st.links == 2);
    static const char *const tmp[] = {".", "..", "notes", "again", "link"};
    check("fs.readdir.after_changes", is_listed("/tmp", tmp, 5));

    int fd = tessera_fs_open(fs, "/tmp/again", TESSERA_FS_O_RDONLY, 0);
    check("fs.unlink.while_open", tessera_fs_unlink(fs, "/tmp/notes") == 0 && tessera_fs_unlink(fs, "/tmp/again") == 0);
    char buffer[8];
    check("fs.unlinked_file_stays_readable", tessera_fs_pread(fs, fd, buffer, 7, 0) == 7 && memcmp(buffer, "one two", 7) == 0);
    check("fs.close.frees_it", tessera_fs_close(fs, fd) == 0);
}

static void errors(void)
{
    struct tessera_fs_stat st;
    check("fs.error.enoent", failed_with(tessera_fs_stat(fs, "/nothing", &st), ENOENT));
    check("fs.error.eexist", failed_with(tessera_fs_mkdir(fs, "/docs", 0755), EEXIST));
    check("fs.error.enotempty", failed_with(tessera_fs_rmdir(fs, "/docs"), ENOTEMPTY));
    check("fs.error.eisdir", failed_with(tessera_fs_unlink(fs, "/docs"), EISDIR));
    check("fs.error.enotdir", failed_with(tessera_fs_open(fs, "/readme/x", TESSERA_FS_O_RDONLY, 0), ENOTDIR));
    char name[300];
    memset(name, 'n', sizeof name);
    name[0] = '/';
    name[sizeof name - 1] = '\0';
    check("fs.error.enametoolong", failed_with(tessera_fs_mkdir(fs, name, 0755), ENAMETOOLONG));
    check("fs.error.ebadf", failed_with(tessera_fs_close(fs, 40), EBADF));
    check("fs.strerror", strcmp(strerror(ENOTEMPTY), "Directory not empty") == 0);
}

static void restart(void)
{
    int fd = tessera_fs_open(fs, "/restart", TESSERA_FS_O_RDWR | TESSERA_FS_O_CREAT, 0644);
    int orphan = tessera_fs_open(fs, "/docs/two", TESSERA_FS_O_RDONLY, 0);
    check("fs.restart.before", fd >= 0 && orphan >= 0 && tessera_fs_write(fs, fd, "before", 6) == 6 &&
                                   tessera_fs_unlink(fs, "/docs/two") == 0);
    const microkit_msginfo answer = microkit_ppcall(SUPERVISOR_CHANNEL, microkit_msginfo_new(RESTART_SERVICE, 0));
    check("fs.restart.done", microkit_msginfo_get_label(answer) == 0 && microkit_mr_get(0) == 1);
    check("fs.restart.descriptor_kept", tessera_fs_write(fs, fd, "+after", 6) == 6);
    char buffer[16] = {0};
    check("fs.restart.data_kept", tessera_fs_pread(fs, fd, buffer, sizeof buffer, 0) == 12 &&
                                      memcmp(buffer, "before+after", 12) == 0);
    check("fs.restart.unlinked_file_kept", tessera_fs_pread(fs, orphan, buffer, 4, 0) == 4 &&
                                               memcmp(buffer, "two\n", 4) == 0);
    check("fs.restart.close", tessera_fs_close(fs, fd) == 0 && tessera_fs_close(fs, orphan) == 0);
}

void init(void)
{
    if (!check("fs.connect", suite_connect() == 0))
        return;
    reading();
    writing();
    names();
    errors();
    restart();
    struct tessera_fs_statfs s;
    check("fs.statfs", tessera_fs_statfs(fs, &s) == 0 && s.block_size == 1024 && s.free_blocks > 0 &&
                           s.flags == 0);
    check("fs.sync", tessera_fs_sync(fs) == 0);
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    if ((ch != MAIN_FROM_CONFINED && ch != MAIN_FROM_READER) || microkit_msginfo_get_label(msginfo) != REPORT)
        return microkit_msginfo_new(1, 0);
    check_add((unsigned)microkit_mr_get(0), (unsigned)microkit_mr_get(1));
    if (++reports == 2) {
        struct tessera_fs_stat st;
        check("fs.confined.wrote_inside_its_root", tessera_fs_stat(fs, "/home/a/mine", &st) == 0);
        check("fs.reader.changed_nothing", tessera_fs_stat(fs, "/readme", &st) == 0 &&
                                               failed_with(tessera_fs_stat(fs, "/reader", &st), ENOENT));
        check_summary();
    }
    return microkit_msginfo_new(0, 0);
}

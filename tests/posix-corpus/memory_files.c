/* /tmp and /dev/shm against Linux (issue 23's corpus, musl-gcc -static): files made, written,
 * grown with a hole and shrunk, O_EXCL, directories listed and removed with their errors,
 * renames (over a file, onto a directory, into itself), hard and symbolic links, a file read
 * after its last name went, and a shared-memory file in /dev/shm. On Tessera /tmp and /dev/shm
 * are the server's memory file systems; on the host, directories of the chroot. Prints what it
 * sees; the test compares it with the same binary's on the host. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static int by_name(const void* a, const void* b)
{
    return strcmp(*(char* const*)a, *(char* const*)b);
}

/* The names in `path`, sorted (the order of a listing is the file system's). */
static void list(const char* path)
{
    char* names[16];
    int count = 0;
    DIR* dir = opendir(path);
    if (dir == NULL) {
        result("opendir", -1);
        return;
    }
    for (struct dirent* e; (e = readdir(dir)) != NULL && count < 16;)
        names[count++] = strdup(e->d_name);
    closedir(dir);
    qsort(names, count, sizeof names[0], by_name);
    printf("%s:", path);
    for (int i = 0; i < count; ++i) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void describe(const char* path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        result(path, -1);
        return;
    }
    printf("%s: mode %o links %ld", path, (unsigned)st.st_mode, (long)st.st_nlink);
    if (!S_ISDIR(st.st_mode))
        printf(" size %ld", (long)st.st_size);
    printf("\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    umask(022);
    describe("/tmp");
    describe("/dev/shm");
    result("access /tmp W_OK", access("/tmp", W_OK));

    int fd = open("/tmp/corpus_a", O_RDWR | O_CREAT | O_EXCL, 0666);
    result("create", fd >= 0 ? 0 : -1);
    result("write", write(fd, "hello, memory", 13));
    result("create again O_EXCL", open("/tmp/corpus_a", O_RDWR | O_CREAT | O_EXCL, 0666));
    describe("/tmp/corpus_a");
    char buffer[64] = {0};
    result("pread 7", pread(fd, buffer, 6, 7));
    printf("read '%s'\n", buffer);
    result("ftruncate 10000", ftruncate(fd, 10000));
    result("lseek end", lseek(fd, 0, SEEK_END));
    memset(buffer, 'x', sizeof buffer);
    result("pread in the hole", pread(fd, buffer, 8, 9000));
    printf("hole bytes zero: %d\n", memcmp(buffer, "\0\0\0\0\0\0\0\0", 8) == 0);
    result("write past the end", pwrite(fd, "!", 1, 20000));
    describe("/tmp/corpus_a");
    result("ftruncate 5", ftruncate(fd, 5));
    result("ftruncate 8", ftruncate(fd, 8));
    memset(buffer, 'x', sizeof buffer);
    result("pread after shrink", pread(fd, buffer, 64, 0));
    printf("bytes 5-7 zero: %d\n", memcmp(buffer + 5, "\0\0\0", 3) == 0);
    result("stat below a file", open("/tmp/corpus_a/x", O_RDONLY));

    result("mkdir", mkdir("/tmp/corpus_d", 0750));
    result("mkdir again", mkdir("/tmp/corpus_d", 0750));
    describe("/tmp/corpus_d");
    close(open("/tmp/corpus_d/one", O_WRONLY | O_CREAT, 0600));
    result("mkdir sub", mkdir("/tmp/corpus_d/sub", 0700));
    list("/tmp/corpus_d");
    describe("/tmp/corpus_d");
    result("rmdir not empty", rmdir("/tmp/corpus_d"));
    result("rmdir a file", rmdir("/tmp/corpus_d/one"));
    result("unlink a directory", unlink("/tmp/corpus_d/sub"));
    result("rename file onto directory", rename("/tmp/corpus_d/one", "/tmp/corpus_d/sub"));
    result("rename directory onto file", rename("/tmp/corpus_d/sub", "/tmp/corpus_d/one"));
    result("rename directory into itself", rename("/tmp/corpus_d", "/tmp/corpus_d/sub/x"));
    result("rename missing", rename("/tmp/corpus_none", "/tmp/corpus_x"));
    result("rename over a file", rename("/tmp/corpus_d/one", "/tmp/corpus_a"));
    describe("/tmp/corpus_a");
    result("rename directory", rename("/tmp/corpus_d/sub", "/tmp/corpus_sub"));
    list("/tmp/corpus_d");
    describe("/tmp/corpus_d");

    close(open("/tmp/corpus_b", O_WRONLY | O_CREAT, 0644));
    result("link", link("/tmp/corpus_b", "/tmp/corpus_d/b"));
    result("link exists", link("/tmp/corpus_b", "/tmp/corpus_d/b"));
    result("link a directory", link("/tmp/corpus_d", "/tmp/corpus_e"));
    describe("/tmp/corpus_b");
    struct stat a, b;
    stat("/tmp/corpus_b", &a);
    stat("/tmp/corpus_d/b", &b);
    printf("same inode: %d\n", a.st_ino == b.st_ino);
    result("symlink", symlink("corpus_d/b", "/tmp/corpus_l"));
    char target[64];
    long n = readlink("/tmp/corpus_l", target, sizeof target);
    result("readlink", n);
    printf("target '%.*s'\n", (int)(n > 0 ? n : 0), target);
    describe("/tmp/corpus_l");
    result("open through the link", open("/tmp/corpus_l", O_RDONLY) >= 0 ? 0 : -1);
    result("open O_NOFOLLOW", open("/tmp/corpus_l", O_RDONLY | O_NOFOLLOW));

    /* Its last name gone, an open file still reads; fstat shows no links. */
    int held = open("/tmp/corpus_held", O_RDWR | O_CREAT, 0644);
    result("write held", write(held, "still here", 10));
    result("unlink held", unlink("/tmp/corpus_held"));
    struct stat st;
    fstat(held, &st);
    printf("held links %ld size %ld\n", (long)st.st_nlink, (long)st.st_size);
    memset(buffer, 0, sizeof buffer);
    result("pread held", pread(held, buffer, 10, 0));
    printf("read '%s'\n", buffer);
    close(held);

    int shm = open("/dev/shm/corpus_s", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    result("shm create", shm >= 0 ? 0 : -1);
    result("shm ftruncate", ftruncate(shm, 4096));
    result("shm pwrite", pwrite(shm, "shared", 6, 100));
    describe("/dev/shm/corpus_s");
    list("/dev/shm");
    result("shm unlink", unlink("/dev/shm/corpus_s"));
    close(shm);

    result("unlink b", unlink("/tmp/corpus_b"));
    result("unlink d/b", unlink("/tmp/corpus_d/b"));
    result("unlink l", unlink("/tmp/corpus_l"));
    result("unlink a", unlink("/tmp/corpus_a"));
    result("rmdir sub", rmdir("/tmp/corpus_sub"));
    result("rmdir d", rmdir("/tmp/corpus_d"));
    list("/tmp");
    close(fd);
    return 0;
}

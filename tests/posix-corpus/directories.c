/* Directory descriptors against Linux (issue 23's corpus, musl-gcc -static): openat and fstatat
 * relative to a directory descriptor, their errors (ENOENT, ENOTDIR, EBADF), fchdir and getcwd,
 * names relative to the new working directory, readlink of a regular file, and rewinding a
 * directory. Prints what it sees; the test compares it with the same binary's on the host. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int bin = open("/bin", O_RDONLY | O_DIRECTORY);
    result("open /bin", bin >= 0 ? 0 : -1);
    int file = openat(bin, "busybox", O_RDONLY);
    result("openat busybox", file >= 0 ? 0 : -1);
    char magic[4];
    result("read", read(file, magic, 4));
    printf("magic %c%c%c\n", magic[1], magic[2], magic[3]);
    struct stat st;
    result("fstatat sh", fstatat(bin, "sh", &st, 0));
    printf("regular %d, executable %d\n", S_ISREG(st.st_mode), (st.st_mode & 0100) != 0);
    result("openat missing", openat(bin, "no-such-applet", O_RDONLY));
    result("openat on a file", openat(file, "x", O_RDONLY));
    result("openat bad fd", openat(99, "x", O_RDONLY));
    result("openat absolute ignores fd", openat(99, "/bin/busybox", O_RDONLY) >= 0 ? 0 : -1);
    result("fchdir file", fchdir(file));
    result("fchdir /bin", fchdir(bin));
    char cwd[64];
    printf("cwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
    result("open relative", open("busybox", O_RDONLY) >= 0 ? 0 : -1);
    result("stat ../bin/sh", stat("../bin/sh", &st));
    char target[32];
    result("readlink regular", readlink("/bin/busybox", target, sizeof target));
    result("readlink missing", readlink("/bin/none", target, sizeof target));
    DIR* dir = opendir(".");
    int first = 0, again = 0;
    while (readdir(dir) != NULL)
        ++first;
    rewinddir(dir);
    while (readdir(dir) != NULL)
        ++again;
    printf("rewound listing same length %d\n", first == again && first > 2);
    closedir(dir);
    result("close", close(bin));
    return 0;
}

/* The file calls against Linux (issue 23's corpus, compiled with musl-gcc -static): open, read,
 * lseek, fstat, stat, getdents64 through readdir, dup2, the devices, and the errors a program
 * gets for bad descriptors, missing files and bad pointers. Prints what it sees; the test
 * compares the output with the same binary's on the host. */
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
    setvbuf(stdout, NULL, _IONBF, 0); /* ordered with the raw write()s, on a pipe or a tty */
    char buffer[64];
    int fd = open("/bin/busybox", O_RDONLY);
    result("open busybox", fd >= 0 ? 0 : -1);
    result("read 4", read(fd, buffer, 4));
    printf("magic: %02x %c%c%c\n", (unsigned char)buffer[0], buffer[1], buffer[2], buffer[3]);
    result("lseek end > 1 MiB", lseek(fd, 0, SEEK_END) > (1 << 20));
    struct stat st;
    result("fstat", fstat(fd, &st));
    printf("regular %d, mode %o\n", S_ISREG(st.st_mode), (unsigned)(st.st_mode & 07777));
    result("close", close(fd));
    result("close again", close(fd));
    result("read bad fd", read(99, buffer, 1));
    result("open missing", open("/no/such", O_RDONLY));
    result("open dir for writing", open("/bin", O_WRONLY));
    result("write bad pointer", write(1, (void*)16, 8));
    result("stat bad pointer", stat((const char*)16, &st));
    result("stat /bin", stat("/bin", &st));
    printf("directory %d\n", S_ISDIR(st.st_mode));
    DIR* dir = opendir("/bin");
    int entries = 0, found_sh = 0;
    for (struct dirent* e; dir && (e = readdir(dir));) {
        entries++;
        found_sh |= strcmp(e->d_name, "sh") == 0;
    }
    printf("entries > 100: %d, sh found: %d\n", entries > 100, found_sh);
    closedir(dir);
    int null = open("/dev/null", O_WRONLY);
    result("write /dev/null", write(null, "xyz", 3));
    int zero = open("/dev/zero", O_RDONLY);
    memset(buffer, 1, sizeof buffer);
    result("read /dev/zero", read(zero, buffer, 8));
    printf("zeros: %d\n", buffer[0] == 0 && buffer[7] == 0 && buffer[8] == 1);
    result("dup2", dup2(1, 7));
    result("write via dup", write(7, "dup ok\n", 7));
    result("chdir /bin", chdir("/bin"));
    printf("cwd: %s\n", getcwd(buffer, sizeof buffer));
    result("access busybox relative", access("busybox", R_OK));
    result("chdir file", chdir("/bin/busybox"));
    return 3;
}

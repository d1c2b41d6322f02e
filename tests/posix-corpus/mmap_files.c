/* Private file mappings against Linux (issue 23's corpus, musl-gcc -static): a file in /tmp
 * mapped MAP_PRIVATE shows its bytes, a write to the mapping stays the mapping's (the file and a
 * second mapping keep theirs), a mapping at a page offset, the tail of the file's last page
 * reading zero, /dev/zero mapped privately,
 * and the errors: a write-only descriptor, an unaligned offset, a bad descriptor, a pipe. Prints
 * what it sees; the test compares it with the same binary's on the host. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void check_failure(const char* what, void* mapped)
{
    printf("%s: %s\n", what, mapped == MAP_FAILED ? strerror(errno) : "mapped");
}

int main(void)
{
    enum { page = 4096 };
    const char* path = "/tmp/corpus_mmap";
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    static char content[2 * page + 100];
    for (size_t i = 0; i < sizeof content; ++i)
        content[i] = (char)('a' + i % 26);
    if (fd < 0 || write(fd, content, sizeof content) != (ssize_t)sizeof content) {
        perror("setup");
        return 1;
    }

    char* one = mmap(NULL, sizeof content, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    char* two = mmap(NULL, sizeof content, PROT_READ, MAP_PRIVATE, fd, 0);
    if (one == MAP_FAILED || two == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    printf("same bytes: %d %d\n", memcmp(one, content, sizeof content) == 0,
           memcmp(two, content, sizeof content) == 0);
    one[5] = '!';
    char back = 0;
    pread(fd, &back, 1, 5);
    printf("after a private write: mapping %c, other mapping %c, file %c\n", one[5], two[5], back);
    printf("tail of the last page: %d\n", one[2 * page + 100] + one[3 * page - 1]);
    munmap(one, sizeof content);
    munmap(two, sizeof content);

    char* second = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, page);
    printf("at offset %d: %.5s\n", page, second == MAP_FAILED ? "fail" : second);

    int zero = open("/dev/zero", O_RDWR);
    char* zeros = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
    printf("/dev/zero: %d\n", zeros == MAP_FAILED ? -1 : zeros[0] + zeros[page - 1]);

    int write_only = open(path, O_WRONLY);
    check_failure("write-only descriptor", mmap(NULL, page, PROT_READ, MAP_PRIVATE, write_only, 0));
    check_failure("unaligned offset", mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 100));
    check_failure("bad descriptor", mmap(NULL, page, PROT_READ, MAP_PRIVATE, 99, 0));
    int ends[2];
    pipe(ends);
    check_failure("pipe", mmap(NULL, page, PROT_READ, MAP_PRIVATE, ends[0], 0));
    unlink(path);
    return 0;
}

/* Standard input and the terminals against Linux (issue 23's corpus): the test gives the
 * program a pipe as standard input and captures its output, so no descriptor is a terminal.
 * It checks isatty and TCGETS on 0-2, what fstat says of them, reads its input in odd-sized
 * pieces to the end, forks a child that reads after it, and reports what it read. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int fd = 0; fd < 3; ++fd) {
        struct termios modes;
        struct stat st;
        printf("fd %d: isatty %d\n", fd, isatty(fd));
        result("  tcgets", ioctl(fd, TCGETS, &modes));
        result("  fstat", fstat(fd, &st));
        printf("  fifo %d, chr %d\n", S_ISFIFO(st.st_mode), S_ISCHR(st.st_mode));
    }
    result("lseek on the pipe", lseek(0, 0, SEEK_CUR));
    /* The first line, then the rest in the child, then nothing left for the parent. */
    char line[256];
    size_t got = 0;
    while (got < sizeof line - 1 && read(0, line + got, 1) == 1 && line[got] != '\n')
        ++got;
    line[got] = '\0';
    printf("first line: [%s]\n", line);
    pid_t child = fork();
    if (child == 0) {
        unsigned long sum = 0, count = 0;
        char chunk[77];
        ssize_t n;
        while ((n = read(0, chunk, sizeof chunk)) > 0) {
            for (ssize_t i = 0; i < n; ++i)
                sum = sum * 31 + (unsigned char)chunk[i];
            count += (unsigned long)n;
        }
        printf("child read %lu bytes, hash %lx, last read %ld\n", count, sum, (long)n);
        _exit(0);
    }
    int status = 0;
    result("wait", waitpid(child, &status, 0) == child);
    result("parent reads at the end", read(0, line, sizeof line));
    result("write to standard input", write(0, "x", 1));
    return 0;
}

/* The process and memory calls against Linux (issue 23's corpus, musl-gcc -static): fork and
 * copy-on-write, wait4 statuses (exit codes and signals), pipes between processes, execve,
 * brk, mmap, munmap and mprotect. Pids differ between systems, so only their relations print. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    setvbuf(stdout, NULL, _IONBF, 0); /* nothing buffered is copied by fork */
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        printf("exec'd child: argc %d, argv[2] %s, HOME %s\n", argc, argv[2], getenv("HOME"));
        return 9;
    }
    static int shared = 1;
    int status = 0;
    pid_t child = fork();
    if (child == 0) {
        shared = 2; /* the parent's copy must not change */
        _exit(42);
    }
    printf("fork: child pid %s parent's\n", child > getpid() ? ">" : "<=");
    printf("wait4 same pid: %d\n", waitpid(child, &status, 0) == child);
    printf("exited %d code %d, parent still sees %d\n", WIFEXITED(status), WEXITSTATUS(status),
           shared);
    const int none = waitpid(-1, &status, 0);
    printf("wait without children: %d %s\n", none, strerror(errno));

    int p[2];
    pipe(p);
    if (fork() == 0) {
        close(p[0]);
        for (int i = 0; i < 1000; i++)
            write(p[1], "0123456789", 10);
        _exit(0);
    }
    close(p[1]);
    long total = 0;
    char buffer[4096];
    for (ssize_t n; (n = read(p[0], buffer, sizeof buffer)) > 0;)
        total += n;
    wait(&status);
    printf("pipe carried %ld bytes\n", total);

    if (fork() == 0) {
        kill(getpid(), SIGTERM);
        _exit(1);
    }
    wait(&status);
    printf("signalled %d signal %d\n", WIFSIGNALED(status), WTERMSIG(status));

    if (fork() == 0) {
        *(volatile int*)8 = 1; /* no page there: SIGSEGV */
        _exit(1);
    }
    wait(&status);
    printf("null write: signalled %d signal %d\n", WIFSIGNALED(status), WTERMSIG(status));

    if (fork() == 0) {
        char* args[] = {argv[0], "child", "two", NULL};
        char* env[] = {"HOME=/home/x", NULL};
        execve("/bin/corpus_process", args, env);
        _exit(127);
    }
    wait(&status);
    printf("exec'd child exited %d\n", WEXITSTATUS(status));
    const int missing = execve("/no/such", argv, NULL);
    printf("execve missing: %d %s\n", missing, strerror(errno));

    /* musl's sbrk refuses to grow: the brk call itself. */
    char* before = (char*)syscall(SYS_brk, 0);
    char* after = (char*)syscall(SYS_brk, before + 65536);
    printf("brk grows: %d\n", after == before + 65536);
    memset(before, 7, 65536);
    printf("brk refuses to go below its start: %d\n",
           (char*)syscall(SYS_brk, (char*)4096) == after);
    char* map = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap: %d, zero %d\n", map != MAP_FAILED, map[12345] == 0);
    map[0] = 1;
    printf("mprotect: %d\n", mprotect(map, 4096, PROT_READ));
    printf("munmap: %d, again %d\n", munmap(map, 1 << 20), munmap(map, 1 << 20));
    printf("mmap bad flags: %s\n", mmap(NULL, 4096, PROT_READ, 0, -1, 0) == MAP_FAILED ? strerror(errno) : "mapped");
    return 0;
}

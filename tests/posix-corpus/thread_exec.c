/* execve by a thread that is not the first, against Linux (issue 23's corpus, musl-gcc
 * -static): the other threads end, the caller takes the process's pid (gettid = getpid), keeps
 * its parent, and the parent's waitpid of that pid gets the new program's status; also when
 * the first thread has already ended by a raw exit (a zombie leader). Prints what it sees; the
 * test compares it with the host's run. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char* self;
static char pid_text[16], parent_text[16], status_text[16];

static void* execs(void* leader_exits)
{
    if (leader_exits)
        usleep(100000); /* the first thread's raw exit first */
    char* arguments[] = {self, "after", pid_text, parent_text, status_text, NULL};
    execv(self, arguments);
    printf("execv failed\n");
    return NULL;
}

/* A child whose second thread execs this program again with `status` to exit with. */
static void child(int status, int leader_exits)
{
    snprintf(pid_text, sizeof pid_text, "%d", getpid());
    snprintf(parent_text, sizeof parent_text, "%d", getppid());
    snprintf(status_text, sizeof status_text, "%d", status);
    pthread_t thread;
    pthread_create(&thread, NULL, execs, (void*)(long)leader_exits);
    if (leader_exits)
        syscall(SYS_exit, 0); /* the first thread alone, not the process */
    for (;;)
        pause(); /* ended by the execve */
}

int main(int count, char** arguments)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    self = arguments[0];
    if (count == 5 && strcmp(arguments[1], "after") == 0) {
        printf("after execve: pid kept %d, tid is the pid %d, parent kept %d\n",
               getpid() == atoi(arguments[2]), syscall(SYS_gettid) == getpid(),
               getppid() == atoi(arguments[3]));
        return atoi(arguments[4]);
    }
    for (int leader_exits = 0; leader_exits <= 1; ++leader_exits) {
        const pid_t pid = fork();
        if (pid == 0)
            child(7 + leader_exits, leader_exits);
        int status = 0;
        const pid_t waited = waitpid(pid, &status, 0);
        printf("leader %s: waited for the child's pid %d, exited %d, status %d\n",
               leader_exits ? "exited first" : "running", waited == pid, WIFEXITED(status),
               WEXITSTATUS(status));
    }
    return 0;
}

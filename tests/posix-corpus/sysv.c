#define _GNU_SOURCE
/* System V IPC against Linux (issue 23's corpus): message queues (msgget with keys, IPC_PRIVATE,
 * IPC_CREAT and IPC_EXCL, msgsnd and msgrcv's type rules, E2BIG and MSG_NOERROR, ENOMSG,
 * EAGAIN on a full queue, IPC_STAT and IPC_SET, a receiver blocked until a child sends, EIDRM
 * for a receiver whose queue is removed), semaphores (SETVAL, GETVAL, SETALL, GETALL, GETPID,
 * GETNCNT, semop all or nothing, IPC_NOWAIT, semtimedop's timeout, a parent and child taking
 * turns, ERANGE, EFBIG, E2BIG) and shared memory (shmget, shmat in parent and child, the same
 * bytes, IPC_STAT's size and attachments, shmdt, IPC_RMID while attached, EINVAL). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

struct message {
    long type;
    char text[64];
};

static int send_text(int id, long type, const char* text, int flags)
{
    struct message m = {type, {0}};
    strcpy(m.text, text);
    return msgsnd(id, &m, strlen(text) + 1, flags);
}

static void receive(int id, long type, int flags, size_t size)
{
    struct message m;
    memset(&m, 0, sizeof m);
    long got = msgrcv(id, &m, size, type, flags);
    if (got < 0)
        result("msgrcv", got);
    else
        printf("msgrcv: %ld type %ld text '%.*s'\n", got, m.type, (int)got, m.text);
}

static void wait_child(pid_t child)
{
    int status = 0;
    waitpid(child, &status, 0);
    printf("child: exited %d status %d\n", WIFEXITED(status), WEXITSTATUS(status));
}

static void queues(void)
{
    const key_t key = 0x5e1f;
    int stale = msgget(key, 0);
    if (stale >= 0)
        msgctl(stale, IPC_RMID, NULL); /* left by an earlier run on the host */
    errno = 0;
    result("msgget without IPC_CREAT", msgget(key, 0));
    int id = msgget(key, IPC_CREAT | 0640);
    printf("msgget: %d\n", id >= 0);
    printf("same key, same id: %d\n", msgget(key, 0) == id);
    result("msgget IPC_EXCL", msgget(key, IPC_CREAT | IPC_EXCL | 0640));
    int private = msgget(IPC_PRIVATE, 0600);
    printf("private differs: %d\n", private >= 0 && private != id);

    result("msgsnd", send_text(id, 3, "three", 0));
    result("msgsnd", send_text(id, 1, "one", 0));
    result("msgsnd", send_text(id, 2, "two", 0));
    result("msgsnd", send_text(id, 1, "uno", 0));
    struct msqid_ds ds;
    result("IPC_STAT", msgctl(id, IPC_STAT, &ds));
    printf("qnum %lu cbytes %lu qbytes %lu mode %o lspid is me %d\n", (unsigned long)ds.msg_qnum,
           (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes,
           (unsigned)ds.msg_perm.mode & 0777, ds.msg_lspid == getpid());
    receive(id, 2, 0, 64);
    receive(id, -2, 0, 64);
    receive(id, 1, MSG_EXCEPT, 64);
    receive(id, 0, 0, 2);
    receive(id, 0, MSG_NOERROR, 2);
    receive(id, 0, IPC_NOWAIT, 64);
    receive(id, 5, IPC_NOWAIT, 64);
    result("msgsnd type 0", send_text(id, 0, "x", 0));
    result("msgsnd too big", msgsnd(id, &(struct message){1, {0}}, 9000, 0));

    /* A small queue fills: EAGAIN with IPC_NOWAIT. */
    ds.msg_qbytes = 10;
    result("IPC_SET", msgctl(id, IPC_SET, &ds));
    result("msgsnd", send_text(id, 1, "123456", 0));
    result("msgsnd full", send_text(id, 1, "123456", IPC_NOWAIT));
    receive(id, 0, 0, 64);
    ds.msg_qbytes = 16384;
    result("IPC_SET", msgctl(id, IPC_SET, &ds));

    /* A receiver waiting for a child's message. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        send_text(id, 7, "from the child", 0);
        _exit(0);
    }
    receive(id, 7, 0, 64);
    wait_child(child);

    /* A child waiting on a queue the parent removes: EIDRM. */
    fflush(stdout);
    child = fork();
    if (child == 0) {
        struct message m;
        long got = msgrcv(private, &m, sizeof m.text, 0, 0);
        _exit(got < 0 && errno == EIDRM ? 3 : 4);
    }
    usleep(100000);
    result("IPC_RMID", msgctl(private, IPC_RMID, NULL));
    wait_child(child);
    result("IPC_RMID", msgctl(id, IPC_RMID, NULL));
    result("IPC_STAT removed", msgctl(id, IPC_STAT, &ds));
    result("msgsnd removed", send_text(id, 1, "x", 0));
}

union semun {
    int val;
    struct semid_ds* buf;
    unsigned short* array;
};

static void semaphores(void)
{
    int id = semget(IPC_PRIVATE, 3, 0600);
    printf("semget: %d\n", id >= 0);
    result("semget too many", semget(IPC_PRIVATE, 40000, 0600));
    result("semget none", semget(IPC_PRIVATE, 0, 0600));
    result("SETVAL", semctl(id, 0, SETVAL, (union semun){.val = 2}));
    result("GETVAL", semctl(id, 0, GETVAL));
    result("SETVAL too big", semctl(id, 0, SETVAL, (union semun){.val = 40000}));
    result("GETVAL past the set", semctl(id, 3, GETVAL));
    unsigned short all[3] = {4, 5, 6};
    result("SETALL", semctl(id, 0, SETALL, (union semun){.array = all}));
    memset(all, 0, sizeof all);
    result("GETALL", semctl(id, 0, GETALL, (union semun){.array = all}));
    printf("values %d %d %d\n", all[0], all[1], all[2]);
    struct sembuf down2[2] = {{0, -4, 0}, {1, -6, IPC_NOWAIT}};
    result("semop would wait, IPC_NOWAIT", semop(id, down2, 2));
    result("GETVAL unchanged", semctl(id, 0, GETVAL));
    struct sembuf ok[2] = {{0, -4, 0}, {1, -5, 0}};
    result("semop", semop(id, ok, 2));
    result("GETPID is me", semctl(id, 1, GETPID) == getpid());
    struct sembuf past[1] = {{3, 1, 0}};
    result("semop EFBIG", semop(id, past, 1));
    result("semop no operations", semop(id, past, 0));
    struct sembuf wait_zero[1] = {{2, 0, 0}};
    struct timespec timeout = {0, 100000000};
    result("semtimedop times out", semtimedop(id, wait_zero, 1, &timeout));

    /* Parent and child take turns: the child waits for semaphore 0, then posts semaphore 1. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct sembuf take[1] = {{0, -1, 0}};
        struct sembuf give[1] = {{1, 1, 0}};
        for (int i = 0; i < 3; ++i) {
            semop(id, take, 1);
            printf("child turn %d\n", i);
            fflush(stdout);
            semop(id, give, 1);
        }
        _exit(0);
    }
    struct sembuf give[1] = {{0, 1, 0}};
    struct sembuf take[1] = {{1, -1, 0}};
    usleep(50000);
    printf("waiting for an increase: %d\n", semctl(id, 0, GETNCNT));
    for (int i = 0; i < 3; ++i) {
        printf("parent turn %d\n", i);
        fflush(stdout);
        semop(id, give, 1);
        semop(id, take, 1);
    }
    wait_child(child);

    /* A child blocked in semop when the set is removed: EIDRM. */
    fflush(stdout);
    child = fork();
    if (child == 0) {
        struct sembuf never[1] = {{0, -1, 0}};
        _exit(semop(id, never, 1) < 0 && errno == EIDRM ? 3 : 4);
    }
    usleep(100000);
    result("IPC_RMID", semctl(id, 0, IPC_RMID));
    wait_child(child);
    result("GETVAL removed", semctl(id, 0, GETVAL));
}

static void shared_memory(void)
{
    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    printf("shmget: %d\n", id >= 0);
    result("shmget size 0", shmget(IPC_PRIVATE, 0, 0600));
    char* bytes = shmat(id, NULL, 0);
    printf("shmat: %d\n", bytes != (void*)-1);
    printf("zero: %d\n", bytes[0] == 0 && bytes[9999] == 0);
    strcpy(bytes, "written by the parent");
    struct shmid_ds ds;
    result("IPC_STAT", shmctl(id, IPC_STAT, &ds));
    printf("size %lu attached %lu creator is me %d\n", (unsigned long)ds.shm_segsz,
           (unsigned long)ds.shm_nattch, ds.shm_cpid == getpid());
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        /* Inherited by fork, and attached again at another address. */
        char* again = shmat(id, NULL, SHM_RDONLY);
        struct shmid_ds inside;
        shmctl(id, IPC_STAT, &inside);
        printf("child sees '%s' and '%s', attached %lu\n", bytes, again,
               (unsigned long)inside.shm_nattch);
        strcpy(bytes + 100, "written by the child");
        shmdt(again);
        _exit(0);
    }
    wait_child(child);
    printf("parent sees '%s'\n", bytes + 100);
    result("IPC_STAT", shmctl(id, IPC_STAT, &ds));
    printf("attached %lu\n", (unsigned long)ds.shm_nattch);
    result("shmdt not an attachment", shmdt(bytes + 4096));
    result("IPC_RMID while attached", shmctl(id, IPC_RMID, NULL));
    printf("still there: '%s'\n", bytes);
    result("shmdt", shmdt(bytes));
    errno = 0;
    char* bad = shmat(id + 1, NULL, 0);
    printf("shmat bad id: %d %s\n", bad == (void*)-1, strerror(errno));
    int stale = shmget(0x5e20, 0, 0);
    if (stale >= 0)
        shmctl(stale, IPC_RMID, NULL); /* left by an earlier run on the host */
    int keyed = shmget(0x5e20, 4096, IPC_CREAT | 0600);
    result("shmget larger than it", shmget(0x5e20, 8192, 0));
    result("IPC_RMID", shmctl(keyed, IPC_RMID, NULL));
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    queues();
    semaphores();
    shared_memory();
    return 0;
}

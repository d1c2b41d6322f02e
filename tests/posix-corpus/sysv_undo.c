#define _GNU_SOURCE
/* System V IPC's lifetimes against Linux (issue 23's corpus): SEM_UNDO adjustments added back
 * when a child exits (GETPID then the child's), kept within 0..SEMVMX, cleared by SETVAL and
 * SETALL, ERANGE past SEMAEM, not inherited by fork; a segment removed while attached keeps its
 * id (key private, SHM_DEST in its mode, shmat still works) until its last detach, by shmdt or
 * by a child's exit; IPC_SET's owner and mode (SHM_DEST and SHM_LOCKED kept, EINVAL for uid -1)
 * in IPC_STAT. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static int operate(int id, unsigned short number, short change, short flags)
{
    struct sembuf operation = {number, change, flags};
    return semop(id, &operation, 1);
}

/* Runs `body` in a child and waits for it. */
static void in_child(void (*body)(int), int id)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        body(id);
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("last changed by the child: %d\n", semctl(id, 0, GETPID) == child);
}

static void take_one(int id)
{
    result("child takes one with SEM_UNDO", operate(id, 0, -1, SEM_UNDO));
    result("child adds two with SEM_UNDO to the second", operate(id, 1, 2, SEM_UNDO));
    printf("child sees %d %d\n", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL));
}

static void undo_below_zero(int id)
{
    result("child adds five with SEM_UNDO", operate(id, 0, 5, SEM_UNDO));
    result("child takes four without", operate(id, 0, -4, 0));
}

static void undo_then_setval(int id)
{
    result("child adds three with SEM_UNDO", operate(id, 0, 3, SEM_UNDO));
    result("child SETVAL 10", semctl(id, 0, SETVAL, 10));
    result("child adds one with SEM_UNDO to the second", operate(id, 1, 1, SEM_UNDO));
    unsigned short values[2] = {20, 21};
    result("child SETALL", semctl(id, 0, SETALL, values));
}

static void out_of_range(int id)
{
    result("child adds 32767 with SEM_UNDO", operate(id, 0, 32767, SEM_UNDO));
    result("child takes 32767 without", operate(id, 0, -32767, 0));
    result("child adds 1 with SEM_UNDO (adjustment -32768)", operate(id, 0, 1, SEM_UNDO));
    result("child takes 1 without", operate(id, 0, -1, 0));
    result("child adds 1 with SEM_UNDO past SEMAEM", operate(id, 0, 1, SEM_UNDO));
}

static void forked_child_inherits_nothing(int id)
{
    (void)id;
}

static void semaphores(void)
{
    int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
    semctl(id, 0, SETVAL, 1);
    in_child(take_one, id);
    printf("after the child: %d %d\n", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL));
    semctl(id, 0, SETVAL, 0);
    in_child(undo_below_zero, id);
    printf("kept at 0: %d\n", semctl(id, 0, GETVAL));
    semctl(id, 0, SETVAL, 0);
    semctl(id, 1, SETVAL, 0);
    in_child(undo_then_setval, id);
    printf("SETVAL and SETALL cleared the adjustments: %d %d\n", semctl(id, 0, GETVAL),
           semctl(id, 1, GETVAL));
    semctl(id, 0, SETVAL, 0);
    in_child(out_of_range, id);
    printf("after the child: %d\n", semctl(id, 0, GETVAL));
    /* The parent's own adjustment is not its fork's. */
    semctl(id, 0, SETVAL, 5);
    result("parent takes two with SEM_UNDO", operate(id, 0, -2, SEM_UNDO));
    in_child(forked_child_inherits_nothing, id);
    printf("the fork's exit undid nothing: %d\n", semctl(id, 0, GETVAL));
    struct semid_ds ds;
    struct semid_ds wanted = {0};
    wanted.sem_perm.uid = 1234;
    wanted.sem_perm.gid = 5678;
    wanted.sem_perm.mode = 0640;
    result("IPC_SET", semctl(id, 0, IPC_SET, &wanted));
    semctl(id, 0, IPC_STAT, &ds);
    printf("uid %u gid %u cuid %u cgid %u mode %o nsems %lu\n", ds.sem_perm.uid, ds.sem_perm.gid,
           ds.sem_perm.cuid, ds.sem_perm.cgid, ds.sem_perm.mode, (unsigned long)ds.sem_nsems);
    wanted.sem_perm.uid = -1;
    result("IPC_SET uid -1", semctl(id, 0, IPC_SET, &wanted));
    result("IPC_RMID", semctl(id, 0, IPC_RMID));
}

static void status(const char* what, int id)
{
    struct shmid_ds ds;
    int r = shmctl(id, IPC_STAT, &ds);
    if (r < 0) {
        printf("%s: %s\n", what, strerror(errno));
        return;
    }
    printf("%s: key %d mode %o attached %lu uid %u\n", what, ds.shm_perm.__key, ds.shm_perm.mode,
           (unsigned long)ds.shm_nattch, ds.shm_perm.uid);
}

static void shared_memory(void)
{
    const key_t key = 0x5e21;
    int stale = shmget(key, 0, 0);
    if (stale >= 0)
        shmctl(stale, IPC_RMID, NULL); /* left by an earlier run on the host */
    int id = shmget(key, 8192, IPC_CREAT | 0600);
    char* first = shmat(id, NULL, 0);
    strcpy(first, "kept");
    result("SHM_LOCK", shmctl(id, SHM_LOCK, NULL));
    status("locked", id);
    result("SHM_UNLOCK", shmctl(id, SHM_UNLOCK, NULL));
    result("IPC_RMID while attached", shmctl(id, IPC_RMID, NULL));
    status("removed, attached", id);
    result("shmget of its key", shmget(key, 0, 0));
    char* second = shmat(id, NULL, 0);
    printf("shmat by id after IPC_RMID: %d, reads '%s'\n", second != (void*)-1, second);
    status("attached twice", id);
    struct shmid_ds wanted = {0};
    wanted.shm_perm.uid = 42;
    wanted.shm_perm.mode = 0604;
    result("IPC_SET", shmctl(id, IPC_SET, &wanted));
    status("after IPC_SET", id);
    result("shmdt", shmdt(second));
    status("one left", id);
    result("shmdt the last", shmdt(first));
    status("after the last detach", id);

    /* The last attachment is a child's: its exit ends the segment. */
    id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    char* mine = shmat(id, NULL, 0);
    int pipe_ends[2];
    pipe(pipe_ends);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char go;
        read(pipe_ends[0], &go, 1);
        strcpy(mine, "the child's");
        _exit(0);
    }
    result("parent detaches", shmdt(mine));
    result("IPC_RMID", shmctl(id, IPC_RMID, NULL));
    status("the child's only", id);
    write(pipe_ends[1], "x", 1);
    waitpid(child, NULL, 0);
    status("after the child's exit", id);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    semaphores();
    shared_memory();
    return 0;
}

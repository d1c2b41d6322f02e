/* Robust futex lists against Linux (issue 23's corpus, musl-gcc -static): set_robust_list's
 * length check, get_robust_list (the caller's, ESRCH, EFAULT), the kernel's walk when a thread
 * ends without its C library's help (raw exit: owned words get FUTEX_OWNER_DIED with
 * FUTEX_WAITERS kept, others' words and a pending word at 0 left alone, a circular list and a
 * list through a bad pointer end safely), and musl's process-shared robust mutexes whose owner
 * process exits holding them (EOWNERDEAD to the next locker, blocked or not). Prints what it
 * sees; the test compares it with the host's run. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct link {
    struct link* next;
};
struct head {
    struct link list;
    long offset;
    struct link* pending;
};
/* A lock word and its link, musl's layout (the word before the link). */
struct lock {
    uint32_t word;
    uint32_t pad;
    struct link link;
};

#define WAITERS 0x80000000u
#define OWNER_DIED 0x40000000u

static struct head head;
static struct lock owned_waiters, owned, others, pending_unlocked;

static void result(const char* what, long value)
{
    printf("%s: %ld%s%s\n", what, value, value < 0 ? " " : "", value < 0 ? strerror(errno) : "");
}

static long raw(long number, long a, long b, long c)
{
    long value;
    __asm__ volatile("syscall" : "=a"(value) : "0"(number), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return value;
}

static long set_short, set_right, got_right;
static struct head* got_head;
static size_t got_length;

static void exits_with_a_list(void)
{
    const uint32_t me = (uint32_t)raw(SYS_gettid, 0, 0, 0);
    owned_waiters.word = me | WAITERS;
    owned.word = me;
    others.word = (me + 1) & 0x3fffffff;
    pending_unlocked.word = 0;
    head.offset = -(long)offsetof(struct lock, link);
    head.list.next = &owned_waiters.link;
    owned_waiters.link.next = &owned.link;
    owned.link.next = &others.link;
    others.link.next = &head.list;
    head.pending = &pending_unlocked.link;
    set_short = raw(SYS_set_robust_list, (long)&head, 23, 0);
    set_right = raw(SYS_set_robust_list, (long)&head, sizeof head, 0);
    got_right = raw(SYS_get_robust_list, 0, (long)&got_head, (long)&got_length);
}

/* A list of one word the calling thread owns, whose link is `next` (and `pending`). */
static void one_owned(struct head* list, struct lock* lock, struct link* next,
                      struct link* pending)
{
    lock->word = (uint32_t)raw(SYS_gettid, 0, 0, 0);
    list->offset = -(long)offsetof(struct lock, link);
    list->list.next = &lock->link;
    lock->link.next = next;
    list->pending = pending;
    raw(SYS_set_robust_list, (long)list, sizeof *list, 0);
}

static struct head circular_head, bad_head;
static struct lock circular, before_bad;

static void exits_with_a_circle(void)
{
    one_owned(&circular_head, &circular, &circular.link, 0); /* never back at the head */
}

static void exits_with_a_bad_link(void)
{
    one_owned(&bad_head, &before_bad, (struct link*)0x10, (struct link*)0x20); /* unmapped */
}

/* The threads are made with a raw clone and end with a raw exit: musl's pthread_exit walks a
 * robust list itself, and a pthread that ends by SYS_exit is never joined. They share the main
 * thread's TLS, so they make their calls without errno (raw) and print nothing. */
static char stack[65536] __attribute__((aligned(16)));
static volatile int child_tid;

static void run(void (*body)(void))
{
    const long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
                       CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
    register long r10 __asm__("r10") = (long)&child_tid;
    register long r8 __asm__("r8") = 0;
    register void (*r12)(void) __asm__("r12") = body;
    long made;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "call *%%r12\n\t"
                     "mov $60, %%eax\n\t" /* SYS_exit, not exit_group */
                     "xor %%edi, %%edi\n\t"
                     "syscall\n\t"
                     "1:"
                     : "=a"(made)
                     : "0"((long)SYS_clone), "D"(flags), "S"(stack + sizeof stack),
                       "d"(&child_tid), "r"(r10), "r"(r8), "r"(r12)
                     : "rcx", "r11", "memory");
    if (made < 0) {
        printf("clone: %ld\n", made);
        return;
    }
    for (int tid; (tid = child_tid) != 0;)
        syscall(SYS_futex, &child_tid, 0 /* FUTEX_WAIT */, tid, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct head* got = (struct head*)1;
    size_t length = 0;
    result("get_robust_list before any", syscall(SYS_get_robust_list, 0, &got, &length));
    printf("head null %d, length %zu\n", got == 0, length);
    result("get_robust_list of nobody", syscall(SYS_get_robust_list, 999999, &got, &length));
    result("get_robust_list to a bad pointer", syscall(SYS_get_robust_list, 0, (void*)8, &length));

    run(exits_with_a_list);
    printf("set_robust_list 23: %ld, set_robust_list: %ld, get_robust_list: %ld\n", set_short,
           set_right, got_right);
    printf("head is ours %d, length %zu\n", got_head == &head, got_length);
    printf("owned with waiters %08x, owned %08x, another's is its own %d, pending at 0 %08x\n",
           owned_waiters.word, owned.word,
           others.word != owned.word && !(others.word & OWNER_DIED), pending_unlocked.word);
    run(exits_with_a_circle);
    printf("circular: %08x\n", circular.word);
    run(exits_with_a_bad_link);
    printf("before the bad link: %08x\n", before_bad.word);

    /* A process-shared robust mutex whose owner process ends holding it. */
    pthread_mutex_t* mutex = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                                  -1, 0);
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(mutex, &attributes);
    pid_t child = fork();
    if (child == 0) {
        pthread_mutex_lock(mutex);
        _exit(0); /* holding it */
    }
    waitpid(child, 0, 0);
    int status = pthread_mutex_lock(mutex);
    printf("lock after the owner exited: %s\n", status == EOWNERDEAD ? "EOWNERDEAD" : strerror(status));
    printf("consistent: %d\n", pthread_mutex_consistent(mutex));
    printf("unlock: %d\n", pthread_mutex_unlock(mutex));
    printf("lock again: %d\n", pthread_mutex_lock(mutex));
    printf("unlock: %d\n", pthread_mutex_unlock(mutex));

    /* The same with the parent already waiting for it. */
    int ready[2];
    pipe(ready);
    child = fork();
    if (child == 0) {
        pthread_mutex_lock(mutex);
        write(ready[1], "x", 1);
        usleep(200000);
        _exit(0);
    }
    char byte;
    read(ready[0], &byte, 1);
    status = pthread_mutex_lock(mutex);
    printf("waiter woken by the owner's exit: %s\n",
           status == EOWNERDEAD ? "EOWNERDEAD" : strerror(status));
    pthread_mutex_consistent(mutex);
    pthread_mutex_unlock(mutex);
    waitpid(child, 0, 0);
    return 0;
}

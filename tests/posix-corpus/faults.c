#define _GNU_SOURCE
/* Fault signals against Linux (issue 23's corpus): a program's own faults reach its handlers
 * with Linux's siginfo (SIGSEGV with SEGV_MAPERR, SEGV_ACCERR or SI_KERNEL for a #GP, SIGBUS past
 * a mapped file's end, SIGFPE for a division by zero, SIGILL for ud2, SIGTRAP for int3), the
 * handler leaves by siglongjmp or returns to retry (after mprotect) or to skip the instruction
 * (rip changed in the ucontext), SA_ONSTACK runs it on the sigaltstack, SA_NODEFER lets it
 * fault again inside, and a fault with no handler, with the signal blocked, inside its own
 * handler, or after SA_RESETHAND ends the process with 128 + N. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf back;
static volatile int got_signal, got_code, on_alternate, depth, max_depth;
static volatile int inside_flags, inside_change;
static volatile uintptr_t got_address;
static volatile char* alternate;
static volatile size_t alternate_size;

static void remember(int signal, siginfo_t* info)
{
    got_signal = signal;
    got_code = info->si_code;
    got_address = (uintptr_t)info->si_addr;
}

static void jump_out(int signal, siginfo_t* info, void* context)
{
    (void)context;
    remember(signal, info);
    char here;
    on_alternate = alternate != NULL && &here >= alternate && &here < alternate + alternate_size;
    if (on_alternate) {
        /* On the stack: it reports SS_ONSTACK and cannot be changed (EPERM). */
        stack_t now, off = {.ss_flags = SS_DISABLE};
        sigaltstack(NULL, &now);
        inside_flags = now.ss_flags;
        inside_change = sigaltstack(&off, NULL) == -1 ? errno : 0;
    }
    siglongjmp(back, 1);
}

static void on(int signal, void (*handler)(int, siginfo_t*, void*), int flags)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handler;
    action.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&action.sa_mask);
    if (sigaction(signal, &action, NULL) != 0)
        printf("sigaction %d: %s\n", signal, strerror(errno));
}

static void report(const char* what, int jumped)
{
    printf("%s: jumped %d signal %d code %d\n", what, jumped, got_signal, got_code);
    got_signal = got_code = 0;
}

static volatile int zero = 0;
static volatile int* const unmapped = (volatile int*)0x1000;

static void segv_mapped(void)
{
    on(SIGSEGV, jump_out, 0);
    int jumped = sigsetjmp(back, 1);
    if (!jumped)
        *unmapped = 1;
    printf("address is the fault's: %d\n", got_address == (uintptr_t)unmapped);
    report("segv maperr", jumped);
    /* A general protection fault (a non-canonical address): SI_KERNEL, no address. */
    jumped = sigsetjmp(back, 1);
    if (!jumped)
        *(volatile int*)0x8000000000000000ull = 1;
    printf("gp address %#lx\n", (unsigned long)got_address);
    report("segv general protection", jumped);
}

static volatile char* page;

static void make_writable(int signal, siginfo_t* info, void* context)
{
    (void)context;
    remember(signal, info);
    mprotect((void*)page, 4096, PROT_READ | PROT_WRITE);
}

static void segv_retry(void)
{
    page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    on(SIGSEGV, make_writable, 0);
    page[10] = 42; /* faults, the handler opens the page, the store is made again */
    printf("address is the fault's: %d\n", got_address == (uintptr_t)(page + 10));
    report("segv accerr, retried", 0);
    printf("stored %d\n", page[10]);
    munmap((void*)page, 4096);
}

static void bus_past_file(void)
{
    const char* path = "/tmp/corpus_faults";
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (write(fd, "0123456789", 10) != 10)
        printf("write: %s\n", strerror(errno));
    volatile char* mapped = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    on(SIGBUS, jump_out, 0);
    int jumped = sigsetjmp(back, 1);
    char first = mapped[1], second = 0;
    if (!jumped)
        second = mapped[4096];
    printf("first %c second %d address is the fault's: %d\n", first, second,
           got_address == (uintptr_t)(mapped + 4096));
    report("bus past the end", jumped);
    munmap((void*)mapped, 8192);
    unlink(path);
}

static void divide_and_trap(void)
{
    on(SIGFPE, jump_out, 0);
    int jumped = sigsetjmp(back, 1);
    volatile int q = 0;
    if (!jumped)
        q = 7 / zero;
    printf("quotient %d address given %d\n", q, got_address != 0);
    report("fpe", jumped);
    on(SIGILL, jump_out, 0);
    jumped = sigsetjmp(back, 1);
    if (!jumped)
        __asm__ volatile("ud2");
    printf("address given %d\n", got_address != 0);
    report("ill", jumped);
    on(SIGTRAP, jump_out, 0);
    jumped = sigsetjmp(back, 1);
    if (!jumped)
        __asm__ volatile("int3");
    report("trap", jumped);
}

/* Returning from the handler with rip moved past ud2's two bytes: execution goes on. */
static void skip_instruction(int signal, siginfo_t* info, void* context)
{
    ucontext_t* uc = context;
    remember(signal, info);
    uc->uc_mcontext.gregs[REG_RIP] += 2;
}

static void skip(void)
{
    on(SIGILL, skip_instruction, 0);
    volatile int after = 0;
    __asm__ volatile("ud2");
    after = 1;
    printf("after ud2: %d\n", after);
    report("ill skipped", 0);
}

static void alternate_stack(void)
{
    stack_t stack, old;
    memset(&stack, 0, sizeof stack);
    alternate_size = 64 * 1024;
    alternate = malloc(alternate_size);
    stack.ss_sp = (void*)alternate;
    stack.ss_size = alternate_size;
    printf("sigaltstack: %d\n", sigaltstack(&stack, &old));
    printf("old flags %d\n", old.ss_flags);
    sigaltstack(NULL, &old);
    printf("now flags %d size ok %d\n", old.ss_flags, old.ss_size == alternate_size);
    stack.ss_size = 1024;
    int refused = sigaltstack(&stack, NULL);
    printf("too small: %d %s\n", refused, strerror(errno));
    stack.ss_size = alternate_size;
    stack.ss_flags = 12345;
    refused = sigaltstack(&stack, NULL);
    printf("bad flags: %d %s\n", refused, strerror(errno));
    on(SIGSEGV, jump_out, SA_ONSTACK);
    int jumped = sigsetjmp(back, 1);
    if (!jumped)
        *unmapped = 2;
    printf("on the alternate stack: %d flags there %d change there %s\n", on_alternate,
           inside_flags, strerror(inside_change));
    report("segv onstack", jumped);
    on(SIGSEGV, jump_out, 0);
    jumped = sigsetjmp(back, 1);
    if (!jumped)
        *unmapped = 3;
    printf("without SA_ONSTACK on it: %d\n", on_alternate);
    report("segv not onstack", jumped);
    stack.ss_flags = SS_DISABLE;
    printf("disabled: %d\n", sigaltstack(&stack, NULL));
    sigaltstack(NULL, &old);
    printf("now flags %d\n", old.ss_flags);
}

static void fault_again(int signal, siginfo_t* info, void* context)
{
    (void)context;
    remember(signal, info);
    ++depth;
    if (depth > max_depth)
        max_depth = depth;
    if (depth < 2)
        *unmapped = 4;
    siglongjmp(back, 1);
}

static void nodefer(void)
{
    on(SIGSEGV, fault_again, SA_NODEFER);
    depth = 0;
    int jumped = sigsetjmp(back, 1);
    if (!jumped)
        *unmapped = 5;
    printf("nested depth %d\n", max_depth);
    report("segv nodefer", jumped);
}

/* Each case runs in a child that the fault is expected to end. */
static void in_child(const char* what, void (*body)(void))
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct rlimit none = {0, 0};
        setrlimit(RLIMIT_CORE, &none);
        body();
        printf("%s: survived\n", what);
        exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

static void no_handler_divide(void)
{
    signal(SIGFPE, SIG_DFL);
    printf("%d\n", 7 / zero);
}

static void no_handler_ill(void)
{
    signal(SIGILL, SIG_DFL);
    __asm__ volatile("ud2");
}

static void no_handler_segv(void)
{
    signal(SIGSEGV, SIG_DFL);
    *unmapped = 6;
}

static void ignored_segv(void)
{
    signal(SIGSEGV, SIG_IGN);
    *unmapped = 7;
}

static void blocked_segv(void)
{
    on(SIGSEGV, jump_out, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSEGV);
    sigprocmask(SIG_BLOCK, &set, NULL);
    if (!sigsetjmp(back, 1))
        *unmapped = 8;
}

static void fault_inside(int signal, siginfo_t* info, void* context)
{
    (void)signal;
    (void)info;
    (void)context;
    *unmapped = 9; /* SIGSEGV is blocked in its own handler */
}

static void handler_faults(void)
{
    on(SIGSEGV, fault_inside, 0);
    *unmapped = 10;
}

static void reset_hand(void)
{
    on(SIGSEGV, jump_out, SA_RESETHAND);
    if (!sigsetjmp(back, 1))
        *unmapped = 11;
    printf("first fault handled: %d\n", got_signal);
    fflush(stdout);
    *unmapped = 12;
}

/* A plain longjmp leaves SIGSEGV blocked, as Linux does: the next fault ends the process. */
static jmp_buf plain_back;
static void plain_jump(int signal)
{
    (void)signal;
    longjmp(plain_back, 1);
}

static void longjmp_keeps_blocked(void)
{
    signal(SIGSEGV, plain_jump);
    if (!setjmp(plain_back))
        *unmapped = 13;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("blocked after longjmp: %d\n", sigismember(&now, SIGSEGV));
    fflush(stdout);
    *unmapped = 14;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    segv_mapped();
    segv_retry();
    bus_past_file();
    divide_and_trap();
    skip();
    alternate_stack();
    nodefer();
    in_child("divide without a handler", no_handler_divide);
    in_child("ud2 without a handler", no_handler_ill);
    in_child("segv without a handler", no_handler_segv);
    in_child("segv ignored", ignored_segv);
    in_child("segv blocked", blocked_segv);
    in_child("fault in its handler", handler_faults);
    in_child("SA_RESETHAND", reset_hand);
    in_child("longjmp", longjmp_keeps_blocked);
    return 0;
}

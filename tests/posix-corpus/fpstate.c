#define _GNU_SOURCE
/* The FPU and SSE state across a signal handler, against Linux (issue 23's corpus, musl-gcc
 * -static): the frame's uc_mcontext.fpregs holds the interrupted xmm registers and MXCSR, a
 * handler that changes xmm registers and the rounding mode leaves the interrupted code's intact,
 * and a change the handler makes to the saved image is what the code gets back (sigreturn loads
 * it), for a signal sent by the program itself and for a fault (SIGFPE of a division by zero). */
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static void set_xmm(uint32_t value)
{
    /* The handler's own use of the vector registers: xmm8 and xmm9 replaced. */
    __asm__ volatile("movd %0, %%xmm8\n\tpshufd $0, %%xmm8, %%xmm8\n\tmovdqa %%xmm8, %%xmm9"
                     :
                     : "r"(value)
                     : "xmm8", "xmm9");
}

static void on_usr1(int signal, siginfo_t* info, void* context)
{
    (void)signal, (void)info;
    ucontext_t* uc = context;
    struct _fpstate* fp = (struct _fpstate*)uc->uc_mcontext.fpregs;
    printf("handler: fpregs %s\n", fp ? "present" : "null");
    if (fp) {
        printf("handler: saved xmm8 %08x %08x, xmm9 %08x, rounding bits %x\n",
               fp->_xmm[8].element[0], fp->_xmm[8].element[3], fp->_xmm[9].element[0],
               (fp->mxcsr >> 13) & 3);
        fp->_xmm[9].element[0] = 0x600d600d; /* taken back by sigreturn */
    }
    set_xmm(0xbadbad00);
    fesetround(FE_UPWARD);
}

static volatile int faulted;
static sigjmp_buf back;

static void on_fpe(int signal, siginfo_t* info, void* context)
{
    (void)signal, (void)context;
    ucontext_t* uc = context;
    struct _fpstate* fp = (struct _fpstate*)uc->uc_mcontext.fpregs;
    printf("fault handler: code %d, fpregs %s, rounding bits %x\n", info->si_code,
           fp ? "present" : "null", fp ? (fp->mxcsr >> 13) & 3 : 9);
    faulted = 1;
    fesetround(FE_DOWNWARD);
    siglongjmp(back, 1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_usr1;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &action, NULL);
    fesetround(FE_TOWARDZERO);
    uint32_t xmm8[4], xmm9[4];
    long pid = getpid();
    long result;
    /* xmm8 and xmm9 set, kill(getpid(), SIGUSR1) by hand (the handler runs on its way back),
     * then both read: nothing in between the compiler could have touched. */
    __asm__ volatile("movl $0x12345678, %%r8d\n\tmovd %%r8d, %%xmm8\n\tpshufd $0, %%xmm8, %%xmm8\n\t"
                     "movl $0x9abcdef0, %%r8d\n\tmovd %%r8d, %%xmm9\n\tpshufd $0, %%xmm9, %%xmm9\n\t"
                     "syscall\n\t"
                     "movdqu %%xmm8, (%3)\n\tmovdqu %%xmm9, (%4)"
                     : "=a"(result)
                     : "0"((long)SYS_kill), "D"(pid), "r"(xmm8), "r"(xmm9), "S"((long)SIGUSR1)
                     : "rcx", "r11", "r8", "xmm8", "xmm9", "memory");
    printf("kill: %ld\n", result);
    printf("after the handler: xmm8 %08x %08x, xmm9 %08x %08x\n", xmm8[0], xmm8[3], xmm9[0],
           xmm9[3]);
    printf("rounding toward zero still: %d\n", fegetround() == FE_TOWARDZERO);

    /* A fault's handler: the same frame, and its change of the rounding mode is its own. */
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fpe;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &action, NULL);
    fesetround(FE_UPWARD);
    if (sigsetjmp(back, 1) == 0) {
        volatile int zero = 0;
        volatile int n = 7 / zero;
        (void)n;
    }
    printf("faulted %d, rounding after the longjmp: %s\n", faulted,
           fegetround() == FE_DOWNWARD ? "downward (the handler's, as longjmp keeps it)"
                                       : "other");
    return 0;
}

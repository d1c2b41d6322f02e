// FPU/SSE state is per thread: two threads at one priority load different values into xmm
// registers, yield to each other many times, and each must find its own values every time.
#include "suite.h"

namespace ipc_suite {
namespace {

struct SseWorker {
    seL4_Word seed;
    volatile bool ok;
};

// One round inside a single asm block, so the compiler cannot move xmm values around the yield:
// load both halves of xmm0 and xmm15, yield, read them back.
bool sse_round(seL4_Word value)
{
    seL4_Word low0, high0, low15, high15;
    asm volatile(
        "movq %[v], %%xmm0\n\t"
        "pshufd $0x44, %%xmm0, %%xmm0\n\t"
        "movdqa %%xmm0, %%xmm15\n\t"
        "paddq %%xmm0, %%xmm15\n\t"
        "movq %[yield], %%rdx\n\t"
        "movq %%rsp, %%rbx\n\t" // seL4 does not keep rsp across syscall
        "syscall\n\t"
        "movq %%rbx, %%rsp\n\t"
        "movq %%xmm0, %[low0]\n\t"
        "movq %%xmm15, %[low15]\n\t"
        "pshufd $0x4e, %%xmm0, %%xmm1\n\t"
        "movq %%xmm1, %[high0]\n\t"
        "pshufd $0x4e, %%xmm15, %%xmm1\n\t"
        "movq %%xmm1, %[high15]\n\t"
        : [low0] "=r"(low0), [high0] "=r"(high0), [low15] "=r"(low15), [high15] "=r"(high15)
        : [v] "r"(value), [yield] "i"(seL4_SysYield)
        : "rbx", "rdx", "rcx", "r11", "xmm0", "xmm1", "xmm15", "memory");
    return low0 == value && high0 == value && low15 == value * 2 && high15 == value * 2;
}

void* sse_worker(void* argument)
{
    SseWorker& w = *static_cast<SseWorker*>(argument);
    bool ok = true;
    for (seL4_Word round = 0; round < 50; round++)
        ok = sse_round(w.seed + round * 0x10001) && ok;
    w.ok = ok;
    return nullptr;
}

} // namespace

void fpu_tests()
{
    SseWorker a{0x1111000011110000ull, false}, b{0x2222000022220000ull, false};
    Thread* first = spawn(sse_worker, &a, 100);
    Thread* second = spawn(sse_worker, &b, 100);
    finish({first, second});
    check("fpu.sse_registers_kept_across_switches", a.ok && b.ok);

    // The root task's own registers survive other threads using theirs.
    SseWorker c{0x3333000033330000ull, false};
    Thread* third = spawn(sse_worker, &c, RootPriority);
    const bool root_ok = sse_round(0x4444000044440000ull) && sse_round(0x5555000055550000ull);
    finish({third});
    check("fpu.sse_registers_kept_for_root_task", root_ok && c.ok);
}

} // namespace ipc_suite

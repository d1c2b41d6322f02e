// The VMM's benchmarks (issue 24), a root task booted by `make bench` under -icount shift=0, where
// the TSC counts instructions. vmm.cpuid_exit_round_trip: from the VMM's seL4_VMEnter at the tiny
// guest's CPUID (tests/guest/tiny_guest.S) to the exit message read back: the message set-up, the
// kernel's entry path and guest state switch, VMRUN, the CPUID intercept, the switch back and the
// 29-word exit message.
#include <sel4/sel4.h>
#include <sel4/tessera_svm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tessera/alloc.h>
#include <tessera/runtime.h>
#include <tessera/vspace.h>

#include "bench/stats/bench_line.h"
#include "bench/stats/summary.h"
#include "guest_memory.h"
#include "test_vcpu.h"

extern "C" const uint8_t tiny_guest_start[], tiny_guest_end[];

namespace {

using tessera::bench::BenchLine;
using tessera::bench::Ticks;

constexpr unsigned Warmup = 100, Iterations = 2000;
constexpr seL4_Word GuestPages = 8;

Ticks samples[Iterations];

uint64_t read_tsc()
{
    uint32_t low, high;
    asm volatile("lfence; rdtsc; lfence" : "=a"(low), "=d"(high));
    return (uint64_t{high} << 32) | low;
}

int stop(const char* why)
{
    printf("vmm_bench: %s\n", why);
    printf("%s\n", BenchLine::end(0).text());
    return 1;
}

} // namespace

int main(void)
{
    if (tessera_alloc_init(tessera_boot_info()) != seL4_NoError ||
        tessera_vspace_init(0x20000000000ull, 0x20040000000ull) != seL4_NoError)
        return stop("allocator or VSpace set-up failed");
    const seL4_CPtr vcpu = vmm_suite::new_object(TESSERA_X86_SVMVCPUObject);
    if (vcpu == seL4_CapNull || tessera_X86_SVMVCPU_SetTCB(vcpu, seL4_CapInitThreadTCB) != seL4_NoError)
        return stop("no SVM VCPU on this kernel");
    vmm_suite::GuestMemory memory;
    if (!vmm_suite::make_guest_memory(GuestPages, memory))
        return stop("no guest memory");
    memcpy(const_cast<uint8_t*>(memory.at<uint8_t>(vmm_suite::GuestBase)), tiny_guest_start,
           size_t(tiny_guest_end - tiny_guest_start));
    if (tessera_X86_SVMVCPU_SetNPT(vcpu, memory.npt) != seL4_NoError)
        return stop("SetNPT refused the guest memory");
    vmm_suite::set_protected_mode(vcpu);

    // The tiny guest's first instruction of note is a CPUID; each entry at it exits again.
    const vmm_suite::Exit first = vmm_suite::enter(vmm_suite::GuestBase);
    if (first.result != TESSERA_VMEnter_Exit || first.code() != TESSERA_SVMExit_CPUID)
        return stop("the tiny guest's first exit is not its CPUID");
    const seL4_Word cpuid_rip = first.rip();
    for (unsigned i = 0; i < Warmup + Iterations; i++) {
        const uint64_t start = read_tsc();
        const vmm_suite::Exit e = vmm_suite::enter(cpuid_rip, &first);
        const uint64_t end = read_tsc();
        if (e.result != TESSERA_VMEnter_Exit || e.code() != TESSERA_SVMExit_CPUID)
            return stop("an entry at the CPUID did not exit with CPUID");
        if (i >= Warmup)
            samples[i - Warmup] = Ticks{end - start};
    }
    const BenchLine line =
        BenchLine::result("vmm.cpuid_exit_round_trip", tessera::bench::summarize(samples, Iterations));
    printf("%s\n", line.text());
    printf("%s\n", BenchLine::end(1).text());
    return 0;
}

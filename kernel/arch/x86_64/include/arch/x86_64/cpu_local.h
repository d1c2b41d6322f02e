// Per-CPU state, in one block per CPU so that SMP needs no rewrite (DESIGN.md decision 10). The
// kernel reaches its own block through GS; assembly uses the CPU_* offsets in asm_constants.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "arch/x86_64/asm_constants.h"
#include "arch/x86_64/context.h"
#include "arch/x86_64/descriptors.h"
#include "arch/x86_64/thread.h"
#include "tcb/tcb.h"

namespace tessera::x86_64 {

inline constexpr size_t KernelStackSize = 16384;

struct alignas(64) CpuLocal {
    CpuLocal* self;
    uint64_t kernel_stack_top;
    ThreadContext* current_context;
    uint64_t syscall_user_rsp; // rsp at the last `syscall`: only a foreign thread's is used
    unsigned index;
    uint64_t interrupt_count;
    uint64_t spurious_count;
    uint64_t timer_ticks;
    // Whose frame, TLS bases and FPU trapping state are loaded; null when a TLS base was
    // written since (the way out then loads them all again).
    core::Tcb* loaded_thread;
    // Where the state in the FPU belongs: its owner's FpuState, or no_fpu_owner when nobody's.
    // Never null, so that a switch writes the state back without testing for an owner first.
    FpuState* fpu_owner;
    bool fpu_trapping;         // CR0.TS is set: the next FPU instruction raises #NM
    uint64_t loaded_root;      // the PML4 in CR3 (0 until the first thread runs)
    uint64_t loaded_fs_base;   // the FS base MSR
    uint64_t loaded_gs_base;   // the kernel GS base MSR (the user's GS while in the kernel)
    Tss tss;
    uint64_t gdt[GDT_ENTRIES];
    alignas(16) uint8_t kernel_stack[KernelStackSize];
    alignas(16) uint8_t fault_stack[4096]; // IST stack for double faults and NMIs
    FpuState no_fpu_owner; // what the FPU holds while nobody owns it: written, never read
};
static_assert(offsetof(CpuLocal, self) == CPU_SELF);
static_assert(offsetof(CpuLocal, kernel_stack_top) == CPU_KERNEL_STACK_TOP);
static_assert(offsetof(CpuLocal, current_context) == CPU_CURRENT_CONTEXT);
static_assert(offsetof(CpuLocal, syscall_user_rsp) == CPU_SYSCALL_USER_RSP);

// This CPU's block (valid once init_cpu_local ran). Inline: every kernel entry asks.
inline CpuLocal& this_cpu()
{
    CpuLocal* cpu;
    asm volatile("mov %%gs:%c1, %0" : "=r"(cpu) : "i"(CPU_SELF));
    return *cpu;
}

// Sets up GDT, TSS and GS for CPU `index` and loads them.
void init_cpu_local(unsigned index);

// Makes `context` the one that the next return to user mode restores, and the one that
// interrupts from user mode save into. Inline: every thread switch does it.
inline void set_current_context(CpuLocal& cpu, ThreadContext& context)
{
    cpu.current_context = &context;
    // TSS.RSP0 is the end of the frame's hardware part: nothing else reads that address (a copy
    // in the CPU block was one store more on every switch).
    cpu.tss.rsp[0] = reinterpret_cast<uint64_t>(&context.registers) + sizeof(SavedRegisters);
}

inline void set_current_context(ThreadContext& context) { set_current_context(this_cpu(), context); }

} // namespace tessera::x86_64

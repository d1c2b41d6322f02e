// The thread switch on x86_64: address space, TLS bases, FPU ownership and the frame the way out
// restores. Inline, for the way out of the kernel (thread.cc) and the IPC fastpath's flat path
// (syscall/fastpath_entry.cc), which both compile it into their own function.
#pragma once

#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/memory.h"
#include "arch/x86_64/thread.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/vspace.h"

namespace tessera::x86_64 {

inline void fxsave(FpuState& state) { asm volatile("fxsave64 %0" : "=m"(state)); }
inline void fxrstor(const FpuState& state) { asm volatile("fxrstor64 %0" ::"m"(state)); }

// CR0.TS makes the next FPU instruction trap (#NM), which is when a thread's state is loaded.
[[gnu::always_inline]] inline void set_fpu_trapping(CpuLocal& cpu, bool trapping)
{
    if (cpu.fpu_trapping == trapping)
        return;
    if (trapping)
        write_cr0(read_cr0() | cr0::TaskSwitched);
    else
        asm volatile("clts" ::: "memory");
    cpu.fpu_trapping = trapping;
}

// Makes `tcb`'s state the one in the FPU, writing the previous owner's back (or into the CPU's
// no_fpu_owner: there is always somewhere to write it).
[[gnu::always_inline]] inline void take_fpu(CpuLocal& cpu, core::Tcb& tcb)
{
    set_fpu_trapping(cpu, false);
    FpuState& state = arch_of(tcb).fpu;
    if (cpu.fpu_owner == &state)
        return;
    fxsave(*cpu.fpu_owner);
    fxrstor(state);
    cpu.fpu_owner = &state;
}

// Writes the state in the FPU back to its owner, if anybody owns it; nobody does afterwards.
[[gnu::always_inline]] inline void write_back_fpu(CpuLocal& cpu)
{
    if (cpu.fpu_owner == &cpu.no_fpu_owner)
        return;
    set_fpu_trapping(cpu, false);
    fxsave(*cpu.fpu_owner);
    cpu.fpu_owner = &cpu.no_fpu_owner;
}

// A thread that trapped for the FPU recently gets its state loaded on the switch itself, which
// costs less than the trap it would take at once (compilers use SSE registers even in
// libsel4's system call stubs). Each trap buys EagerFpuSwitches such switches; a thread that
// stopped using the FPU goes back to trapping when they run out. A thread whose FPU is disabled
// never has any (its #NM is a fault, and disabling it clears them: tcb_flags_changed), so the
// switch need not test the flag.
constexpr uint32_t EagerFpuSwitches = 64;

// Spends one of `arch`'s eager switches; false when none is left. A `sub` on the count in memory
// and a branch on its borrow: as C++ (load, test, branch, decrement, store) it was three
// instructions more on every switch of the IPC fastpath.
[[gnu::always_inline]] inline bool spend_eager_fpu_switch(ArchTcb& arch)
{
    asm goto("subl $1, %0\n\tjc %l[none]" : "+m"(arch.eager_fpu_switches) : : "cc" : none);
    return true;
none:
    arch.eager_fpu_switches = 0; // the borrow wrapped it
    return false;
}

[[gnu::always_inline]] inline void switch_fpu_for(CpuLocal& cpu, core::Tcb& next)
{
    ArchTcb& arch = arch_of(next);
    if (cpu.fpu_owner == &arch.fpu) {
        set_fpu_trapping(cpu, false);
    } else if (spend_eager_fpu_switch(arch)) {
        set_fpu_trapping(cpu, false);
        fxsave(*cpu.fpu_owner);
        fxrstor(arch.fpu);
        cpu.fpu_owner = &arch.fpu;
    } else {
        set_fpu_trapping(cpu, true);
    }
}

// Makes `root` the PML4 in CR3 unless it already is.
inline void load_root(CpuLocal& cpu, uint64_t root)
{
    if (cpu.loaded_root != root)
        load_user_root(cpu.loaded_root = root);
}

// Resolves `next`'s PML4 again and loads it. Out of line so that the common switch, which finds
// the cached PML4 still valid, calls nothing that needs registers saved (no prologue).
[[gnu::noinline]] void resolve_and_load_root(core::Tcb& next);

// Loads `next`'s address space, TLS bases and register frame; its FPU state waits for #NM.
inline void switch_to(core::Tcb& next)
{
    CpuLocal& cpu = this_cpu();
    ArchTcb& arch = arch_of(next);
    if (cpu.loaded_thread != &next) {
        const ThreadContext& context = arch.context;
        // wrmsr is slow on hardware: threads of one program often share their bases.
        if (cpu.loaded_fs_base != context.fs_base)
            write_msr(msr::FsBase, cpu.loaded_fs_base = context.fs_base);
        if (cpu.loaded_gs_base != context.gs_base) // swapgs puts it in GS on the way out
            write_msr(msr::KernelGsBase, cpu.loaded_gs_base = context.gs_base);
        switch_fpu_for(cpu, next);
        set_current_context(arch.context);
        cpu.loaded_thread = &next;
    }
    // A thread's PML4 is resolved again only when some VSpace slot was written or some PML4
    // capability or ASID pool was deleted since it was last resolved (vspace_epoch()).
    if (arch.resolved_epoch != vspace_epoch())
        resolve_and_load_root(next);
    else
        load_root(cpu, arch.resolved_root);
}

} // namespace tessera::x86_64

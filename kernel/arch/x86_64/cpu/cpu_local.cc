// GDT, TSS, GS base and the syscall MSRs of one CPU.
#include "arch/x86_64/cpu_local.h"

#include "arch/x86_64/io.h"

extern "C" void syscall_entry();

namespace tessera::x86_64 {
namespace {

CpuLocal boot_cpu;

// Flat 64-bit code and data descriptors (Intel SDM vol. 3A, 3.4.5; base and limit are ignored in
// long mode except for the attributes).
constexpr uint64_t KernelCode64 = 0x00af9a000000ffff;
constexpr uint64_t KernelData = 0x00cf92000000ffff;
constexpr uint64_t UserCode32 = 0x00cffa000000ffff;
constexpr uint64_t UserData = 0x00cff2000000ffff;
constexpr uint64_t UserCode64 = 0x00affa000000ffff;

void set_tss_descriptor(uint64_t* gdt, const Tss& tss)
{
    const uint64_t base = reinterpret_cast<uint64_t>(&tss);
    const uint64_t limit = sizeof(Tss) - 1;
    gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (uint64_t{0x89} << 40) |
                       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[GDT_TSS / 8 + 1] = base >> 32;
}

void load_gdt(CpuLocal& cpu)
{
    const DescriptorPointer pointer{uint16_t(sizeof(cpu.gdt) - 1), reinterpret_cast<uint64_t>(cpu.gdt)};
    asm volatile("lgdt %0\n"
                 "mov %1, %%ds\n"
                 "mov %1, %%es\n"
                 "mov %1, %%ss\n"
                 "pushq %2\n"
                 "leaq 1f(%%rip), %%rax\n"
                 "pushq %%rax\n"
                 "lretq\n"
                 "1:\n"
                 :
                 : "m"(pointer), "r"(uint64_t{GDT_KERNEL_DATA}), "i"(GDT_KERNEL_CODE)
                 : "rax", "memory");
    asm volatile("mov %0, %%fs\n"
                 "mov %0, %%gs\n" ::"r"(0));
    asm volatile("ltr %w0" ::"r"(GDT_TSS));
}

} // namespace

void init_cpu_local(unsigned index)
{
    CpuLocal& cpu = boot_cpu; // one CPU for now; SMP gives each its own block
    cpu.self = &cpu;
    cpu.index = index;
    cpu.fpu_owner = &cpu.no_fpu_owner;
    cpu.kernel_stack_top = reinterpret_cast<uint64_t>(cpu.kernel_stack + KernelStackSize);
    cpu.tss.rsp[0] = cpu.kernel_stack_top;
    cpu.tss.ist[FaultStackIst - 1] = reinterpret_cast<uint64_t>(cpu.fault_stack + sizeof(cpu.fault_stack));
    cpu.tss.io_map_base = sizeof(Tss); // no I/O bitmap: ring 3 port access always faults

    cpu.gdt[0] = 0;
    cpu.gdt[GDT_KERNEL_CODE / 8] = KernelCode64;
    cpu.gdt[GDT_KERNEL_DATA / 8] = KernelData;
    cpu.gdt[GDT_USER_BASE / 8] = UserCode32;
    cpu.gdt[GDT_USER_DATA / 8] = UserData;
    cpu.gdt[GDT_USER_CODE / 8] = UserCode64;
    set_tss_descriptor(cpu.gdt, cpu.tss);
    load_gdt(cpu);

    write_msr(msr::GsBase, reinterpret_cast<uint64_t>(&cpu));
    write_msr(msr::KernelGsBase, 0);

    // syscall/sysret: SYSRET loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8 (both RPL 3).
    write_msr(msr::Efer, read_msr(msr::Efer) | efer::SyscallEnable);
    write_msr(msr::Star, (uint64_t{GDT_USER_BASE | 3} << 48) | (uint64_t{GDT_KERNEL_CODE} << 32));
    write_msr(msr::LStar, reinterpret_cast<uint64_t>(&syscall_entry));
    // The kernel runs with interrupts off and a clean direction, trap and alignment state.
    write_msr(msr::SyscallMask, rflags::Interrupt | rflags::Trap | rflags::Direction |
                                    rflags::AlignmentCheck | (1u << 14) /* NT */);
}

void init_user_registers(SavedRegisters& r, uint64_t entry, uint64_t stack)
{
    r = SavedRegisters{};
    r.rip = entry;
    r.rsp = stack;
    r.cs = GDT_USER_CODE | 3;
    r.ss = GDT_USER_DATA | 3;
    r.rflags = rflags::UserInitial;
    r.vector = 0; // a fresh thread leaves through iretq: every register is as set here
}

} // namespace tessera::x86_64

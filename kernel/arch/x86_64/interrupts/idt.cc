// The interrupt descriptor table: every vector goes to its stub in trap_entry.S.
#include "arch/x86_64/asm_constants.h"
#include "arch/x86_64/descriptors.h"
#include "arch/x86_64/vectors.h"

extern "C" const uint64_t trap_stub_table[256];

namespace tessera::x86_64 {
namespace {

IdtGate idt[256];

constexpr uint8_t InterruptGate = 0x8e; // present, DPL 0, 64-bit interrupt gate (IF cleared)
constexpr uint8_t UserInterruptGate = 0xee; // the same, reachable by `int` from ring 3

} // namespace

void init_idt()
{
    for (unsigned v = 0; v < 256; v++) {
        const uint64_t handler = trap_stub_table[v];
        IdtGate& gate = idt[v];
        gate.offset_low = uint16_t(handler);
        gate.selector = GDT_KERNEL_CODE;
        gate.ist = 0;
        gate.type_attributes = InterruptGate;
        gate.offset_middle = uint16_t(handler >> 16);
        gate.offset_high = uint32_t(handler >> 32);
        gate.reserved = 0;
    }
    const unsigned own_stack[] = {vector::NonMaskable, vector::DoubleFault, vector::MachineCheck};
    for (unsigned v : own_stack)
        idt[v].ist = FaultStackIst;
    // int3 and into from user code are user exceptions, not protection faults.
    idt[vector::Breakpoint].type_attributes = UserInterruptGate;
    idt[vector::Overflow].type_attributes = UserInterruptGate;
    load_idt();
}

void load_idt()
{
    const DescriptorPointer pointer{uint16_t(sizeof(idt) - 1), reinterpret_cast<uint64_t>(idt)};
    asm volatile("lidt %0" ::"m"(pointer));
}

} // namespace tessera::x86_64

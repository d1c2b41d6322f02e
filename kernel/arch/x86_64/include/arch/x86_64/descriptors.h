// GDT, TSS and IDT formats (Intel SDM vol. 3A, 3.4.5, 7.7 and 6.14.1).
#pragma once

#include <cstdint>

namespace tessera::x86_64 {

struct [[gnu::packed]] Tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t io_map_base;
};
static_assert(sizeof(Tss) == 104);

struct [[gnu::packed]] DescriptorPointer {
    uint16_t limit;
    uint64_t base;
};

struct IdtGate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attributes;
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
};
static_assert(sizeof(IdtGate) == 16);

// IST slot (1-based as the gate encodes it) used for double faults, NMIs and machine checks.
inline constexpr uint8_t FaultStackIst = 1;

void init_idt();
void load_idt();

} // namespace tessera::x86_64

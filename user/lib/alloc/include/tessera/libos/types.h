// Strong types shared by the library OS allocators, address spaces, loader and threads:
// capability pointers, physical and virtual addresses, object sizes.
#pragma once

#include <tessera/abi/abi.h>
#include <tessera/base/types.h>

#include <compare>
#include <stdint.h>

namespace tessera::libos {

// The capability pointer and the addresses are the kernel's too: one definition in common/base.
using base::Addr;
using base::CPtr;
using base::PAddr;
using base::raw;
using base::VAddr;
constexpr CPtr NullCap{0};

// log2 of a size in bytes (or in slots, for a CNode's size argument).
enum class SizeBits : seL4_Word {};
constexpr seL4_Word raw(SizeBits bits)
{
    return static_cast<seL4_Word>(bits);
}

constexpr seL4_Word PageSize = seL4_Word{1} << seL4_PageBits;

// RFLAGS for a thread the library starts: IF (interrupts on, so the timer can preempt it) and the
// always-one bit 1. seL4 sanitises what WriteRegisters gets; this is what it would choose.
constexpr seL4_Word InitialUserFlags = 0x202;

constexpr seL4_Word align_up(seL4_Word value, seL4_Word bits)
{
    const seL4_Word mask = (seL4_Word{1} << bits) - 1;
    return (value + mask) & ~mask;
}

} // namespace tessera::libos

// Strong types shared by the library OS allocators, address spaces, loader and threads:
// capability pointers, physical and virtual addresses, object sizes.
#pragma once

#include <tessera/abi/abi.h>

#include <compare>
#include <stdint.h>

namespace tessera::libos {

// A capability address in the caller's CSpace: neither an index nor a pointer.
enum class CPtr : seL4_Word {};
constexpr seL4_Word raw(CPtr cap)
{
    return static_cast<seL4_Word>(cap);
}
constexpr CPtr NullCap{0};

template <class Tag> class Addr {
public:
    constexpr Addr() = default;
    constexpr explicit Addr(seL4_Word raw) : raw_(raw) {}
    constexpr seL4_Word raw() const { return raw_; }
    constexpr bool is_aligned(seL4_Word bits) const { return raw_ % (seL4_Word{1} << bits) == 0; }
    constexpr Addr operator+(seL4_Word bytes) const { return Addr(raw_ + bytes); }
    constexpr seL4_Word operator-(Addr other) const { return raw_ - other.raw_; }
    auto operator<=>(const Addr&) const = default;

private:
    seL4_Word raw_ = 0;
};
using PAddr = Addr<struct PhysicalTag>;
using VAddr = Addr<struct VirtualTag>;

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

// Strong types for the numbers the core passes around (STYLE rule 4): addresses, capability
// pointers, depths, badges, object sizes. No raw uint64_t crosses a core function boundary.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>

namespace tessera::core {

using Word = uint64_t;
inline constexpr unsigned WordBits = 64;

// 1 << bits, and the mask of the low `bits` bits, both defined for bits == 64.
constexpr Word bit(unsigned bits)
{
    return bits >= WordBits ? 0 : Word{1} << bits;
}
constexpr Word mask(unsigned bits)
{
    return bits >= WordBits ? ~Word{0} : bit(bits) - 1;
}

template <class Tag> class Addr {
public:
    constexpr Addr() : raw_(0) {}
    constexpr explicit Addr(Word raw) : raw_(raw) {}
    constexpr Word raw() const { return raw_; }
    constexpr bool is_aligned(unsigned bits) const { return (raw_ & mask(bits)) == 0; }
    constexpr Addr operator+(Word offset) const { return Addr{raw_ + offset}; }
    constexpr Word operator-(Addr other) const { return raw_ - other.raw_; }
    constexpr auto operator<=>(const Addr&) const = default;

private:
    Word raw_;
};

using PAddr = Addr<struct PhysicalTag>;
using VAddr = Addr<struct VirtualTag>;

// A capability address: a path through the CSpace, neither an index nor a pointer.
enum class CPtr : Word {};
constexpr Word raw(CPtr c)
{
    return static_cast<Word>(c);
}

// Wraps one meaningful number so that two of them cannot be swapped at a call site.
template <class Tag, class T = Word> class Quantity {
public:
    constexpr Quantity() : raw_(0) {}
    constexpr explicit Quantity(T raw) : raw_(raw) {}
    constexpr T raw() const { return raw_; }
    constexpr auto operator<=>(const Quantity&) const = default;

private:
    T raw_;
};

// How many bits of a CPtr a lookup resolves.
using Depth = Quantity<struct DepthTag, Word>;
// The badge an endpoint or notification capability delivers.
using Badge = Quantity<struct BadgeTag, Word>;
// log2 of an object's size in bytes.
using SizeBits = Quantity<struct SizeBitsTag, unsigned>;
// A hardware interrupt number as named by IRQ handler capabilities.
using IrqNumber = Quantity<struct IrqTag, Word>;
// An x86 I/O port number.
using IoPort = Quantity<struct IoPortTag, uint16_t>;
// An address space identifier.
using Asid = Quantity<struct AsidTag, Word>;

} // namespace tessera::core

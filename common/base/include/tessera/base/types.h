// Addresses and capability pointers: the strong types (STYLE rule 4) the kernel and the library OS
// both pass around, defined once so that the two worlds' PAddr, VAddr and CPtr are one type each.
// Freestanding: only <compare> and <cstdint>. A world adds its own quantities (the kernel's Depth
// and Badge, the library OS's SizeBits) beside these.
#pragma once

#include <compare>
#include <cstdint>

namespace tessera::base {

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

// An address in one address space, tagged so that a physical one cannot be passed as a virtual.
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

// A capability address: a path through a CSpace, neither an index nor a pointer.
enum class CPtr : Word {};
constexpr Word raw(CPtr c)
{
    return static_cast<Word>(c);
}

} // namespace tessera::base

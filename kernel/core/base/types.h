// Strong types for the numbers the core passes around (STYLE rule 4): addresses, capability
// pointers, depths, badges, object sizes. No raw uint64_t crosses a core function boundary.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>

#include <tessera/base/types.h>

namespace tessera::core {

// Word, bit/mask, the addresses and CPtr are the library OS's too: one definition in common/base.
using base::Word;
using base::WordBits;
using base::bit;
using base::mask;
using base::Addr;
using base::PAddr;
using base::VAddr;
using base::CPtr;
using base::raw;

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

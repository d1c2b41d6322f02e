// Bit fields declared as types (STYLE rule 7): each layout is written once as shifts and widths
// and the accessors follow from it, so no hand-written masks drift apart.
#pragma once

#include <cstdint>

namespace tessera::core {

template <unsigned Shift, unsigned Width> struct Field {
    static_assert(Width > 0 && Shift + Width <= 64);
    static constexpr uint64_t mask = (Width == 64 ? ~0ull : (1ull << Width) - 1) << Shift;
    static constexpr uint64_t max = mask >> Shift;
    static constexpr uint64_t get(uint64_t word) { return (word & mask) >> Shift; }
    static constexpr uint64_t set(uint64_t word, uint64_t value)
    {
        return (word & ~mask) | ((value << Shift) & mask);
    }
    static constexpr bool fits(uint64_t value) { return value <= max; }
};

// True when the fields never overlap (a layout may leave bits unused).
template <class... F> constexpr bool disjoint_fields()
{
    return (F::mask | ...) == (F::mask + ...);
}

// True when the fields cover all 64 bits without overlap.
template <class... F> constexpr bool tiles_word()
{
    return disjoint_fields<F...>() && (F::mask | ...) == ~0ull;
}

} // namespace tessera::core

// A capability as the kernel stores it: two 64-bit words whose top five bits name the kind. The
// kind-specific layouts live in cap_kinds.h; this type only knows the kind and the raw words.
#pragma once

#include <cstdint>

#include "base/field.h"
#include "base/types.h"

namespace tessera::core {

// Kinds of capability on x86_64, non-MCS. The numbering is internal (never seen by user code).
enum class CapType : uint8_t {
    Null = 0,
    Untyped,
    Endpoint,
    Notification,
    Reply,
    CNode,
    Tcb,
    IrqControl,
    IrqHandler,
    Zombie,
    Domain,
    Frame,
    PageTable,
    PageDirectory,
    Pdpt,
    Pml4,
    AsidControl,
    AsidPool,
    IoPortControl,
    IoPort,
    SvmVcpu, // Tessera-only (issue 24): an AMD SVM virtual CPU
};

namespace cap_layout {
using Type = Field<59, 5>;   // word 0, every kind
using Object = Field<0, 52>; // word 0, physical address of the object (52-bit physical space)
} // namespace cap_layout

class Cap {
public:
    constexpr Cap() : words_{0, 0} {}
    static constexpr Cap from_words(Word word0, Word word1) { return Cap{word0, word1}; }
    static constexpr Cap of_type(CapType type, Word word0 = 0, Word word1 = 0)
    {
        return Cap{cap_layout::Type::set(word0, static_cast<Word>(type)), word1};
    }

    constexpr CapType type() const
    {
        return static_cast<CapType>(cap_layout::Type::get(words_[0]));
    }
    constexpr bool is_null() const { return type() == CapType::Null; }
    constexpr Word word0() const { return words_[0]; }
    constexpr Word word1() const { return words_[1]; }
    // Architecture-specific kinds (x86 paging, ASIDs, I/O ports) get seL4's "arch cap" rules.
    constexpr bool is_arch() const { return type() >= CapType::Frame; }

    constexpr bool operator==(const Cap&) const = default;

private:
    constexpr Cap(Word word0, Word word1) : words_{word0, word1} {}
    Word words_[2];
};

static_assert(sizeof(Cap) == 16);

} // namespace tessera::core

// A capability slot (seL4's CTE): the capability plus its place in the derivation tree. Slots
// fill CNodes and the first part of TCB objects, so the size is fixed by seL4_SlotBits.
#pragma once

#include <tessera/abi/object_sizes.h>

#include "base/field.h"
#include "cap/cap.h"

namespace tessera::core {

class Slot;

// The derivation-tree links of one slot: a doubly linked list in pre-order, as in seL4, plus the
// "revocable" and "first badged" bits (kept in the low bits of `next`: slots are 32-byte aligned).
class MdbNode {
public:
    constexpr MdbNode() : prev_(nullptr), next_(0) {}

    Slot* prev() const { return prev_; }
    Slot* next() const { return reinterpret_cast<Slot*>(next_ & ~FlagMask); }
    bool is_revocable() const { return (next_ & RevocableBit) != 0; }
    bool is_first_badged() const { return (next_ & FirstBadgedBit) != 0; }
    bool is_empty() const { return prev_ == nullptr && next() == nullptr; }

    void set_prev(Slot* prev) { prev_ = prev; }
    void set_next(Slot* next) { next_ = reinterpret_cast<Word>(next) | (next_ & FlagMask); }
    void set_revocable(bool on) { next_ = on ? (next_ | RevocableBit) : (next_ & ~RevocableBit); }
    void set_first_badged(bool on)
    {
        next_ = on ? (next_ | FirstBadgedBit) : (next_ & ~FirstBadgedBit);
    }

private:
    static constexpr Word RevocableBit = 1;
    static constexpr Word FirstBadgedBit = 2;
    static constexpr Word FlagMask = RevocableBit | FirstBadgedBit;

    Slot* prev_;
    Word next_;
};

class Slot {
public:
    Cap cap;
    MdbNode mdb;

    bool is_empty() const { return cap.is_null(); }
};

// seL4's CTE is 32 bytes on x86_64; CNode sizes and TCB layouts depend on it.
static_assert(sizeof(Slot) == (1u << seL4_SlotBits));
static_assert(alignof(Slot) <= (1u << seL4_SlotBits));

} // namespace tessera::core

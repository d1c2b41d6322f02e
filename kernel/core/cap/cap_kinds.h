// One typed view per capability kind: a kind's word layout, its constructor and accessors, so
// that no code outside this file handles a kind's raw bits. A view wraps a Cap of its kind only.
#pragma once

#include <tessera/abi/object_sizes.h>

#include "cap/cap.h"
#include "cap/rights.h"

namespace tessera::core {

// Whether memory behind an untyped or frame is a device region (never cleared by the kernel).
enum class Device : bool { No = false, Yes = true };

// Base for the views: holds the Cap, checks the kind on construction.
template <CapType Kind> class CapView {
public:
    static constexpr CapType kind = Kind;
    constexpr explicit CapView(Cap cap) : cap_(cap) {}
    constexpr Cap cap() const { return cap_; }
    static constexpr bool is(Cap cap) { return cap.type() == Kind; }

protected:
    template <class F> constexpr Word get0() const { return F::get(cap_.word0()); }
    template <class F> constexpr Word get1() const { return F::get(cap_.word1()); }
    template <class F> constexpr Cap set0(Word v) const
    {
        return Cap::from_words(F::set(cap_.word0(), v), cap_.word1());
    }
    template <class F> constexpr Cap set1(Word v) const
    {
        return Cap::from_words(cap_.word0(), F::set(cap_.word1(), v));
    }
    Cap cap_;
};

// ---- Untyped: a block of physical memory and the watermark of what is handed out.
class UntypedCap : public CapView<CapType::Untyped> {
public:
    using Base = cap_layout::Object;
    using IsDevice = Field<52, 1>;
    using BlockBits = Field<53, 6>;
    using FreeIndex = Field<0, 48>; // word 1, in units of 1 << seL4_MinUntypedBits bytes
    static_assert(disjoint_fields<Base, IsDevice, BlockBits, cap_layout::Type>());

    using CapView::CapView;
    static constexpr UntypedCap make(PAddr base, SizeBits bits, Device device, Word free_index)
    {
        Word w0 = Base::set(0, base.raw());
        w0 = IsDevice::set(w0, device == Device::Yes);
        w0 = BlockBits::set(w0, bits.raw());
        return UntypedCap{Cap::of_type(kind, w0, FreeIndex::set(0, free_index))};
    }
    constexpr PAddr base() const { return PAddr{get0<Base>()}; }
    constexpr SizeBits size_bits() const
    {
        return SizeBits{static_cast<unsigned>(get0<BlockBits>())};
    }
    constexpr Device device() const { return get0<IsDevice>() ? Device::Yes : Device::No; }
    constexpr Word free_index() const { return get1<FreeIndex>(); }
    // Byte offset of the first free byte (seL4's FREE_INDEX_TO_OFFSET).
    constexpr Word free_offset() const { return free_index() << seL4_MinUntypedBits; }
    // The index that marks the whole block used (seL4's MAX_FREE_INDEX).
    static constexpr Word max_free_index(SizeBits bits)
    {
        return bit(bits.raw() - seL4_MinUntypedBits);
    }
    constexpr UntypedCap with_free_index(Word index) const
    {
        return UntypedCap{set1<FreeIndex>(index)};
    }
};

// ---- Endpoint: rights Write = send, Read = receive, Grant, GrantReply; badge in word 1.
class EndpointCap : public CapView<CapType::Endpoint> {
public:
    using Object = cap_layout::Object;
    using Rights = Field<52, 4>; // a CapRights word
    static_assert(disjoint_fields<Object, Rights, cap_layout::Type>());

    using CapView::CapView;
    static constexpr EndpointCap make(PAddr object, Badge badge, CapRights rights)
    {
        Word w0 = Rights::set(Object::set(0, object.raw()), rights.word());
        return EndpointCap{Cap::of_type(kind, w0, badge.raw())};
    }
    constexpr PAddr object() const { return PAddr{get0<Object>()}; }
    constexpr Badge badge() const { return Badge{cap_.word1()}; }
    constexpr CapRights rights() const { return CapRights::from_word(get0<Rights>()); }
    constexpr bool can_send() const { return rights().allows_write(); }
    constexpr bool can_receive() const { return rights().allows_read(); }
    constexpr bool can_grant() const { return rights().allows_grant(); }
    constexpr bool can_grant_reply() const { return rights().allows_grant_reply(); }
    constexpr EndpointCap with_badge(Badge b) const
    {
        return EndpointCap{Cap::from_words(cap_.word0(), b.raw())};
    }
    constexpr EndpointCap with_rights(CapRights r) const
    {
        return EndpointCap{set0<Rights>(r.word())};
    }
};

// ---- Notification: rights Write = signal, Read = wait; badge in word 1.
class NotificationCap : public CapView<CapType::Notification> {
public:
    using Object = cap_layout::Object;
    using Rights = Field<52, 2>; // the Write and Read bits of a CapRights word
    static_assert(disjoint_fields<Object, Rights, cap_layout::Type>());

    using CapView::CapView;
    static constexpr NotificationCap make(PAddr object, Badge badge, CapRights rights)
    {
        Word w0 = Rights::set(Object::set(0, object.raw()), rights.word());
        return NotificationCap{Cap::of_type(kind, w0, badge.raw())};
    }
    constexpr PAddr object() const { return PAddr{get0<Object>()}; }
    constexpr Badge badge() const { return Badge{cap_.word1()}; }
    constexpr CapRights rights() const { return CapRights::from_word(get0<Rights>()); }
    constexpr bool can_send() const { return rights().allows_write(); }
    constexpr bool can_receive() const { return rights().allows_read(); }
    constexpr NotificationCap with_badge(Badge b) const
    {
        return NotificationCap{Cap::from_words(cap_.word0(), b.raw())};
    }
    constexpr NotificationCap with_rights(CapRights r) const
    {
        return NotificationCap{set0<Rights>(r.word() & Rights::max)};
    }
};

// ---- Reply (non-MCS): names the TCB to reply to; the master reply cap lives in the TCB.
enum class ReplyMaster : bool { No = false, Yes = true };
class ReplyCap : public CapView<CapType::Reply> {
public:
    using Tcb = cap_layout::Object;
    using Master = Field<52, 1>;
    using CanGrant = Field<53, 1>;
    static_assert(disjoint_fields<Tcb, Master, CanGrant, cap_layout::Type>());

    using CapView::CapView;
    static constexpr ReplyCap make(PAddr tcb, ReplyMaster master, bool can_grant)
    {
        Word w0 = Master::set(Tcb::set(0, tcb.raw()), master == ReplyMaster::Yes);
        return ReplyCap{Cap::of_type(kind, CanGrant::set(w0, can_grant))};
    }
    constexpr PAddr tcb() const { return PAddr{get0<Tcb>()}; }
    constexpr bool is_master() const { return get0<Master>() != 0; }
    constexpr bool can_grant() const { return get0<CanGrant>() != 0; }
    constexpr ReplyCap with_can_grant(bool on) const { return ReplyCap{set0<CanGrant>(on)}; }
};

// ---- CNode: an array of 1 << radix slots, with a guard of guard_size bits (value in word 1).
class CNodeCap : public CapView<CapType::CNode> {
public:
    using ObjectSlots = Field<0, 47>; // physical address >> seL4_SlotBits
    using Radix = Field<47, 6>;
    using GuardSize = Field<53, 6>;
    static_assert(disjoint_fields<ObjectSlots, Radix, GuardSize, cap_layout::Type>());

    using CapView::CapView;
    static constexpr CNodeCap make(PAddr object, unsigned radix, unsigned guard_size, Word guard)
    {
        Word w0 = ObjectSlots::set(0, object.raw() >> seL4_SlotBits);
        w0 = Radix::set(w0, radix);
        w0 = GuardSize::set(w0, guard_size);
        return CNodeCap{Cap::of_type(kind, w0, guard)};
    }
    constexpr PAddr object() const { return PAddr{get0<ObjectSlots>() << seL4_SlotBits}; }
    constexpr unsigned radix() const { return static_cast<unsigned>(get0<Radix>()); }
    constexpr unsigned guard_size() const { return static_cast<unsigned>(get0<GuardSize>()); }
    constexpr Word guard() const { return cap_.word1(); }
    constexpr CNodeCap with_guard(Word guard, unsigned guard_size) const
    {
        return CNodeCap{Cap::from_words(GuardSize::set(cap_.word0(), guard_size), guard)};
    }
    // The physical address of slot `index` (index < 1 << radix).
    constexpr PAddr slot_address(Word index) const { return object() + (index << seL4_SlotBits); }
};

// ---- TCB: points at the object base, where the TCB's own slots sit (seL4 layout).
class TcbCap : public CapView<CapType::Tcb> {
public:
    using Object = cap_layout::Object;
    using CapView::CapView;
    static constexpr TcbCap make(PAddr object)
    {
        return TcbCap{Cap::of_type(kind, Object::set(0, object.raw()))};
    }
    constexpr PAddr object() const { return PAddr{get0<Object>()}; }
};

// Slots at the start of a TCB object (non-MCS x86_64: CSpace root, VSpace root, reply, caller,
// IPC buffer frame). Internal layout, not ABI: a zombie of a TCB covers exactly these.
inline constexpr Word TcbSlotCount = 5;

class IrqControlCap : public CapView<CapType::IrqControl> {
public:
    using CapView::CapView;
    static constexpr IrqControlCap make() { return IrqControlCap{Cap::of_type(kind)}; }
};

class IrqHandlerCap : public CapView<CapType::IrqHandler> {
public:
    using CapView::CapView;
    static constexpr IrqHandlerCap make(IrqNumber irq)
    {
        return IrqHandlerCap{Cap::of_type(kind, 0, irq.raw())};
    }
    constexpr IrqNumber irq() const { return IrqNumber{cap_.word1()}; }
};

class DomainCap : public CapView<CapType::Domain> {
public:
    using CapView::CapView;
    static constexpr DomainCap make() { return DomainCap{Cap::of_type(kind)}; }
};

// ---- Zombie: what is left of a CNode or TCB whose last capability is being deleted: the slots
// still to be cleared (`number` of them, from `slots`). Only the kernel ever creates one.
class ZombieCap : public CapView<CapType::Zombie> {
public:
    using Slots = cap_layout::Object;
    using ZombieType = Field<52, 7>; // CNode radix, or TcbZombie
    static constexpr Word TcbZombie = 64;
    static_assert(disjoint_fields<Slots, ZombieType, cap_layout::Type>());

    using CapView::CapView;
    static constexpr ZombieCap make(PAddr slots, Word zombie_type, Word number)
    {
        return ZombieCap{
            Cap::of_type(kind, ZombieType::set(Slots::set(0, slots.raw()), zombie_type), number)};
    }
    constexpr PAddr slots() const { return PAddr{get0<Slots>()}; }
    constexpr Word zombie_type() const { return get0<ZombieType>(); }
    constexpr bool is_tcb() const { return zombie_type() == TcbZombie; }
    constexpr Word number() const { return cap_.word1(); }
    constexpr SizeBits size_bits() const
    {
        return SizeBits{is_tcb() ? unsigned{seL4_TCBBits}
                                 : static_cast<unsigned>(zombie_type()) + seL4_SlotBits};
    }
    constexpr ZombieCap with_number(Word n) const
    {
        return ZombieCap{Cap::from_words(cap_.word0(), n)};
    }
};

} // namespace tessera::core

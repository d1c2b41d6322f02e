// A small kernel world on the host: a pretend physical memory (a host buffer behind a
// MemoryWindow), a root CNode with a cap to itself in slot 2 and an untyped in slot 3, recording
// object hooks and a controllable preemption source. Each test builds its own; they never share.
#pragma once

#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <utility>
#include <vector>

#include <tessera/abi/object_types.h>

#include "base/context.h"
#include "cap/cap_arch_kinds.h"
#include "cap/cap_kinds.h"
#include "cdt/cdt.h"
#include "cdt/object_hooks.h"
#include "fake_object_hooks.h"
#include "cnode/cnode_invocation.h"
#include "untyped/retype.h"

namespace tessera::core::test {

// Records what the core asked of the hooks (fake_object_hooks.h).
using RecordingHooks = FakeObjectHooks;

// Pending after `budget` polls (never while budget is negative).
struct CountdownPreemption final : Preemption {
    long budget = -1;
    long polls = 0;
    bool is_pending() override
    {
        ++polls;
        if (budget < 0)
            return false;
        if (budget == 0)
            return true;
        --budget;
        return false;
    }
};

class CoreWorld {
public:
    static constexpr Word PhysBase = 0x40000000;
    static constexpr unsigned RootRadix = 8;
    static constexpr Word RootCNodeSlot = 2;
    static constexpr Word RootUntypedSlot = 3;

    explicit CoreWorld(unsigned untyped_bits = 22, Device device = Device::No)
        : untyped_bits_(untyped_bits),
          untyped_offset_(untyped_bits < 16 ? Word{1} << 16 : Word{1} << untyped_bits),
          bytes_(untyped_offset_ + (Word{1} << untyped_bits)),
          memory_(static_cast<unsigned char*>(std::aligned_alloc(4096, bytes_))),
          ctx{MemoryWindow{reinterpret_cast<Word>(memory_) - PhysBase}, hooks, preemption}
    {
        std::memset(memory_, 0, bytes_);
        insert_root_cap(slot(RootCNodeSlot), root().cap());
        insert_root_cap(slot(RootUntypedSlot),
                        UntypedCap::make(untyped_base(), SizeBits{untyped_bits}, device, 0).cap());
    }
    ~CoreWorld() { std::free(memory_); }
    CoreWorld(const CoreWorld&) = delete;
    CoreWorld& operator=(const CoreWorld&) = delete;

    PAddr untyped_base() const { return PAddr{PhysBase + untyped_offset_}; }
    unsigned untyped_bits() const { return untyped_bits_; }
    CNodeCap root() const { return CNodeCap::make(PAddr{PhysBase}, RootRadix, 0, 0); }
    Slot& slot(Word index) { return *ctx.window.at<Slot>(root().slot_address(index)); }
    Slot* root_slot() { return &slot(RootCNodeSlot); }
    template <class T> T* at(PAddr address) { return ctx.window.at<T>(address); }
    std::vector<unsigned char> snapshot() const { return {memory_, memory_ + bytes_}; }
    // Snapshot into a reused buffer, and comparison against it (cheap enough for every step).
    void snapshot_into(std::vector<unsigned char>& buffer) const
    {
        buffer.assign(memory_, memory_ + bytes_);
    }
    bool matches(const std::vector<unsigned char>& buffer) const
    {
        return buffer.size() == bytes_ && std::memcmp(buffer.data(), memory_, bytes_) == 0;
    }
    bool contains(PAddr address) const
    {
        return address.raw() >= PhysBase && address.raw() < PhysBase + bytes_;
    }

    Result<Progress> retype(Word type, Word size_bits, Word dest_offset, Word count,
                            Word untyped_index = RootUntypedSlot)
    {
        Word words[] = {type, size_bits, 0, 0, dest_offset, count};
        Slot* extra[] = {root_slot()};
        return invoke_untyped_retype(ctx, Invocation{words, 6, extra, 1}, slot(untyped_index));
    }
    Result<Progress> cnode(CNodeMethod method, std::initializer_list<Word> words,
                           std::initializer_list<Slot*> extra = {}, Slot* caller = nullptr)
    {
        std::vector<Word> w(words);
        std::vector<Slot*> e(extra);
        return invoke_cnode(ctx, method, Invocation{w.data(), w.size(), e.data(), e.size()}, root(),
                            caller);
    }
    Result<Progress> copy(Word dest, Word src, CapRights rights = CapRights::all())
    {
        return cnode(CNodeMethod::Copy, {dest, RootRadix, src, RootRadix, rights.word()},
                     {root_slot()});
    }
    Result<Progress> mint(Word dest, Word src, CapRights rights, Word data)
    {
        return cnode(CNodeMethod::Mint, {dest, RootRadix, src, RootRadix, rights.word(), data},
                     {root_slot()});
    }
    Result<Progress> move(Word dest, Word src)
    {
        return cnode(CNodeMethod::Move, {dest, RootRadix, src, RootRadix}, {root_slot()});
    }
    Result<Progress> mutate(Word dest, Word src, Word data)
    {
        return cnode(CNodeMethod::Mutate, {dest, RootRadix, src, RootRadix, data}, {root_slot()});
    }
    Result<Progress> rotate(Word dest, Word pivot, Word src, Word pivot_data = 0, Word src_data = 0)
    {
        return cnode(CNodeMethod::Rotate,
                     {dest, RootRadix, pivot_data, pivot, RootRadix, src_data, src, RootRadix},
                     {root_slot(), root_slot()});
    }
    Result<Progress> remove(Word index) { return cnode(CNodeMethod::Delete, {index, RootRadix}); }
    Result<Progress> revoke(Word index) { return cnode(CNodeMethod::Revoke, {index, RootRadix}); }

    RecordingHooks hooks;
    CountdownPreemption preemption;

private:
    unsigned untyped_bits_;
    Word untyped_offset_;
    Word bytes_;
    unsigned char* memory_;

public:
    CoreContext ctx;
};

} // namespace tessera::core::test

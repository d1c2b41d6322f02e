// Which SVM ASID a guest runs with and what VMRUN must flush first (AMD APM vol. 2, 15.16: TLB
// control). Pure decisions, no instructions: vm_enter.cc applies them, host tests check them.
//
// Every VCPU gets its own ASID, so a guest's translations (guest-virtual and guest-physical to
// host-physical, tagged with the ASID) survive its exits and never serve another VCPU. ASIDs are
// handed out in generations, per CPU: a VCPU keeps its ASID while its generation is the CPU's;
// the ASIDs run out, a new generation starts, and its first VMRUN flushes every ASID, so each
// ASID handed out in a generation is clean until a VCPU uses it. Nothing is released: a deleted
// VCPU's ASID comes back with the next generation.
//
// A nested page table is an ordinary PML4 (seL4 ASID, docs/vmm.md), changed by the seL4
// invocations. A change of a translation in one that some VCPU was given (SetNPT, "watched")
// advances an epoch; a VCPU that last ran in an older epoch drops its cached translations before
// it runs again: with FlushByAsid its own ASID's (TLB_CONTROL 3), else by taking a new, clean
// ASID. Changes elsewhere flush nothing here.
#pragma once

#include <cstdint>

namespace tessera::x86_64 {

// TLB_CONTROL (VMCB 0x05c) values.
enum class GuestTlbFlush : uint32_t {
    None = 0, // keep every cached translation
    All = 1,  // every ASID's entries (a new generation)
    Own = 3,  // this guest's ASID's entries (FlushByAsid)
};

// A VCPU's hold on an ASID. Zeroed (a new VCPU, forget()) it holds none.
struct GuestTlbTag {
    uint32_t asid;
    uint32_t cpu;        // the CPU the ASID belongs to
    uint64_t generation; // that CPU's generation when it was handed out; 0: none
    uint64_t epoch;      // the change epoch the guest's cached translations are from
};

struct GuestTlbEntry {
    uint32_t asid;
    GuestTlbFlush flush;
    bool operator==(const GuestTlbEntry&) const = default;
};

class GuestTlbPolicy {
public:
    static constexpr unsigned WatchedAsids = 1u << 12; // seL4's x86_64 ASIDs are 12 bits

    // `asid_count` from CPUID 0x8000000A EBX (ASID 0 is the host's), `flush_by_asid` from its
    // EDX bit 6.
    constexpr GuestTlbPolicy(uint32_t asid_count, bool flush_by_asid)
        : last_asid_(asid_count > 2 ? asid_count - 1 : 1), flush_by_asid_(flush_by_asid)
    {
    }

    // A VCPU given a new nested page table, or left in reset state by a refused VMRUN: whatever
    // its ASID cached is no longer its guest's.
    static constexpr void forget(GuestTlbTag& tag) { tag.generation = 0; }

    // SetNPT gave a VCPU the PML4 of seL4 ASID `space`: its changes concern guests from now on.
    constexpr void watch(uint64_t space)
    {
        if (space < WatchedAsids)
            watched_[space / 64] |= uint64_t{1} << (space % 64);
    }
    constexpr bool is_watched(uint64_t space) const
    {
        return space < WatchedAsids && ((watched_[space / 64] >> (space % 64)) & 1);
    }

    // A translation of the address space of seL4 ASID `space` changed, or a paging structure of
    // it was unlinked.
    constexpr void translations_changed(uint64_t space)
    {
        if (is_watched(space))
            epoch_++;
    }

    // `space` stops naming its PML4: a VCPU on it can no longer run (VMEnter says so) until a
    // SetNPT, which forgets its tag; nothing of it may be served to a VCPU on the next PML4
    // given that seL4 ASID either.
    constexpr void released(uint64_t space)
    {
        translations_changed(space);
        if (space < WatchedAsids)
            watched_[space / 64] &= ~(uint64_t{1} << (space % 64));
    }

    // Before VMRUN of the VCPU holding `tag` on CPU `cpu`: the ASID to run with and the flush.
    constexpr GuestTlbEntry enter(GuestTlbTag& tag, uint32_t cpu)
    {
        GuestTlbFlush flush = GuestTlbFlush::None;
        const bool held = tag.generation == generation_ && tag.cpu == cpu;
        if (!held) {
            take_new_asid(tag, cpu);
        } else if (tag.epoch != epoch_) {
            if (flush_by_asid_)
                flush = GuestTlbFlush::Own;
            else
                take_new_asid(tag, cpu);
        }
        tag.epoch = epoch_;
        if (flush_all_pending_)
            flush = GuestTlbFlush::All;
        return {tag.asid, flush};
    }

    // After a VMRUN the processor carried out (any exit but VMEXIT_INVALID): the flush it was
    // given is done. A refused VMRUN may have skipped it, so the next VMRUN flushes again.
    constexpr void ran(GuestTlbTag& tag, bool refused)
    {
        if (refused) {
            forget(tag);
            return;
        }
        flush_all_pending_ = false;
    }

    constexpr uint64_t generation() const { return generation_; }
    constexpr uint32_t last_asid() const { return last_asid_; }

private:
    constexpr void take_new_asid(GuestTlbTag& tag, uint32_t cpu)
    {
        if (next_asid_ > last_asid_) {
            generation_++;
            next_asid_ = 1;
            flush_all_pending_ = true;
        }
        tag = GuestTlbTag{next_asid_++, cpu, generation_, epoch_};
    }

    uint32_t last_asid_;
    bool flush_by_asid_;
    // One CPU's ASIDs (DESIGN.md 10: one CPU for now; SMP makes these per CPU).
    uint32_t next_asid_ = 1;
    uint64_t generation_ = 1;
    // The first VMRUN of a generation flushes every ASID (and any VMRUN until one is done).
    bool flush_all_pending_ = true;
    uint64_t epoch_ = 0;
    uint64_t watched_[WatchedAsids / 64] = {};
};

} // namespace tessera::x86_64

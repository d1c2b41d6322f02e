// Address-space invariants, over the architecture's paging structures as a VSpaceView shows
// them. Capabilities record where they are mapped or which ASID they were assigned; seL4 leaves
// those records stale when an address space or ASID pool is deleted (later operations check
// them), so only the tables' side is checked: whatever an ASID names and whatever a live address
// space maps, a live capability must say so.

#include "cap/cap_arch_kinds.h"
#include "invariants/x86_invariant_checks.h"

namespace tessera::core {

namespace {

static_assert(ArchInvariantWorkspace::FrameTableSize == 2 * InvariantWorkspace::MaxSlots,
              "the frame table is kept at most half full");

class MappingChecker final : public MappingVisitor {
public:
    MappingChecker(const CoreContext& ctx, InvariantWorkspace& workspace, const VSpaceView& view,
                   InvariantReport& report)
        : ctx_(ctx), workspace_(workspace), view_(view), report_(report)
    {
    }

    void check()
    {
        index_mapped_frames();
        for (Word asid = 1; asid < view_.asid_limit() && report_.holds(); ++asid) {
            PAddr root = view_.root_of(Asid{asid});
            if (root.raw() == 0)
                continue;
            if (!has_pml4_cap(root, Asid{asid})) {
                report_.fail("asid: ASID %lu names PML4 %#lx, which no live PML4 capability is "
                             "assigned",
                             asid, root.raw());
                return;
            }
            asid_ = Asid{asid};
            view_.for_each_frame(root, *this);
        }
    }

    bool visit(const FrameMapping& mapping) override
    {
        if (find_frame(asid_, mapping) != nullptr)
            return true;
        report_.fail("vspace: ASID %lu maps frame %#lx (2^%u bytes) at %#lx, and no live frame "
                     "capability records that mapping",
                     asid_.raw(), mapping.frame.raw(), mapping.size_bits.raw(),
                     mapping.vaddr.raw());
        return false;
    }

private:
    static size_t home(Asid asid, VAddr vaddr)
    {
        Word key = (vaddr.raw() >> 12) ^ (asid.raw() << 36);
        return static_cast<size_t>((key * 0x9e3779b97f4a7c15ull) >> 32) &
               (ArchInvariantWorkspace::FrameTableSize - 1);
    }

    void index_mapped_frames()
    {
        for (auto& entry : workspace_.arch.frames_by_mapping)
            entry = 0;
        for (size_t i = 0; i < workspace_.physical_count; ++i) {
            Cap cap = workspace_.physical[i]->cap;
            if (cap.type() != CapType::Frame || !FrameCap{cap}.is_mapped())
                continue;
            size_t position = home(FrameCap{cap}.mapped_asid(), FrameCap{cap}.mapped_address());
            while (workspace_.arch.frames_by_mapping[position] != 0)
                position = (position + 1) & (ArchInvariantWorkspace::FrameTableSize - 1);
            workspace_.arch.frames_by_mapping[position] = static_cast<uint32_t>(i + 1);
        }
    }

    const Slot* find_frame(Asid asid, const FrameMapping& mapping) const
    {
        for (size_t position = home(asid, mapping.vaddr);
             workspace_.arch.frames_by_mapping[position] != 0;
             position = (position + 1) & (ArchInvariantWorkspace::FrameTableSize - 1)) {
            const Slot* slot = workspace_.physical[workspace_.arch.frames_by_mapping[position] - 1];
            FrameCap frame{slot->cap};
            if (frame.mapped_asid() == asid && frame.mapped_address() == mapping.vaddr &&
                frame.object() == mapping.frame && frame.size_bits() == mapping.size_bits)
                return slot;
        }
        return nullptr;
    }

    bool has_pml4_cap(PAddr root, Asid asid) const
    {
        for (size_t i = 0; i < workspace_.physical_count; ++i) {
            Cap cap = workspace_.physical[i]->cap;
            if (cap.type() == CapType::Pml4 && Pml4Cap{cap}.is_mapped() &&
                Pml4Cap{cap}.object() == root && Pml4Cap{cap}.mapped_asid() == asid)
                return true;
        }
        return false;
    }

    const CoreContext& ctx_;
    InvariantWorkspace& workspace_;
    const VSpaceView& view_;
    InvariantReport& report_;
    Asid asid_{0};
};

} // namespace

void check_mappings(const CoreContext& ctx, InvariantWorkspace& workspace, const VSpaceView& view,
                    InvariantReport& report)
{
    MappingChecker{ctx, workspace, view, report}.check();
}

} // namespace tessera::core

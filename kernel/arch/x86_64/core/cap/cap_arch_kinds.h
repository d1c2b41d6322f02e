// Typed views of the x86_64 capability kinds: frames, the four paging levels, ASID control and
// pools, I/O port control and I/O port ranges. Same rules as cap_kinds.h.
#pragma once

#include <tessera/abi/object_sizes.h>

#include "cap/cap_kinds.h"

namespace tessera::core {

enum class FrameSize : Word { Small = 0, Large = 1, Huge = 2 };

constexpr SizeBits frame_size_bits(FrameSize size)
{
    switch (size) {
    case FrameSize::Small:
        return SizeBits{seL4_PageBits};
    case FrameSize::Large:
        return SizeBits{seL4_LargePageBits};
    case FrameSize::Huge:
        return SizeBits{seL4_HugePageBits};
    }
    return SizeBits{seL4_PageBits};
}

// Where a frame or paging structure is mapped: word 1 of those caps.
namespace mapping_layout {
using Address = Field<0, 48>;
using AsidField = Field<48, 16>;
} // namespace mapping_layout

class FrameCap : public CapView<CapType::Frame> {
public:
    using Object = cap_layout::Object;
    using Size = Field<52, 2>;
    using Rights = Field<54, 2>; // VmRights
    using IsDevice = Field<56, 1>;
    using IsMapped = Field<57, 1>;
    static_assert(disjoint_fields<Object, Size, Rights, IsDevice, IsMapped, cap_layout::Type>());

    using CapView::CapView;
    static constexpr FrameCap make(PAddr object, FrameSize size, VmRights rights, Device device)
    {
        Word w0 = Size::set(Object::set(0, object.raw()), static_cast<Word>(size));
        w0 = Rights::set(w0, static_cast<Word>(rights));
        w0 = IsDevice::set(w0, device == Device::Yes);
        return FrameCap{Cap::of_type(kind, w0)};
    }
    constexpr PAddr object() const { return PAddr{get0<Object>()}; }
    constexpr FrameSize size() const { return static_cast<FrameSize>(get0<Size>()); }
    constexpr SizeBits size_bits() const { return frame_size_bits(size()); }
    constexpr VmRights rights() const { return static_cast<VmRights>(get0<Rights>()); }
    constexpr Device device() const { return get0<IsDevice>() ? Device::Yes : Device::No; }
    constexpr bool is_mapped() const { return get0<IsMapped>() != 0; }
    constexpr Asid mapped_asid() const { return Asid{get1<mapping_layout::AsidField>()}; }
    constexpr VAddr mapped_address() const { return VAddr{get1<mapping_layout::Address>()}; }

    constexpr FrameCap with_rights(VmRights r) const
    {
        return FrameCap{set0<Rights>(static_cast<Word>(r))};
    }
    constexpr FrameCap with_mapping(Asid asid, VAddr address) const
    {
        Word w1 = mapping_layout::AsidField::set(mapping_layout::Address::set(0, address.raw()),
                                                 asid.raw());
        return FrameCap{Cap::from_words(IsMapped::set(cap_.word0(), 1), w1)};
    }
    constexpr FrameCap unmapped() const
    {
        return FrameCap{Cap::from_words(IsMapped::set(cap_.word0(), 0), 0)};
    }
};

// PT, PD, PDPT and PML4 capabilities share one layout: a 4 KiB table, mapped or not.
template <CapType Kind> class PagingCap : public CapView<Kind> {
public:
    using Object = cap_layout::Object;
    using IsMapped = Field<52, 1>;
    static_assert(disjoint_fields<Object, IsMapped, cap_layout::Type>());

    using CapView<Kind>::CapView;
    static constexpr PagingCap make(PAddr object)
    {
        return PagingCap{Cap::of_type(Kind, Object::set(0, object.raw()))};
    }
    constexpr PAddr object() const { return PAddr{this->template get0<Object>()}; }
    constexpr bool is_mapped() const { return this->template get0<IsMapped>() != 0; }
    constexpr Asid mapped_asid() const
    {
        return Asid{this->template get1<mapping_layout::AsidField>()};
    }
    constexpr VAddr mapped_address() const
    {
        return VAddr{this->template get1<mapping_layout::Address>()};
    }
    constexpr PagingCap with_mapping(Asid asid, VAddr address) const
    {
        Word w1 = mapping_layout::AsidField::set(mapping_layout::Address::set(0, address.raw()),
                                                 asid.raw());
        return PagingCap{Cap::from_words(IsMapped::set(this->cap_.word0(), 1), w1)};
    }
    static constexpr SizeBits size_bits() { return SizeBits{seL4_PageTableBits}; }
};

using PageTableCap = PagingCap<CapType::PageTable>;
using PageDirectoryCap = PagingCap<CapType::PageDirectory>;
using PdptCap = PagingCap<CapType::Pdpt>;
using Pml4Cap = PagingCap<CapType::Pml4>;

class AsidControlCap : public CapView<CapType::AsidControl> {
public:
    using CapView::CapView;
    static constexpr AsidControlCap make() { return AsidControlCap{Cap::of_type(kind)}; }
};

class AsidPoolCap : public CapView<CapType::AsidPool> {
public:
    using Object = cap_layout::Object;
    using CapView::CapView;
    static constexpr AsidPoolCap make(PAddr object, Asid base)
    {
        return AsidPoolCap{Cap::of_type(kind, Object::set(0, object.raw()), base.raw())};
    }
    constexpr PAddr object() const { return PAddr{get0<Object>()}; }
    constexpr Asid asid_base() const { return Asid{cap_.word1()}; }
};

class IoPortControlCap : public CapView<CapType::IoPortControl> {
public:
    using CapView::CapView;
    static constexpr IoPortControlCap make() { return IoPortControlCap{Cap::of_type(kind)}; }
};

class IoPortCap : public CapView<CapType::IoPort> {
public:
    using First = Field<0, 16>;
    using Last = Field<16, 16>;
    using CapView::CapView;
    static constexpr IoPortCap make(IoPort first, IoPort last)
    {
        return IoPortCap{Cap::of_type(kind, 0, Last::set(First::set(0, first.raw()), last.raw()))};
    }
    constexpr IoPort first() const { return IoPort{static_cast<uint16_t>(get1<First>())}; }
    constexpr IoPort last() const { return IoPort{static_cast<uint16_t>(get1<Last>())}; }
};

// An AMD SVM VCPU (Tessera-only, abi/svm.h): its 16 KiB object, VMCB first.
class SvmVcpuCap : public CapView<CapType::SvmVcpu> {
public:
    using Object = cap_layout::Object;
    using CapView::CapView;
    static constexpr SvmVcpuCap make(PAddr object) { return SvmVcpuCap{Cap::of_type(kind, Object::set(0, object.raw()))}; }
    constexpr PAddr object() const { return PAddr{get0<Object>()}; }
};

} // namespace tessera::core

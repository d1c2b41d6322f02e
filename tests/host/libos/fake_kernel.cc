// The fake kernel's invocation handling. Each handler checks like seL4's decoder (errors change
// nothing) and then performs the change.
#include "fake_kernel.h"

#include <tessera/abi/invocation_labels.h>

#include <cstring>
#include <sys/mman.h>

namespace fake {

Kernel kernel;

namespace {

seL4_Word reply_mr[seL4_MsgMaxLength];
seL4_Word buffer_mr[seL4_MsgMaxLength];
seL4_CPtr buffer_caps[seL4_MsgMaxExtraCaps];

seL4_Word object_bits(seL4_Word type, seL4_Word size_bits)
{
    switch (type) {
    case seL4_UntypedObject:
        return size_bits;
    case seL4_TCBObject:
        return 11;
    case seL4_EndpointObject:
        return 4;
    case seL4_NotificationObject:
        return 5;
    case seL4_CapTableObject:
        return size_bits + 5;
    case seL4_X86_LargePageObject:
        return 21;
    case seL4_X64_HugePageObject:
        return 30;
    case seL4_X86_4K:
    case seL4_X86_PDPTObject:
    case seL4_X64_PML4Object:
    case seL4_X86_PageTableObject:
    case seL4_X86_PageDirectoryObject:
        return 12;
    default:
        return 0;
    }
}

seL4_Error failed_lookup(seL4_Word bits_left)
{
    reply_mr[0] = 0;
    reply_mr[1] = seL4_MissingCapability;
    reply_mr[2] = bits_left;
    return seL4_FailedLookup;
}

Cap* root_cap(seL4_Word cptr)
{
    auto found = kernel.root.find(cptr);
    return found == kernel.root.end() ? nullptr : &found->second;
}

void delete_cap(seL4_Word cptr)
{
    Cap* cap = root_cap(cptr);
    if (!cap)
        return;
    if (cap->parent) {
        if (Cap* parent = root_cap(cap->parent))
            --parent->children;
    }
    if (cap->type == seL4_X86_4K && cap->mapped)
        kernel.pages.erase({cap->vspace, cap->vaddr});
    // Deleting a paging structure's last capability unmaps it.
    const int level = cap->type == seL4_X86_PDPTObject            ? 3
                      : cap->type == seL4_X86_PageDirectoryObject ? 2
                      : cap->type == seL4_X86_PageTableObject     ? 1
                                                                  : 0;
    if (level && cap->mapped)
        kernel.paging.erase({cap->vspace, level, cap->vaddr >> (12 + 9 * level)});
    kernel.root.erase(cptr);
}

seL4_Error retype(seL4_CPtr service, const Invocation& call)
{
    Cap* untyped = root_cap(service);
    if (!untyped || untyped->type != seL4_UntypedObject)
        return seL4_InvalidCapability;
    const seL4_Word type = call.mr[0], size_bits = call.mr[1], depth = call.mr[3];
    const seL4_Word offset = call.mr[4], count = call.mr[5];
    const seL4_Word bits = object_bits(type, size_bits);
    if (bits == 0 || type >= seL4_ObjectTypeCount)
        return seL4_InvalidArgument;
    if (call.caps[0] != seL4_CapInitThreadCNode || depth != 0)
        return seL4_FailedLookup;
    if (offset + count > (seL4_Word{1} << kernel.root_size_bits))
        return seL4_RangeError;
    for (seL4_Word i = 0; i < count; ++i) {
        if (root_cap(offset + i))
            return seL4_DeleteFirst;
    }
    if (untyped->children == 0)
        untyped->watermark = 0;
    const seL4_Word mask = (seL4_Word{1} << bits) - 1;
    const seL4_Word start = (untyped->watermark + mask) & ~mask;
    if (start + (count << bits) > (seL4_Word{1} << untyped->size_bits)) {
        reply_mr[0] = (seL4_Word{1} << untyped->size_bits) - untyped->watermark;
        return seL4_NotEnoughMemory;
    }
    for (seL4_Word i = 0; i < count; ++i) {
        Cap cap;
        cap.type = type;
        cap.id = kernel.next_id++;
        cap.paddr = untyped->paddr + start + (i << bits);
        cap.size_bits = size_bits;
        cap.device = untyped->device;
        cap.parent = service;
        kernel.root[offset + i] = cap;
        if (type == seL4_X86_4K)
            kernel.frames[cap.id].assign(4096, 0);
    }
    untyped->watermark = start + (count << bits);
    untyped->children += static_cast<unsigned>(count);
    return seL4_NoError;
}

Cap* vspace_cap(seL4_CPtr cptr)
{
    Cap* cap = root_cap(cptr);
    return cap && cap->type == seL4_X64_PML4Object && cap->mapped ? cap : nullptr;
}

// Maps a paging structure at `level` (3 PDPT, 2 PD, 1 PT) after checking the levels above.
seL4_Error map_paging(seL4_CPtr service, seL4_Word type, int level, const Invocation& call)
{
    Cap* table = root_cap(service);
    if (!table || table->type != type)
        return seL4_InvalidCapability;
    if (table->mapped)
        return seL4_InvalidCapability;
    Cap* vspace = vspace_cap(call.caps[0]);
    if (!vspace)
        return seL4_InvalidCapability;
    const seL4_Word vaddr = call.mr[0];
    if (vaddr >= seL4_UserTop)
        return seL4_InvalidArgument;
    for (int above = 3; above > level; --above) {
        const unsigned shift = 12 + 9 * above;
        if (!kernel.paging.count({vspace->id, above, vaddr >> shift}))
            return failed_lookup(shift);
    }
    const unsigned shift = 12 + 9 * level;
    if (kernel.paging.count({vspace->id, level, vaddr >> shift}))
        return seL4_DeleteFirst;
    kernel.paging.insert({vspace->id, level, vaddr >> shift});
    table->mapped = true;
    table->vspace = vspace->id;
    table->vaddr = vaddr >> shift << shift;
    return seL4_NoError;
}

seL4_Error map_page(seL4_CPtr service, const Invocation& call)
{
    Cap* frame = root_cap(service);
    if (!frame || frame->type != seL4_X86_4K || frame->mapped)
        return seL4_InvalidCapability;
    Cap* vspace = vspace_cap(call.caps[0]);
    if (!vspace)
        return seL4_InvalidCapability;
    const seL4_Word vaddr = call.mr[0];
    if (vaddr % 4096)
        return seL4_AlignmentError;
    if (vaddr >= seL4_UserTop)
        return seL4_InvalidArgument;
    for (int level = 3; level >= 1; --level) {
        const unsigned shift = 12 + 9 * level;
        if (!kernel.paging.count({vspace->id, level, vaddr >> shift}))
            return failed_lookup(shift);
    }
    if (kernel.pages.count({vspace->id, vaddr}))
        return seL4_DeleteFirst;
    kernel.pages[{vspace->id, vaddr}] = frame->id;
    frame->mapped = true;
    frame->vspace = vspace->id;
    frame->vaddr = vaddr;
    if (kernel.self_is_host_memory && vspace->id == root_vspace()) {
        std::memcpy(reinterpret_cast<void*>(vaddr), kernel.frames[frame->id].data(), 4096);
    }
    return seL4_NoError;
}

seL4_Error unmap_page(seL4_CPtr service)
{
    Cap* frame = root_cap(service);
    if (!frame || frame->type != seL4_X86_4K)
        return seL4_InvalidCapability;
    if (!frame->mapped)
        return seL4_NoError;
    if (kernel.self_is_host_memory && frame->vspace == root_vspace()) {
        std::memcpy(kernel.frames[frame->id].data(), reinterpret_cast<void*>(frame->vaddr), 4096);
    }
    kernel.pages.erase({frame->vspace, frame->vaddr});
    frame->mapped = false;
    return seL4_NoError;
}

seL4_Error copy_cap(seL4_CPtr service, const Invocation& call, bool mint)
{
    Cap* destination_cnode = root_cap(service);
    if (!destination_cnode || destination_cnode->type != seL4_CapTableObject)
        return seL4_InvalidCapability;
    if (call.caps[0] != seL4_CapInitThreadCNode)
        return seL4_FailedLookup;
    Cap* source = root_cap(call.mr[2]);
    if (!source)
        return failed_lookup(64);
    Cap copy = *source;
    copy.parent = 0;
    copy.children = 0;
    if (mint)
        copy.badge = call.mr[5];
    if (service == seL4_CapInitThreadCNode) {
        if (root_cap(call.mr[0]))
            return seL4_DeleteFirst;
        kernel.root[call.mr[0]] = copy;
    } else {
        auto key = std::make_pair(destination_cnode->id, call.mr[0]);
        if (kernel.other_cnodes.count(key))
            return seL4_DeleteFirst;
        kernel.other_cnodes[key] = copy;
    }
    return seL4_NoError;
}

Tcb* tcb(seL4_CPtr service)
{
    Cap* cap = root_cap(service);
    if (!cap || cap->type != seL4_TCBObject)
        return nullptr;
    return &kernel.tcbs[cap->id];
}

seL4_Error handle(seL4_CPtr service, const Invocation& call)
{
    switch (call.label) {
    case UntypedRetype:
        return retype(service, call);
    case CNodeDelete:
        if (service != seL4_CapInitThreadCNode)
            return seL4_InvalidCapability;
        delete_cap(call.mr[0]);
        return seL4_NoError;
    case CNodeCopy:
        return copy_cap(service, call, false);
    case CNodeMint:
        return copy_cap(service, call, true);
    case X86PDPTMap:
        return map_paging(service, seL4_X86_PDPTObject, 3, call);
    case X86PageDirectoryMap:
        return map_paging(service, seL4_X86_PageDirectoryObject, 2, call);
    case X86PageTableMap:
        return map_paging(service, seL4_X86_PageTableObject, 1, call);
    case X86PageMap:
        return map_page(service, call);
    case X86PageUnmap:
        return unmap_page(service);
    case X86ASIDPoolAssign: {
        Cap* pool = root_cap(service);
        Cap* vspace = root_cap(call.caps[0]);
        if (!pool || pool->type != AsidPool)
            return seL4_InvalidCapability;
        if (!vspace || vspace->type != seL4_X64_PML4Object || vspace->mapped)
            return seL4_InvalidCapability;
        vspace->mapped = true;
        return seL4_NoError;
    }
    case TCBConfigure: {
        Tcb* t = tcb(service);
        if (!t)
            return seL4_InvalidCapability;
        *t =
            Tcb{true, call.mr[0], call.caps[0], call.mr[1], call.caps[1], call.mr[3], call.caps[2]};
        return seL4_NoError;
    }
    case TCBSetPriority: {
        Tcb* t = tcb(service);
        if (!t)
            return seL4_InvalidCapability;
        t->priority = call.mr[0];
        return seL4_NoError;
    }
    case TCBWriteRegisters: {
        Tcb* t = tcb(service);
        if (!t)
            return seL4_InvalidCapability;
        const seL4_Word count = call.mr[1];
        seL4_Word words[sizeof(seL4_UserContext) / sizeof(seL4_Word)] = {};
        for (seL4_Word i = 0; i < count && i < 20; ++i)
            words[i] = call.mr[2 + i];
        std::memcpy(&t->regs, words, sizeof words);
        if (call.mr[0] & 1)
            t->resumed = true;
        return seL4_NoError;
    }
    case TCBResume:
        if (Tcb* t = tcb(service))
            return t->resumed = true, seL4_NoError;
        return seL4_InvalidCapability;
    case TCBSuspend:
        if (Tcb* t = tcb(service))
            return t->suspended = true, seL4_NoError;
        return seL4_InvalidCapability;
    case TCBSetTLSBase:
        if (Tcb* t = tcb(service))
            return t->tls_base = call.mr[0], seL4_NoError;
        return seL4_InvalidCapability;
    default:
        return seL4_IllegalOperation;
    }
}

} // namespace

unsigned Kernel::count(seL4_Word label) const
{
    unsigned n = 0;
    for (const auto& call : log)
        n += call.label == label;
    return n;
}

const Cap* Kernel::slot(seL4_Word cptr) const
{
    auto found = root.find(cptr);
    return found == root.end() ? nullptr : &found->second;
}

std::vector<uint8_t> Kernel::page_bytes(uint64_t vspace, seL4_Word vaddr) const
{
    auto page = pages.find({vspace, vaddr & ~seL4_Word{4095}});
    if (page == pages.end())
        return {};
    return frames.at(page->second);
}

uint64_t root_vspace()
{
    return kernel.root.at(seL4_CapInitThreadVSpace).id;
}

void reset()
{
    kernel = Kernel{};
    kernel.root[seL4_CapInitThreadTCB] = Cap{seL4_TCBObject, 1};
    Cap cnode{seL4_CapTableObject, 2};
    cnode.size_bits = kernel.root_size_bits;
    kernel.root[seL4_CapInitThreadCNode] = cnode;
    Cap vspace{seL4_X64_PML4Object, 3};
    vspace.mapped = true;
    kernel.root[seL4_CapInitThreadVSpace] = vspace;
    kernel.root[seL4_CapInitThreadASIDPool] = Cap{AsidPool, 6};
}

void add_untyped(seL4_Word slot, seL4_Word paddr, seL4_Word size_bits, bool device)
{
    Cap cap{seL4_UntypedObject, kernel.next_id++, paddr, size_bits, device};
    kernel.root[slot] = cap;
}

HostRange::HostRange(seL4_Word base, seL4_Word bytes) : base_(base), bytes_(bytes)
{
    void* at = mmap(reinterpret_cast<void*>(base), bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    ok_ = at == reinterpret_cast<void*>(base);
    if (at != MAP_FAILED && !ok_)
        munmap(at, bytes); // an old kernel took the address as a hint only
}

HostRange::~HostRange()
{
    if (ok_)
        munmap(reinterpret_cast<void*>(base_), bytes_);
}

} // namespace fake

extern "C" {

void seL4_SetMR(int i, seL4_Word value)
{
    fake::buffer_mr[i] = value;
}

seL4_Word seL4_GetMR(int i)
{
    return fake::buffer_mr[i];
}

void seL4_SetCap(int i, seL4_CPtr cap)
{
    fake::buffer_caps[i] = cap;
}

// Like libsel4's x86_64 seL4_CallWithMRs: MR0..MR3 travel through the pointers, the rest
// through the IPC buffer, in both directions.
seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t info, seL4_Word* mr0,
                                    seL4_Word* mr1, seL4_Word* mr2, seL4_Word* mr3)
{
    using namespace fake;
    seL4_Word* registers[4] = {mr0, mr1, mr2, mr3};
    Invocation call{dest, seL4_MessageInfo_get_label(info), {}, {}};
    const seL4_Word length = seL4_MessageInfo_get_length(info);
    for (seL4_Word i = 0; i < length; ++i)
        call.mr.push_back(i < 4 ? (registers[i] ? *registers[i] : 0) : buffer_mr[i]);
    call.mr.resize(seL4_MsgMaxLength, 0);
    for (seL4_Word i = 0; i < seL4_MessageInfo_get_extraCaps(info); ++i)
        call.caps.push_back(buffer_caps[i]);
    call.caps.resize(seL4_MsgMaxExtraCaps, 0);
    kernel.log.push_back(call);
    for (auto& word : reply_mr)
        word = 0;
    seL4_Error error = seL4_NoError;
    auto injected = kernel.fail_label.find(call.label);
    if (injected != kernel.fail_label.end()) {
        error = injected->second;
        kernel.fail_label.erase(injected);
    } else {
        error = handle(dest, call);
    }
    for (int i = 0; i < 4; ++i)
        if (registers[i])
            *registers[i] = reply_mr[i];
    for (unsigned i = 4; i < seL4_MsgMaxLength; ++i)
        buffer_mr[i] = reply_mr[i];
    return seL4_MessageInfo_new(error, 0, 0, error == seL4_NoError ? 0 : 3);
}

void seL4_Signal(seL4_CPtr notification)
{
    fake::kernel.signals.push_back(notification);
}

void seL4_Wait(seL4_CPtr notification, seL4_Word* sender)
{
    fake::kernel.signals.push_back(~notification);
    if (sender)
        *sender = 0;
}

void seL4_SetIPCBuffer(seL4_IPCBuffer*) {}
}

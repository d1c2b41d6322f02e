// Children as processes: each one's kernel objects come only from chunks its ledger took, so
// stopping it frees exactly those chunks and the manager's RAM returns to where it was.
#include "component/children.h"
#include "component/child_slots.h"
#include "component/control.h"
#include "component/manager_session.h"

#include <new>
#include <stdio.h>
#include <string.h>

#include <microkit.h>
#include <tessera/libos/kernel_calls.h>
#include <tessera/pci/config.h>
#include <tessera/pci_device_info.h>
#include <tessera/virtio/layout.h>
#include <tessera/virtio/pci_transport.h>

namespace tessera::manager {
namespace {

namespace mc = manager_config;
using alloc::Object;
using libos::check;
using libos::CPtr;
using libos::make_error;
using libos::raw;
using libos::SizeBits;
using libos::VAddr;

// 64 KiB: the least RAM a child may have, so every child owns at least one chunk.
constexpr seL4_Word ChunkBits = 16;
// The manager's window onto a frame it fills, and the range its own VSpace manages.
constexpr VAddr OwnBottom{0x500000000000};
constexpr VAddr OwnTop{0x500000200000};
// A child's CSpace: 256 slots are plenty for a process with a handful of routes.
constexpr SizeBits ChildCNodeBits{8};
constexpr seL4_Word ChildStackPages = 4;
// A child from a template is a Microkit PD: its CSpace has the 2^10 slots its Microkit slots need
// (up to 458 + 63), and its stack is the template PD's stack_size (the directory's
// template_stack_pages), which is what `tessera check` placed the template's maps below. A
// directory without it gets Microkit's default 0x2000 bytes.
constexpr SizeBits TemplateCNodeBits{10};
constexpr seL4_Word DefaultTemplateStackPages = 2;
// The template's frames and notification a child holds copies of, in the manager's CSpace.
constexpr size_t MaxBorrowed = 64;
// A child that runs a manager: its stack is a manager PD's (its reports are built on it), and its
// nested configuration is kept in one of a few buffers for its restarts.
constexpr seL4_Word ManagerStackPages = 16;
constexpr size_t MaxNestedManagers = 4;
constexpr size_t MaxNestedText = 4096;
// Fault badges: a static child PD's carry its Microkit child id (below 128, `tessera check`);
// a process child's carry this bit and its index, so the two never meet.
constexpr seL4_Word ProcessFaultBit = 0x80;

uint64_t read_tsc()
{
    uint32_t low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (uint64_t{high} << 32) | low;
}

// While a child is built: the manager's slot allocator hands out no more than the child's caps
// quota (alloc::SlotAllocator::keep_free), lifted on every way out.
class SlotBudget {
public:
    SlotBudget(alloc::SlotAllocator& slots, uint64_t quota) : slots_(slots)
    {
        // A quota of all the manager's free slots or more leaves only the region's end.
        const seL4_Word available = slots.available();
        slots.keep_free(quota < available ? available - quota : 0);
    }
    ~SlotBudget() { lift(); }
    void lift() { slots_.keep_free(0); }
    SlotBudget(const SlotBudget&) = delete;
    SlotBudget& operator=(const SlotBudget&) = delete;

private:
    alloc::SlotAllocator& slots_;
};

// A start that ran out of slots says why: the child's quota, or the manager's own slots.
const char* over_quota(const libos::Error& error, const char* otherwise)
{
    if (error.code != seL4_NotEnoughMemory || error.what == nullptr)
        return otherwise;
    if (strcmp(error.what, alloc::SlotBudgetSpent) == 0)
        return "over its caps quota";
    if (strncmp(error.what, "slots:", 6) == 0)
        return "the manager's capability slots are used up";
    return otherwise;
}

template <typename T> struct Storage {
    alignas(T) unsigned char bytes[sizeof(T)];
    template <typename... A> T* make(A&&... args) { return new (bytes) T(static_cast<A&&>(args)...); }
};

} // namespace

struct Children::Slot {
    bool live = false; // a process exists
    bool known = false; // started by the running configuration (status lists it)
    mc::Name name;
    mc::Name binary;
    uint32_t priority = 0;
    uint64_t ram = 0, caps = 0;
    ChildState state = ChildState::Stopped;
    Storage<ChildLedger> ledger_storage;
    Storage<alloc::UntypedAllocator> untypeds_storage;
    Storage<alloc::ObjectAllocator> objects_storage;
    Storage<vspace::VSpace> target_storage;
    Storage<Supervisor> supervisor_storage;
    ChildLedger* ledger = nullptr;
    alloc::UntypedAllocator* untypeds = nullptr;
    alloc::ObjectAllocator* objects = nullptr;
    vspace::VSpace* target = nullptr;
    Supervisor* supervisor = nullptr;
    size_t map_first = 0, map_count = 0; // its range of mapping_pool while it lives
    Object root;
    elf::Process process;
    Object service;          // its endpoint, when it provides services
    Object heartbeat;        // its heartbeat notification, when it has a <heartbeat>
    mc::Heartbeat beats;
    uint64_t started_at = 0; // TSC when its latest start began
    uint64_t restart_at = 0; // ms on the clock, while `waiting`
    mc::Route routes[mc::MaxRoutes];
    size_t route_count = 0;
    // The sessions it asked for while it runs, by slot (child_slots.h): the route each took and
    // the label it gave, which the route's server may ask for.
    struct Session {
        bool open = false;
        uint8_t route = 0;
        mc::Name label;
    };
    Session sessions[MANAGER_CHILD_SESSION_COUNT];
    bool provides = false;
    // A static child protection domain (<child pd=...>): its objects are the description's; the
    // manager stops it (suspends its thread) and starts it again from its entry point.
    bool is_static = false;
    microkit_child pd_id = 0;
    uint64_t entry = 0;
    // A child from a template (spec.h, TESSERA_TEMPLATE_*): its index, and the copies of the
    // template's capabilities the manager made for it (deleted when it stops).
    int template_index = -1;
    CPtr borrowed[MaxBorrowed];
    size_t borrowed_count = 0;
    // A child that runs a manager: its nested <manager> element (in nested_texts), the chunks of
    // its quota handed to it whole as its RAM, its CNode's size and its input endpoint.
    bool runs_manager = false;
    int nested_buffer = -1;
    size_t nested_length = 0;
    uint32_t handed[mc::MaxNestedChunks];
    size_t handed_count = 0;
    uint32_t manager_cnode_bits = 0;
    Object input;
};

namespace {
Children::Slot slots_table[mc::MaxChildren];
Storage<ChunkPool> pool_storage;
Storage<alloc::UntypedAllocator> own_untypeds_storage;
Storage<alloc::ObjectAllocator> own_objects_storage;
Storage<vspace::VSpace> self_storage;
vspace::Mapping own_mappings[4];
// The records of the pages mapped in children, a range per live child sized by its RAM quota:
// one array for all, so that the manager's own memory does not grow with the largest child it
// could start (a nested manager runs this same program).
vspace::Mapping mapping_pool[MappingPoolPages];
// The loader started every static PD at boot; the first start of one finds it running already.
bool static_pd_stopped_once[ProcessFaultBit];
char nested_texts[MaxNestedManagers][MaxNestedText];
mc::Diagnostics nested_diagnostics; // large for the stack: a nested configuration read again
} // namespace

bool Children::init(const Resources& resources)
{
    resources_ = resources;
    const tessera_manager_directory& d = *resources.directory;
    if (memcmp(d.magic, TESSERA_MANAGER_DIRECTORY_MAGIC, sizeof d.magic) != 0 ||
        d.cnode_bits > TESSERA_MANAGER_MAX_CNODE_BITS || d.untyped_count > TESSERA_MANAGER_MAX_UNTYPEDS) {
        printf("manager: no valid directory at %#lx\n", (unsigned long)TESSERA_MANAGER_DIRECTORY_VADDR);
        return false;
    }
    seL4_SlotRegion free_slots{TESSERA_MANAGER_SLOT_FREE, seL4_Word{1} << d.cnode_bits};
    if (!slots_.init(resources.cnode, free_slots)) {
        printf("manager: no free slots\n");
        return false;
    }
    own_untypeds_ = own_untypeds_storage.make(slots_);
    own_objects_ = own_objects_storage.make(slots_, *own_untypeds_);

    // Untypeds at least a chunk big become chunks; the smaller ones are the manager's own.
    size_t chunks = 0;
    for (uint32_t u = 0; u < d.untyped_count; ++u)
        if (d.untyped_bits[u] >= ChunkBits)
            chunks += size_t{1} << (d.untyped_bits[u] - ChunkBits);
    // One chunk goes to the manager's own paging structures when no small untyped is there.
    if (chunks > MaxChunks + 1)
        chunks = MaxChunks + 1;
    size_t made = 0;
    bool own_memory = false;
    for (uint32_t u = 0; u < d.untyped_count; ++u) {
        const CPtr untyped{TESSERA_MANAGER_SLOT_UNTYPED_BASE + u};
        if (d.untyped_bits[u] < ChunkBits) {
            own_memory = own_memory || static_cast<bool>(own_untypeds_->add(
                                           untyped, libos::PAddr{0}, SizeBits{d.untyped_bits[u]},
                                           alloc::Memory::Ram));
            continue;
        }
        const size_t count = size_t{1} << (d.untyped_bits[u] - ChunkBits);
        for (size_t c = 0; c < count && made < chunks; ++c) {
            auto slot = slots_.allocate();
            if (!slot)
                return false;
            auto split = check(seL4_Untyped_Retype(raw(untyped), seL4_UntypedObject, ChunkBits,
                                                   raw(resources.cnode), 0, 0, raw(slot.value()), 1),
                               "manager: split RAM into chunks");
            if (!split) {
                printf("manager: splitting RAM failed (%d)\n", int(split.error().code));
                return false;
            }
            if (!own_memory) {
                own_memory = static_cast<bool>(own_untypeds_->add(slot.value(), libos::PAddr{0},
                                                                  SizeBits{ChunkBits}, alloc::Memory::Ram));
                continue;
            }
            chunk_caps_[made++] = slot.value();
        }
    }
    pool_ = pool_storage.make(made, SizeBits{ChunkBits});
    self_ = self_storage.make(*own_objects_, resources.vspace, OwnBottom, OwnTop, own_mappings, 4u);
    auto window = self_->reserve(1);
    if (!window) {
        printf("manager: no window\n");
        return false;
    }
    window_ = window.value().base;
    // The window's paging structures are made now, from the manager's own memory, so that the
    // first child's start does not pay slots for them.
    auto opened = self_->map_new_pages(window_, 1, seL4_ReadWrite);
    if (!opened || !self_->unmap(window_, 1)) {
        printf("manager: no paging structures for its window\n");
        return false;
    }
    return true;
}

Children::Slot* Children::find(mc::Text name)
{
    for (Slot& slot : slots_table)
        if ((slot.live || slot.known) && slot.name == name)
            return &slot;
    return nullptr;
}

const Children::Slot* Children::find(mc::Text name) const
{
    for (const Slot& slot : slots_table)
        if ((slot.live || slot.known) && slot.name == name)
            return &slot;
    return nullptr;
}

libos::Result<void> Children::start(const mc::Child& child, const mc::Config&)
{
    Slot* slot = find(child.name.text());
    if (slot == nullptr)
        for (Slot& free : slots_table)
            if (!free.live && !free.known) {
                slot = &free;
                break;
            }
    if (slot == nullptr || slot->live)
        return make_error(seL4_NotEnoughMemory, "manager: no child slot");
    slot->known = true;
    slot->name = child.name;
    slot->binary = child.is_static() ? child.pd : child.binary;
    slot->is_static = child.is_static();
    slot->priority = child.priority;
    slot->ram = raw(child.ram);
    slot->caps = raw(child.caps);
    slot->route_count = child.route_count;
    for (size_t r = 0; r < child.route_count; ++r)
        slot->routes[r] = child.routes[r];
    slot->provides = child.provides_count != 0;
    slot->beats = child.heartbeat;
    slot->supervisor = slot->supervisor_storage.make(child.restart, child.heartbeat);
    // A template's program is a Microkit PD: its channels are the template's, and its resources
    // (an IRQ handler, a notification) serve one thread at a time. A device is a template's
    // resources given to the child that names it, whatever its program; a template that is a
    // device gives nothing to a child that does not name it.
    slot->template_index = slot->is_static ? -1 : template_of(file(*slot));
    const char* refused = nullptr;
    if (!slot->is_static && child.device_count != 0) {
        slot->template_index = device_template(child.devices[0].text());
        if (slot->template_index < 0 || child.device_count > 1)
            refused = "the manager holds no such device to give it";
    } else if (slot->template_index >= 0 &&
               resources_.directory->template_devices[slot->template_index][0] != '\0') {
        refused = "its program's template is a device it does not name";
    }
    if (refused != nullptr) {
        slot->state = ChildState::Failed;
        return make_error(seL4_IllegalOperation, refused);
    }
    if (slot->template_index >= 0) {
        if (slot->route_count != 0 || slot->provides || slot->beats.enabled)
            refused = "a child from a template has its template's channels, not routes, services "
                      "or a heartbeat";
        for (const Slot& other : slots_table)
            if (&other != slot && other.known && other.template_index == slot->template_index)
                refused = child.device_count != 0 ? "another child holds its device"
                                                  : "another child holds its template's resources";
        if (refused != nullptr) {
            slot->state = ChildState::Failed;
            return make_error(seL4_IllegalOperation, refused);
        }
    }
    slot->runs_manager = child.manager.present;
    if (slot->runs_manager) {
        auto kept = keep_nested_text(*slot, child);
        if (!kept) {
            slot->state = ChildState::Failed;
            return kept;
        }
    }
    auto built = build(*slot, child);
    // A failure's reason goes into the load report (`failed NAME: REASON`).
    slot->state = built ? ChildState::Running : ChildState::Failed;
    return built;
}

const tessera_manager_file* Children::file(const Slot& slot) const
{
    const tessera_manager_directory& d = *resources_.directory;
    for (uint32_t f = 0; f < d.file_count && f < TESSERA_MANAGER_MAX_FILES; ++f)
        if ((d.files[f].static_pd != 0) == slot.is_static &&
            strncmp(d.files[f].name, slot.binary.c_str(), sizeof d.files[f].name) == 0)
            return &d.files[f];
    return nullptr;
}

int Children::device_template(mc::Text device) const
{
    const tessera_manager_directory& d = *resources_.directory;
    for (uint32_t t = 0; t < d.template_count && t < TESSERA_MANAGER_MAX_TEMPLATES; ++t)
        if (d.template_devices[t][0] != '\0' &&
            strncmp(d.template_devices[t], device.data, TESSERA_IMAGE_NAME_BYTES) == 0 &&
            device.length < TESSERA_IMAGE_NAME_BYTES && d.template_devices[t][device.length] == '\0')
            return int(t);
    return -1;
}

// The template frame a child from template t has mapped at `vaddr` (a FRAMES run of its table):
// its slot in the template's CNode, or 0.
seL4_Word Children::template_frame(int t, uint64_t vaddr) const
{
    const tessera_manager_directory& d = *resources_.directory;
    const auto* table = reinterpret_cast<const tessera_manager_template_cap*>(
        reinterpret_cast<const uint8_t*>(&d) + d.template_caps_offset);
    for (uint32_t e = 0; e < d.template_cap_count; ++e) {
        const tessera_manager_template_cap& cap = table[e];
        if (cap.template_index == uint32_t(t) && cap.kind == TESSERA_TEMPLATE_CAP_FRAMES &&
            vaddr >= cap.vaddr && vaddr < cap.vaddr + uint64_t{cap.count} * libos::PageSize)
            return cap.slot + (vaddr - cap.vaddr) / libos::PageSize;
    }
    return 0;
}

// One template frame opened in the manager's window (uncached unless `cached`) while `use` runs
// on its bytes; the copy that maps it is dropped after.
template <class Use>
libos::Result<void> Children::with_template_frame(Slot& slot, seL4_Word frame_slot, bool cached, Use use)
{
    if (frame_slot == 0)
        return make_error(seL4_FailedLookup, "its device's page is not among its template's frames");
    const seL4_Word templates = TESSERA_MANAGER_SLOT_TEMPLATE_BASE + seL4_Word(slot.template_index);
    auto copy = borrow(slot, templates, frame_slot);
    if (!copy)
        return copy.error();
    Object frame{};
    frame.cap = copy.value();
    frame.type = seL4_X86_4K;
    auto opened = self_->map(frame, window_, seL4_ReadWrite, vspace::Ownership::Borrowed,
                             cached ? seL4_X86_Default_VMAttributes : seL4_X86_CacheDisabled);
    if (!opened) {
        drop_last_borrowed(slot);
        return opened;
    }
    use(reinterpret_cast<volatile uint8_t*>(window_.raw()));
    auto closed = self_->unmap(window_, 1);
    drop_last_borrowed(slot);
    return closed;
}

// A virtio device's reset before a child it is given starts (Virtio 1.1, 4.1.4.3.1: device_status
// written 0, then read until 0), so that a restarted driver never finds the queues and status its
// faulted instance left: the device's registers are found as its driver finds them, from the
// configuration space its PCI info page holds.
libos::Result<void> Children::reset_device(Slot& slot)
{
    const tessera_manager_directory& d = *resources_.directory;
    const int t = slot.template_index;
    if (d.template_device_reset[t] != TESSERA_DEVICE_RESET_VIRTIO)
        return {};
    static tessera_pci_device_info info;
    const uint64_t info_vaddr = d.template_device_info[t];
    auto read = with_template_frame(slot, template_frame(t, info_vaddr), true, [&](volatile uint8_t* page) {
        memcpy(&info, const_cast<const uint8_t*>(page), sizeof info);
    });
    if (!read)
        return read;
    const pci::SnapshotConfig config(info.config, sizeof info.config);
    auto layout = virtio::read_pci_layout(config);
    const virtio::Window common = layout ? layout.value().common : virtio::Window{};
    if (info.magic != TESSERA_PCI_INFO_MAGIC || !common.present || common.bar > 5 ||
        info.bars[common.bar].vaddr == 0 || uint64_t{common.offset} + common.length > info.bars[common.bar].mapped)
        return make_error(seL4_FailedLookup, "its device's virtio registers are not where it maps them");
    const uint64_t at = info.bars[common.bar].vaddr + common.offset;
    const uint64_t in_page = at % libos::PageSize;
    if (in_page + virtio::common::DeviceStatus >= libos::PageSize)
        return make_error(seL4_FailedLookup, "its device's status register is not in one page");
    uint8_t found = 0, now = 0xff;
    auto reset = with_template_frame(slot, template_frame(t, at - in_page), false, [&](volatile uint8_t* page) {
        volatile uint8_t* status = page + in_page + virtio::common::DeviceStatus;
        found = *status;
        *status = 0;
        for (unsigned poll = 0; poll < 1000000 && (now = *status) != 0; ++poll) {
        }
    });
    if (!reset)
        return reset;
    if (now != 0)
        return make_error(seL4_IllegalOperation, "its device does not finish its reset");
    printf("manager: device %s (virtio) reset from status 0x%02x for %s\n", d.template_devices[t], found,
           slot.name.c_str());
    return {};
}

int Children::template_of(const tessera_manager_file* file) const
{
    const tessera_manager_directory& d = *resources_.directory;
    for (uint32_t t = 0; file != nullptr && t < d.template_count && t < TESSERA_MANAGER_MAX_TEMPLATES; ++t)
        if (file == &d.files[d.template_files[t]])
            return int(t);
    return -1;
}

// A copy of the capability at `from_slot` of the CNode `from_cnode` (a cptr of the manager's,
// resolving 64-bit cptrs) in a slot of the manager's, held for the child until it stops.
libos::Result<CPtr> Children::borrow(Slot& slot, seL4_Word from_cnode, seL4_Word from_slot)
{
    if (slot.borrowed_count == MaxBorrowed)
        return make_error(seL4_NotEnoughMemory, "its template gives it more than the manager can hold");
    auto copy = slots_.allocate();
    if (!copy)
        return copy.error();
    const seL4_Error copied = seL4_CNode_Copy(raw(resources_.cnode), raw(copy.value()), seL4_WordBits,
                                              from_cnode, from_slot, seL4_WordBits, seL4_AllRights);
    if (copied != seL4_NoError) {
        (void)slots_.free(copy.value());
        return make_error(copied, "its template's capability could not be copied");
    }
    slot.borrowed[slot.borrowed_count++] = copy.value();
    return copy.value();
}

// What the description's `setvar region_paddr` says: the physical address of a template frame,
// written into the child's loaded program (one of its own pages, opened in the manager's window).
libos::Result<void> Children::write_paddr(Slot& slot, seL4_Word frame_slot, uint64_t vaddr)
{
    const seL4_Word templates = TESSERA_MANAGER_SLOT_TEMPLATE_BASE + seL4_Word(slot.template_index);
    auto frame = borrow(slot, templates, frame_slot);
    if (!frame)
        return frame.error();
    const seL4_X86_Page_GetAddress_t address = seL4_X86_Page_GetAddress(raw(frame.value()));
    drop_last_borrowed(slot);
    if (address.error != seL4_NoError)
        return make_error(seL4_Error(address.error), "a template frame's physical address is unknown");
    const VAddr page{vaddr & ~seL4_Word{libos::PageSize - 1}};
    const vspace::Mapping* mapping = slot.target->lookup(page);
    if (mapping == nullptr || (vaddr & 7) != 0 || mapping->ownership != vspace::Ownership::Owned)
        return make_error(seL4_InvalidArgument, "a physical address's variable is not in its program");
    // The page is mapped in the child: the window maps another capability to it.
    auto view = borrow(slot, raw(resources_.cnode), raw(mapping->frame.cap));
    if (!view)
        return view.error();
    Object window_frame = mapping->frame;
    window_frame.cap = view.value();
    auto opened = self_->map(window_frame, window_, seL4_ReadWrite, vspace::Ownership::Borrowed);
    if (!opened)
        return opened;
    memcpy(reinterpret_cast<uint8_t*>(window_.raw()) + (vaddr - page.raw()), &address.paddr,
           sizeof address.paddr);
    auto closed = self_->unmap(window_, 1);
    drop_last_borrowed(slot);
    return closed;
}

void Children::drop_last_borrowed(Slot& slot)
{
    const CPtr copy = slot.borrowed[--slot.borrowed_count];
    (void)seL4_CNode_Delete(raw(resources_.cnode), raw(copy), seL4_WordBits);
    (void)slots_.free(copy);
}

// Everything the template's table gives a child from template t, into its CSpace and address
// space, and the template's notification bound to its thread. Frames and the notification are
// copies the manager holds (a frame capability maps once); slots copied into the child's CNode
// go with it.
libos::Result<void> Children::give_template(Slot& slot)
{
    const tessera_manager_directory& d = *resources_.directory;
    const auto* table = reinterpret_cast<const tessera_manager_template_cap*>(
        reinterpret_cast<const uint8_t*>(&d) + d.template_caps_offset);
    const seL4_Word templates = TESSERA_MANAGER_SLOT_TEMPLATE_BASE + seL4_Word(slot.template_index);
    const seL4_Word cnode = raw(slot.process.cnode.cap);
    const auto depth = static_cast<seL4_Uint8>(raw(TemplateCNodeBits));
    const seL4_Word child_slots = seL4_Word{1} << raw(TemplateCNodeBits);
    for (uint32_t e = 0; e < d.template_cap_count; ++e) {
        const tessera_manager_template_cap& cap = table[e];
        if (cap.template_index != uint32_t(slot.template_index))
            continue;
        if (cap.kind == TESSERA_TEMPLATE_CAP_CAPS) {
            if (cap.slot + uint64_t{cap.count} > child_slots || cap.slot == elf::MicrokitFaultEndpointSlot)
                return make_error(seL4_RangeError, "its template names a slot it cannot have");
            for (uint32_t c = 0; c < cap.count; ++c)
                if (seL4_Error copied = seL4_CNode_Copy(cnode, cap.slot + c, depth, templates, cap.slot + c,
                                                        seL4_WordBits, seL4_AllRights);
                    copied != seL4_NoError)
                    return make_error(copied, "its template's capability could not be given to it");
        } else if (cap.kind == TESSERA_TEMPLATE_CAP_FRAMES) {
            if (((cap.flags >> 8) & 0xff) != seL4_PageBits)
                return make_error(seL4_InvalidArgument, "its template maps large pages, which the "
                                                        "manager does not hand on");
            auto range = slot.target->reserve_at(VAddr{cap.vaddr}, cap.count);
            if (!range)
                return make_error(range.error().code, "its template's maps overlap its program");
            const seL4_CapRights_t rights = seL4_CapRights_new(0, 0, (cap.rights & TESSERA_RIGHT_READ) != 0,
                                                               (cap.rights & TESSERA_RIGHT_WRITE) != 0);
            const seL4_X86_VMAttributes attributes =
                cap.flags & TESSERA_MAP_CACHED ? seL4_X86_Default_VMAttributes : seL4_X86_CacheDisabled;
            for (uint32_t p = 0; p < cap.count; ++p) {
                auto frame = borrow(slot, templates, cap.slot + p);
                if (!frame)
                    return frame.error();
                Object page{};
                page.cap = frame.value();
                page.type = seL4_X86_4K;
                auto mapped = slot.target->map(page, VAddr{cap.vaddr + p * libos::PageSize}, rights,
                                               vspace::Ownership::Borrowed, attributes);
                if (!mapped)
                    return make_error(mapped.error().code,
                                      over_quota(mapped.error(), "its template's frames could not be mapped"));
            }
        } else if (cap.kind == TESSERA_TEMPLATE_CAP_PADDR) {
            auto written = write_paddr(slot, cap.slot, cap.vaddr);
            if (!written)
                return written;
        } else {
            return make_error(seL4_InvalidArgument, "its template's table has an unknown entry");
        }
    }
    auto notification = borrow(slot, templates, TESSERA_TEMPLATE_SLOT_NOTIFICATION);
    if (!notification)
        return notification.error();
    return check(seL4_TCB_BindNotification(raw(slot.process.tcb.cap), raw(notification.value())),
                 "its template's notification could not be bound to it");
}

// A child that runs a manager keeps its nested <manager> element: the text it was loaded from is
// gone by its restarts.
libos::Result<void> Children::keep_nested_text(Slot& slot, const mc::Child& child)
{
    const mc::Nested& nested = child.manager;
    if (uint64_t{nested.offset} + nested.length > source_.length)
        return make_error(seL4_InvalidArgument, "its nested configuration is not in the text loaded");
    if (nested.length > MaxNestedText)
        return make_error(seL4_NotEnoughMemory, "its nested configuration is longer than the manager "
                                                "keeps (4096 bytes)");
    if (slot.nested_buffer < 0) {
        bool used[MaxNestedManagers] = {};
        for (const Slot& other : slots_table)
            if (other.nested_buffer >= 0)
                used[other.nested_buffer] = true;
        for (size_t b = 0; b < MaxNestedManagers && slot.nested_buffer < 0; ++b)
            if (!used[b])
                slot.nested_buffer = int(b);
        if (slot.nested_buffer < 0)
            return make_error(seL4_NotEnoughMemory, "the manager runs as many nested managers as it can (4)");
    }
    memcpy(nested_texts[slot.nested_buffer], source_.data + nested.offset, nested.length);
    slot.nested_length = nested.length;
    return {};
}

const tessera_manager_file* Children::packed_file(mc::Text name) const
{
    const tessera_manager_directory& d = *resources_.directory;
    for (uint32_t f = 0; f < d.file_count && f < TESSERA_MANAGER_MAX_FILES; ++f)
        if (d.files[f].static_pd == 0 && template_of(&d.files[f]) < 0 && name == mc::Text{d.files[f].name})
            return &d.files[f];
    return nullptr;
}

// What a manager PD gets from `tessera build` (spec.h, TESSERA_MANAGER_SLOT_*), made by this
// manager from the child's quota: an endpoint for its children's faults, its own CNode (guarded
// to resolve 64-bit cptrs), address space and TCB (its children's priorities are at most its
// own), the shared ASID pool, its RAM as whole chunks of the child's; its child's routes as its
// channels; and its directory.
libos::Result<void> Children::give_manager(Slot& slot)
{
    const seL4_Word cnode = raw(slot.process.cnode.cap);
    const seL4_Word bits = slot.manager_cnode_bits;
    const auto depth = static_cast<seL4_Uint8>(bits);
    const seL4_Word root = raw(resources_.cnode);
    auto endpoint = slot.objects->endpoint();
    if (!endpoint)
        return make_error(endpoint.error().code,
                          over_quota(endpoint.error(), "no memory in its quota for its endpoint"));
    slot.input = endpoint.value();
    const seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - bits).words[0];
    seL4_Error done = seL4_CNode_Mint(cnode, TESSERA_MANAGER_SLOT_CNODE, depth, root, cnode, seL4_WordBits,
                                      seL4_AllRights, guard);
    const seL4_Word copies[][2] = {{TESSERA_PD_SLOT_INPUT, raw(slot.input.cap)},
                                   {TESSERA_MANAGER_SLOT_VSPACE, raw(slot.root.cap)},
                                   {TESSERA_MANAGER_SLOT_TCB, raw(slot.process.tcb.cap)},
                                   {TESSERA_MANAGER_SLOT_ASID_POOL, raw(resources_.asid_pool)}};
    for (const auto& copy : copies)
        if (done == seL4_NoError)
            done = seL4_CNode_Copy(cnode, copy[0], depth, root, copy[1], seL4_WordBits, seL4_AllRights);
    if (done == seL4_NoError)
        done = seL4_TCB_SetMCPriority(raw(slot.process.tcb.cap), raw(resources_.tcb), slot.priority);
    // Its RAM: an untyped the size of each handed chunk, in its own CNode, so that revoking the
    // chunk when the child stops takes everything the nested manager made with it.
    for (size_t h = 0; done == seL4_NoError && h < slot.handed_count; ++h)
        done = seL4_Untyped_Retype(raw(chunk_caps_[slot.handed[h]]), seL4_UntypedObject, ChunkBits, cnode, 0, 0,
                                   TESSERA_MANAGER_SLOT_UNTYPED_BASE + h, 1);
    if (done != seL4_NoError)
        return make_error(done, "its manager's capabilities could not be given to it");
    uint64_t call_channels = 0, notify_channels = 0;
    for (size_t r = 0; r < slot.route_count && r < TESSERA_MANAGER_MAX_PARENT_ROUTES; ++r) {
        auto cap = route_cap(slot, slot.routes[r], 0);
        if (!cap)
            return cap.error();
        const bool call = cap.value().call;
        const seL4_Word into = (call ? TESSERA_PD_SLOT_ENDPOINT_BASE : TESSERA_PD_SLOT_NOTIFICATION_BASE) + r;
        done = hand_on(slot, cap.value(), into, depth);
        if (done != seL4_NoError)
            return make_error(done, "a route could not be wired");
        (call ? call_channels : notify_channels) |= uint64_t{1} << r;
    }
    return write_directory(slot, *nested_, call_channels, notify_channels);
}

// The nested manager's directory at TESSERA_MANAGER_DIRECTORY_VADDR, read-only, in pages of the
// child's quota: the directory, its configuration as the text, and each of its programs (this
// manager's packed files, copied).
libos::Result<void> Children::write_directory(Slot& slot, const mc::Config& nested, uint64_t call_channels,
                                              uint64_t notify_channels)
{
    static tessera_manager_directory directory;
    directory = tessera_manager_directory{};
    memcpy(directory.magic, TESSERA_MANAGER_DIRECTORY_MAGIC, sizeof directory.magic);
    directory.untyped_count = uint32_t(slot.handed_count);
    for (size_t h = 0; h < slot.handed_count; ++h)
        directory.untyped_bits[h] = ChunkBits;
    directory.cnode_bits = slot.manager_cnode_bits;
    directory.flags = TESSERA_MANAGER_FLAG_NESTED;
    directory.call_channels = call_channels;
    directory.notify_channels = notify_channels;
    for (size_t r = 0; r < slot.route_count && r < TESSERA_MANAGER_MAX_PARENT_ROUTES; ++r)
        strncpy(directory.parent_services[r], slot.routes[r].service.c_str(),
                TESSERA_MANAGER_SERVICE_NAME_BYTES - 1);
    struct Piece {
        uint64_t at;
        const uint8_t* bytes;
        size_t size;
    } pieces[2 + mc::MaxPrograms];
    size_t count = 0;
    auto page_up = [](uint64_t bytes) { return (bytes + libos::PageSize - 1) & ~uint64_t{libos::PageSize - 1}; };
    pieces[count++] = Piece{0, reinterpret_cast<const uint8_t*>(&directory), sizeof directory};
    uint64_t end = page_up(sizeof directory);
    directory.text_offset = end;
    directory.text_size = slot.nested_length;
    pieces[count++] = Piece{end, reinterpret_cast<const uint8_t*>(nested_texts[slot.nested_buffer]), slot.nested_length};
    end = page_up(end + slot.nested_length);
    for (size_t p = 0; p < nested.program_count; ++p) {
        const tessera_manager_file* file = packed_file(nested.programs[p].name.text());
        if (file == nullptr || directory.file_count == TESSERA_MANAGER_MAX_FILES)
            return make_error(seL4_FailedLookup, "a program of its nested manager is not packed in the image");
        tessera_manager_file& entry = directory.files[directory.file_count++];
        memcpy(entry.name, file->name, sizeof entry.name);
        entry.offset = end;
        entry.size = file->size;
        pieces[count++] = Piece{end, reinterpret_cast<const uint8_t*>(resources_.directory) + file->offset, file->size};
        end = page_up(end + file->size);
    }
    const seL4_Word pages = end / libos::PageSize;
    const VAddr base{TESSERA_MANAGER_DIRECTORY_VADDR};
    auto range = slot.target->reserve_at(base, pages);
    if (!range)
        return make_error(range.error().code, "its nested manager's directory does not fit its address space");
    for (seL4_Word page = 0; page < pages; ++page) {
        auto frame = slot.objects->frame();
        if (!frame)
            return make_error(frame.error().code, over_quota(frame.error(), "over its RAM quota"));
        auto opened = self_->map(frame.value(), window_, seL4_ReadWrite, vspace::Ownership::Borrowed);
        if (!opened) {
            (void)slot.objects->free(frame.value());
            return opened;
        }
        uint8_t* window = reinterpret_cast<uint8_t*>(window_.raw());
        const uint64_t first = page * libos::PageSize, last = first + libos::PageSize;
        for (size_t i = 0; i < count; ++i) {
            const uint64_t from = pieces[i].at > first ? pieces[i].at : first;
            const uint64_t to = pieces[i].at + pieces[i].size < last ? pieces[i].at + pieces[i].size : last;
            if (from < to)
                memcpy(window + (from - first), pieces[i].bytes + (from - pieces[i].at), to - from);
        }
        auto closed = self_->unmap(window_, 1);
        if (closed)
            closed = slot.target->map(frame.value(), base + page * libos::PageSize, seL4_CanRead,
                                      vspace::Ownership::Owned);
        if (!closed) {
            (void)slot.objects->free(frame.value());
            return make_error(closed.error().code, over_quota(closed.error(), "its directory could not be mapped"));
        }
    }
    return {};
}

// A process child's program: a file packed into the image under its name, or one read whole
// from the file system when the name is a path (binary="/path"), at every start, so that a
// restart loads what the file holds then.
libos::Result<Children::ProgramBytes> Children::program_bytes(const Slot& slot)
{
    if (slot.binary.c_str()[0] != '/') {
        const tessera_manager_file* file = this->file(slot);
        if (file == nullptr)
            return make_error(seL4_FailedLookup, "its program is not packed in the image");
        return ProgramBytes{reinterpret_cast<const uint8_t*>(resources_.directory) + file->offset,
                            file->size};
    }
    if (files_ == nullptr)
        return make_error(seL4_FailedLookup, "the manager has no file system to read its program from");
    static uint8_t buffer[MaxFileProgramBytes];
    auto read = files_->read(slot.binary.c_str(), buffer, sizeof buffer);
    if (!read)
        return read.error();
    return ProgramBytes{buffer, read.value()};
}

// A static child PD: started again from its entry point (its first start finds it running).
// Its program's state is what its init makes of it: a driver resets its device there.
libos::Result<void> Children::start_static(Slot& slot)
{
    slot.started_at = read_tsc();
    const tessera_manager_file* entry = file(slot);
    if (entry == nullptr || entry->static_pd - 1 >= ProcessFaultBit)
        return make_error(seL4_FailedLookup, "no such child protection domain of the manager");
    slot.pd_id = microkit_child(entry->static_pd - 1);
    slot.entry = entry->offset;
    if (static_pd_stopped_once[slot.pd_id])
        microkit_pd_restart(slot.pd_id, slot.entry);
    slot.live = true;
    slot.supervisor->started(Milliseconds{clock_ != nullptr ? clock_->now_ms() : 0});
    return {};
}

libos::Result<void> Children::build(Slot& slot, const mc::Child&)
{
    if (slot.is_static)
        return start_static(slot);
    slot.started_at = read_tsc();
    auto program = program_bytes(slot);
    if (!program)
        return program.error();
    auto image = elf::Image::parse(program.value().bytes, program.value().size);
    if (!image)
        return make_error(seL4_InvalidArgument, "its program is not a valid ELF file");
    // A nested manager's RAM is whole chunks of the child's quota; its CNode holds a manager PD's
    // slots and its caps. Its configuration was checked when it was loaded.
    uint64_t handed_chunks = 0;
    if (slot.runs_manager) {
        nested_diagnostics = mc::Diagnostics{};
        if (nested_ == nullptr || slot.nested_buffer < 0 ||
            !mc::read_element(mc::Text{nested_texts[slot.nested_buffer], slot.nested_length}, 0, *nested_,
                              nested_diagnostics))
            return make_error(seL4_InvalidArgument, "its nested configuration cannot be read");
        handed_chunks = mc::raw(nested_->ram) >> ChunkBits;
        const uint64_t slots_needed = TESSERA_MANAGER_SLOT_FREE + mc::raw(nested_->caps);
        uint32_t bits = TESSERA_PD_CNODE_BITS_USER_CAPS + 1;
        while (bits < TESSERA_MANAGER_MAX_CNODE_BITS && (uint64_t{1} << bits) < slots_needed)
            ++bits;
        if ((uint64_t{1} << bits) < slots_needed || handed_chunks > mc::MaxNestedChunks)
            return make_error(seL4_RangeError, "its nested manager's quotas do not fit a manager's PD");
        slot.manager_cnode_bits = bits;
    }

    // Its RAM quota in whole chunks, all taken now: the child owns them until it stops.
    slot.ledger = slot.ledger_storage.make(*pool_, slot.ram, slot.caps);
    slot.untypeds = slot.untypeds_storage.make(slots_);
    slot.objects = slot.objects_storage.make(slots_, *slot.untypeds);
    slot.live = true;
    const uint64_t chunks = slot.ram >> ChunkBits;
    for (uint64_t c = 0; c < chunks; ++c) {
        auto placed = slot.ledger->place(SizeBits{ChunkBits});
        if (!placed) {
            tear_down(slot);
            return make_error(seL4_NotEnoughMemory, "the manager's RAM is used up");
        }
        if (slot.handed_count < handed_chunks) { // the nested manager's, untouched here
            slot.handed[slot.handed_count++] = raw(placed.value().chunk);
            continue;
        }
        (void)slot.untypeds->add(chunk_caps_[raw(placed.value().chunk)], libos::PAddr{0},
                                 SizeBits{ChunkBits}, alloc::Memory::Ram);
    }
    // Its caps quota bounds the slots the manager takes for it: each is counted as it is taken
    // (a slot budget), so a child over the quota fails while it is built, before its thread has
    // ever run.
    const seL4_Word slots_before = slots_.available();
    SlotBudget budget(slots_, slot.caps);
    auto root = elf::new_address_space(*slot.objects, resources_.asid_pool);
    if (!root) {
        tear_down(slot);
        return make_error(root.error().code,
                          over_quota(root.error(), "no memory in its quota for an address space"));
    }
    slot.root = root.value();
    if (!reserve_mappings(slot)) {
        tear_down(slot);
        return make_error(seL4_NotEnoughMemory, "the manager's records of children's pages are used up");
    }
    slot.target = slot.target_storage.make(*slot.objects, slot.root.cap, VAddr{0x1000}, VAddr{TESSERA_PD_STACK_TOP},
                                           mapping_pool + slot.map_first, unsigned(slot.map_count));
    elf::ProcessConfig config;
    config.fault_endpoint = resources_.fault_endpoint;
    config.fault_badge = TESSERA_BADGE_FAULT | ProcessFaultBit | seL4_Word(&slot - slots_table);
    config.priority = slot.priority;
    config.priority_authority = resources_.tcb;
    const bool from_template = slot.template_index >= 0;
    config.layout = from_template || slot.runs_manager ? elf::Layout::Microkit : elf::Layout::LibraryOs;
    config.cnode_slot_bits = from_template ? TemplateCNodeBits
                             : slot.runs_manager ? SizeBits{slot.manager_cnode_bits}
                                                 : ChildCNodeBits;
    config.stack_pages = slot.runs_manager ? ManagerStackPages : ChildStackPages;
    if (from_template) {
        const uint16_t pages = resources_.directory->template_stack_pages[slot.template_index];
        config.stack_pages = pages != 0 ? pages : DefaultTemplateStackPages;
    }
    config.resume = false; // it runs once its routes are wired and everything is charged
    auto process = elf::start_process(*slot.objects, image.value(), slot.root, *slot.target, *self_,
                                      window_, config);
    if (!process) {
        tear_down(slot);
        return make_error(process.error().code,
                          over_quota(process.error(), process.error().code == seL4_NotEnoughMemory
                                                          ? "over its RAM quota"
                                                          : "the process could not be built"));
    }
    slot.process = process.value();
    if (from_template) {
        auto reset = reset_device(slot);
        if (!reset) {
            tear_down(slot);
            return reset;
        }
    }
    auto wired = from_template ? give_template(slot) : slot.runs_manager ? give_manager(slot) : wire(slot);
    if (!wired) {
        tear_down(slot);
        return wired;
    }
    // Within the budget, so within the quota: the ledger records what it took.
    auto charged = slot.ledger->charge_slots(slots_before - slots_.available());
    if (!charged) {
        tear_down(slot);
        return make_error(seL4_NotEnoughMemory, "over its caps quota");
    }
    budget.lift();
    auto resumed = check(seL4_TCB_Resume(raw(slot.process.tcb.cap)), "manager: start a child");
    if (!resumed) {
        tear_down(slot);
        return make_error(resumed.error().code, "its thread could not be started");
    }
    slot.supervisor->started(Milliseconds{clock_ != nullptr ? clock_->now_ms() : 0});
    if (clock_ != nullptr && slot.heartbeat.cap != libos::NullCap)
        arm();
    return {};
}

// A range of mapping_pool for the child: a page per 4 KiB of its quota (all its frames come from
// it) and its template's frames, first fit between the ranges of the other live children.
bool Children::reserve_mappings(Slot& slot)
{
    const size_t wanted = slot.ram / libos::PageSize + MaxBorrowed;
    size_t first = 0;
    for (bool moved = true; moved;) {
        moved = false;
        for (const Slot& other : slots_table)
            if (&other != &slot && other.map_count != 0 && first < other.map_first + other.map_count &&
                other.map_first < first + wanted) {
                first = other.map_first + other.map_count;
                moved = true;
            }
    }
    if (first + wanted > MappingPoolPages)
        return false;
    slot.map_first = first;
    slot.map_count = wanted;
    return true;
}

// A route's capability into slot `into` of the child's CSpace (of 2^depth slots): a child server's
// endpoint minted with the client's badge (send and grant-reply only), or a copy of a channel's.
seL4_Error Children::hand_on(const Slot& slot, const RouteCap& cap, seL4_Word into, seL4_Uint8 depth) const
{
    const seL4_Word cnode = raw(slot.process.cnode.cap);
    const seL4_Word root = raw(resources_.cnode);
    return cap.mint ? seL4_CNode_Mint(cnode, into, depth, root, cap.from, seL4_WordBits,
                                      seL4_CapRights_new(1, 0, 0, 1), cap.badge)
                    : seL4_CNode_Copy(cnode, into, depth, root, cap.from, seL4_WordBits, seL4_AllRights);
}

// Capabilities for the child's routes, in its CSpace (child_slots.h). A route to another child
// needs that child running: its endpoint badged with this child's index, send and grant-reply
// only. A route to a static channel hands on what the manager's PD holds for it.
libos::Result<void> Children::wire(Slot& slot)
{
    const seL4_Word cnode = raw(slot.process.cnode.cap);
    const auto depth = static_cast<seL4_Uint8>(raw(ChildCNodeBits));
    const seL4_Word root = raw(resources_.cnode);
    if (slot.provides) {
        auto endpoint = slot.objects->endpoint();
        if (!endpoint)
            return make_error(endpoint.error().code,
                              over_quota(endpoint.error(), "no memory in its quota for its endpoint"));
        slot.service = endpoint.value();
        auto copied = check(seL4_CNode_Copy(cnode, MANAGER_CHILD_SERVICE_SLOT, depth, root,
                                            raw(slot.service.cap), seL4_WordBits, seL4_AllRights),
                            "its service endpoint");
        if (!copied)
            return copied;
    }
    if (slot.beats.enabled) {
        auto heartbeat = slot.objects->notification();
        if (!heartbeat)
            return make_error(heartbeat.error().code,
                              over_quota(heartbeat.error(), "no memory in its quota for its heartbeat"));
        slot.heartbeat = heartbeat.value();
        auto copied = check(seL4_CNode_Copy(cnode, MANAGER_CHILD_HEARTBEAT_SLOT, depth, root,
                                            raw(slot.heartbeat.cap), seL4_WordBits,
                                            seL4_CapRights_new(0, 0, 0, 1)),
                            "its heartbeat notification");
        if (!copied)
            return copied;
    }
    for (size_t r = 0; r < slot.route_count; ++r) {
        // A route with a label is reached only by a session request that matches it.
        if (slot.routes[r].is_labelled())
            continue;
        auto cap = route_cap(slot, slot.routes[r], 0);
        if (!cap)
            return cap.error();
        const seL4_Error done = hand_on(slot, cap.value(), MANAGER_CHILD_ROUTE_BASE + r, depth);
        if (done != seL4_NoError)
            return make_error(done, "a route could not be wired");
    }
    return {};
}

// A route to a child server is its endpoint minted with the client's badge (send and grant-reply
// only); one to a static channel is what the manager's PD holds for the channel (the build says
// which, so a failed copy never probes: seL4's debug kernel prints every one); one to the parent
// is, in a nested manager, the channel its parent made of its own route for the service.
libos::Result<Children::RouteCap> Children::route_cap(const Slot& slot, const mc::Route& route,
                                                     seL4_Word session) const
{
    const tessera_manager_directory& d = *resources_.directory;
    if (route.target == mc::RouteTarget::Child) {
        const Slot* server = find(route.child.text());
        if (server == nullptr || !server->live || server->service.cap == libos::NullCap)
            return make_error(seL4_FailedLookup, "a child it routes to is not running");
        const seL4_Word badge = (1 + seL4_Word(&slot - slots_table)) | session << MANAGER_SESSION_BADGE_SHIFT;
        return RouteCap{raw(server->service.cap), badge, true, true};
    }
    uint32_t channel = route.channel;
    if (route.target == mc::RouteTarget::Parent) {
        channel = TESSERA_MANAGER_MAX_PARENT_ROUTES;
        for (uint32_t r = 0; (d.flags & TESSERA_MANAGER_FLAG_NESTED) && r < TESSERA_MANAGER_MAX_PARENT_ROUTES; ++r)
            if (d.parent_services[r][0] != '\0' && route.service == mc::Text{d.parent_services[r]}) {
                channel = r;
                break;
            }
        if (channel == TESSERA_MANAGER_MAX_PARENT_ROUTES)
            return make_error(seL4_FailedLookup, "its parent gives this manager no route for the service");
    }
    const seL4_Word bit = channel < 64 ? seL4_Word{1} << channel : 0;
    if (d.call_channels & bit)
        return RouteCap{TESSERA_PD_SLOT_ENDPOINT_BASE + channel, 0, true, false};
    if (d.notify_channels & bit)
        return RouteCap{TESSERA_PD_SLOT_NOTIFICATION_BASE + channel, 0, false, false};
    return make_error(seL4_FailedLookup, "a channel it routes to gives the manager nothing to hand on");
}

bool Children::is_request(seL4_Word label)
{
    return label == MANAGER_SESSION_REQUEST || label == MANAGER_SESSION_LABEL;
}

microkit_msginfo Children::request(unsigned badge, microkit_msginfo message)
{
    // Only process children hold their parent endpoint; a static child PD's badge is its id.
    const unsigned index = badge & ~unsigned(ProcessFaultBit);
    if (!(badge & ProcessFaultBit) || index >= mc::MaxChildren || !slots_table[index].live ||
        slots_table[index].is_static)
        return microkit_msginfo_new(MANAGER_SESSION_INVALID, 0);
    Slot& slot = slots_table[index];
    return microkit_msginfo_get_label(message) == MANAGER_SESSION_REQUEST ? open_session(slot, message)
                                                                        : client_label(slot);
}

// Genode's session request, by capabilities: the route is the most specific of the child's for
// the service and the label it gives (mc::best_route), its capability goes to the slot the child
// names, and the session is remembered for its server's question for the label.
microkit_msginfo Children::open_session(Slot& slot, microkit_msginfo message)
{
    const auto answer = [](seL4_Word code) { return microkit_msginfo_new(code, 0); };
    const seL4_Word words = microkit_msginfo_get_count(message);
    const seL4_Word into = seL4_GetMR(0), service_length = seL4_GetMR(1), label_length = seL4_GetMR(2);
    const seL4_Word service_words = (service_length + 7) / 8;
    // A template's child and a manager have their Microkit CSpace and no routes asked for by label.
    if (words < 3 || service_length > MANAGER_SESSION_NAME_BYTES || label_length > MANAGER_SESSION_NAME_BYTES ||
        words < 3 + service_words + (label_length + 7) / 8 || into < MANAGER_CHILD_SESSION_BASE ||
        into >= MANAGER_CHILD_SESSION_BASE + MANAGER_CHILD_SESSION_COUNT || slot.template_index >= 0 ||
        slot.runs_manager)
        return answer(MANAGER_SESSION_INVALID);
    char service[MANAGER_SESSION_NAME_BYTES], label[MANAGER_SESSION_NAME_BYTES];
    manager_session_unpack(3, service, service_length);
    manager_session_unpack(unsigned(3 + service_words), label, label_length);
    const mc::Route* route = mc::best_route(slot.routes, slot.route_count, mc::Text{service, service_length},
                                            mc::Text{label, label_length});
    if (route == nullptr)
        return answer(MANAGER_SESSION_REFUSED);
    Slot::Session& session = slot.sessions[into - MANAGER_CHILD_SESSION_BASE];
    if (session.open)
        return answer(MANAGER_SESSION_INVALID);
    auto cap = route_cap(slot, *route, into - MANAGER_CHILD_SESSION_BASE + 1);
    if (!cap)
        return answer(MANAGER_SESSION_NOT_RUNNING);
    if (hand_on(slot, cap.value(), into, static_cast<seL4_Uint8>(raw(ChildCNodeBits))) != seL4_NoError)
        return answer(MANAGER_SESSION_INVALID); // the child's slot holds something already
    session.open = true;
    session.route = uint8_t(route - slot.routes);
    (void)session.label.assign(mc::Text{label, label_length});
    seL4_SetMR(0, session.route);
    return microkit_msginfo_new(MANAGER_SESSION_OK, 1);
}

// A server learns the label of a client it was routed (Genode's session label: the client's name,
// then " -> " and the label it asked with), for the badge its endpoint received.
microkit_msginfo Children::client_label(const Slot& server)
{
    const auto refused = microkit_msginfo_new(MANAGER_SESSION_REFUSED, 0);
    const seL4_Word badge = seL4_GetMR(0);
    const seL4_Word client_index = (badge & 0xff) - 1, session = (badge >> MANAGER_SESSION_BADGE_SHIFT) & 0xff;
    if ((badge & 0xff) == 0 || client_index >= mc::MaxChildren || session > MANAGER_CHILD_SESSION_COUNT)
        return refused;
    const Slot& client = slots_table[client_index];
    if (!client.live)
        return refused;
    const mc::Route* route = nullptr;
    if (session != 0 && client.sessions[session - 1].open)
        route = &client.routes[client.sessions[session - 1].route];
    for (size_t r = 0; session == 0 && r < client.route_count; ++r)
        if (!client.routes[r].is_labelled() && client.routes[r].target == mc::RouteTarget::Child &&
            client.routes[r].child == server.name.text())
            route = &client.routes[r];
    if (route == nullptr || route->target != mc::RouteTarget::Child || !(route->child == server.name.text()))
        return refused;
    char text[MANAGER_SESSION_LABEL_BYTES];
    size_t length = 0;
    const auto append = [&](mc::Text part) {
        for (size_t i = 0; i < part.length && length < sizeof text; ++i)
            text[length++] = part.data[i];
    };
    append(client.name.text());
    if (session != 0) {
        append(mc::Text{" -> "});
        append(client.sessions[session - 1].label.text());
    }
    seL4_SetMR(0, length);
    manager_session_pack(1, text, length);
    return microkit_msginfo_new(MANAGER_SESSION_OK, 1 + (length + 7) / 8);
}

void Children::tear_down(Slot& slot)
{
    if (!slot.live)
        return;
    for (Slot::Session& session : slot.sessions)
        session = Slot::Session{};
    const uint64_t began = read_tsc();
    if (slot.is_static) {
        microkit_pd_stop(slot.pd_id);
        static_pd_stopped_once[slot.pd_id] = true;
        slot.live = false;
        last_stop_ = read_tsc() - began;
        return;
    }
    if (slot.service.cap != libos::NullCap)
        (void)slot.objects->free(slot.service);
    slot.service = Object{};
    if (slot.heartbeat.cap != libos::NullCap)
        (void)slot.objects->free(slot.heartbeat);
    slot.heartbeat = Object{};
    if (slot.input.cap != libos::NullCap)
        (void)slot.objects->free(slot.input);
    slot.input = Object{};
    slot.handed_count = 0; // handed chunks are the ledger's: revoked below with the others
    if (slot.process.tcb.cap != libos::NullCap)
        (void)elf::destroy_process(*slot.objects, slot.process, slot.root, *slot.target);
    else if (slot.target != nullptr)
        (void)slot.target->release_all();
    if (slot.process.tcb.cap == libos::NullCap && slot.root.cap != libos::NullCap)
        (void)slot.objects->free(slot.root);
    // Its frames are unmapped with its address space; the manager's copies go now.
    while (slot.borrowed_count > 0)
        drop_last_borrowed(slot);
    // Whatever is left in the chunks goes with a revoke, which also resets their watermarks.
    for (size_t c = 0; c < slot.ledger->chunk_count(); ++c)
        (void)seL4_CNode_Revoke(raw(resources_.cnode), raw(chunk_caps_[raw(slot.ledger->chunk(c))]),
                                seL4_WordBits);
    slot.ledger->release_all();
    slot.process = elf::Process{};
    slot.root = Object{};
    slot.target = nullptr;
    slot.map_count = 0;
    slot.live = false;
    last_stop_ = read_tsc() - began;
}

void Children::stop(mc::Text name)
{
    Slot* slot = find(name);
    if (slot == nullptr)
        return;
    tear_down(*slot);
    slot->known = false;
    slot->state = ChildState::Stopped;
    slot->nested_buffer = -1;
}

void Children::faulted(unsigned badge)
{
    Slot* found = nullptr;
    if (badge & ProcessFaultBit) {
        const unsigned index = badge & ~unsigned(ProcessFaultBit);
        if (index < mc::MaxChildren && slots_table[index].live && !slots_table[index].is_static)
            found = &slots_table[index];
    } else {
        for (Slot& slot : slots_table)
            if (slot.live && slot.is_static && slot.pd_id == badge)
                found = &slot;
    }
    if (found == nullptr)
        return;
    Slot& slot = *found;
    last_start_to_fault_ = read_tsc() - slot.started_at;
    ended(slot, EndReason::Faulted);
}

void Children::ended(Slot& slot, EndReason reason)
{
    tear_down(slot);
    const Decision decision = slot.supervisor->ended(reason);
    if (decision.action == Action::Stop) {
        slot.state = ChildState::Failed;
        return;
    }
    if (clock_ != nullptr && raw(decision.delay) != 0) {
        slot.state = ChildState::Waiting;
        slot.restart_at = clock_->now_ms() + raw(decision.delay);
        arm();
        return;
    }
    restart(slot);
}

void Children::restart(Slot& slot)
{
    mc::Child again{};
    again.name = slot.name;
    again.binary = slot.binary;
    auto rebuilt = build(slot, again);
    slot.state = rebuilt ? ChildState::Running : ChildState::Failed;
}

void Children::tick()
{
    if (clock_ == nullptr)
        return;
    const uint64_t now = clock_->now_ms();
    for (Slot& slot : slots_table) {
        if (slot.known && !slot.live && slot.state == ChildState::Waiting && slot.restart_at <= now)
            restart(slot);
        if (!slot.live || slot.heartbeat.cap == libos::NullCap)
            continue;
        // The watchdog: a signal since the last look is a beat; too long without one, a fault.
        seL4_Word signalled = 0;
        seL4_Poll(raw(slot.heartbeat.cap), &signalled);
        if (signalled != 0)
            slot.supervisor->beat(Milliseconds{now});
        else if (slot.supervisor->watchdog_expired(Milliseconds{now}))
            ended(slot, EndReason::MissedHeartbeat);
    }
    arm();
}

// The clock wakes the manager at the earliest backoff's end.
void Children::arm()
{
    uint64_t earliest = UINT64_MAX;
    const uint64_t now = clock_->now_ms();
    for (const Slot& slot : slots_table) {
        if (slot.known && slot.state == ChildState::Waiting && slot.restart_at < earliest)
            earliest = slot.restart_at;
        // Children with a heartbeat are looked at once per period.
        if (slot.live && slot.heartbeat.cap != libos::NullCap && now + slot.beats.period_ms < earliest)
            earliest = now + slot.beats.period_ms;
    }
    if (earliest != UINT64_MAX)
        clock_->wake_at(earliest);
}

size_t Children::status(const mc::Config& config, ChildStatus* out, size_t capacity) const
{
    size_t count = 0;
    for (size_t c = 0; c < config.child_count && count < capacity; ++c) {
        const Slot* slot = find(config.children[c].name.text());
        if (slot == nullptr)
            continue;
        out[count++] = ChildStatus{slot->name.text(),
                                   slot->state,
                                   slot->supervisor ? slot->supervisor->restarts() : 0,
                                   slot->live && !slot->is_static ? slot->ledger->ram_used() : 0,
                                   slot->ram,
                                   slot->live && !slot->is_static ? slot->ledger->slots_used() : 0,
                                   slot->caps};
    }
    return count;
}

// The parent waits for its nested manager's answer: that manager is this same program, which
// serves ControlStatusWords without waiting on anyone above it.
bool Children::nested_status(mc::Text path, char* out, size_t capacity, size_t& length)
{
    size_t cut = 0;
    while (cut < path.length && path.data[cut] != '/')
        ++cut;
    const mc::Text name{path.data, cut};
    const mc::Text rest = cut < path.length ? mc::Text{path.data + cut + 1, path.length - cut - 1} : mc::Text{};
    const Slot* slot = cut == 0 ? nullptr : find(name);
    const char* none = slot == nullptr            ? "is no child of this manager"
                       : !slot->runs_manager       ? "runs no manager"
                       : !slot->live               ? "is not running"
                       : rest.length > ControlWordBytes ? "is followed by too long a path"
                                                   : nullptr;
    auto said = [&](const char* why) {
        const int n = snprintf(out, capacity, "manager status: '%.*s' %s\n", int(name.length), name.data, why);
        length = n < 0 ? 0 : size_t(n) < capacity ? size_t(n) : capacity - 1;
        return false;
    };
    if (none != nullptr)
        return said(none);
    auto badged = slots_.allocate();
    if (!badged)
        return said("cannot be asked: the manager's capability slots are used up");
    const seL4_Word root = raw(resources_.cnode);
    bool asked = seL4_CNode_Mint(root, raw(badged.value()), seL4_WordBits, root, raw(slot->input.cap),
                                 seL4_WordBits, seL4_AllRights, TESSERA_BADGE_PPC | ControlParentChannel) ==
                 seL4_NoError;
    bool rejected = false;
    size_t got = 0;
    for (seL4_Word total = 1; asked && got < total && got + 1 < capacity;) {
        seL4_SetMR(0, got);
        seL4_SetMR(1, rest.length);
        manager_session_pack(2, rest.data, rest.length);
        const seL4_MessageInfo_t reply = seL4_Call(
            raw(badged.value()), seL4_MessageInfo_new(ControlStatusWords, 0, 0, seL4_Word(2 + (rest.length + 7) / 8)));
        const seL4_Word label = seL4_MessageInfo_get_label(reply), here = seL4_GetMR(1);
        total = seL4_GetMR(0);
        if ((label != ControlApplied && label != ControlRejected) || here > ControlWordBytes ||
            (here == 0 && got < total)) {
            asked = false;
            break;
        }
        rejected = label == ControlRejected;
        const size_t kept = here < capacity - 1 - got ? here : capacity - 1 - got;
        manager_session_unpack(2, out + got, kept);
        got += kept;
    }
    (void)seL4_CNode_Delete(root, raw(badged.value()), seL4_WordBits);
    (void)slots_.free(badged.value());
    if (!asked)
        return said("does not answer for its manager");
    length = got;
    return !rejected;
}

size_t Children::verify_free_chunks()
{
    size_t dirty = 0;
    auto probe = slots_.allocate();
    if (!probe)
        return pool_->count();
    for (size_t c = 0; c < pool_->count(); ++c) {
        if (pool_->is_taken(ChunkIndex{uint32_t(c)}))
            continue;
        const seL4_Error made = seL4_Untyped_Retype(raw(chunk_caps_[c]), seL4_UntypedObject, ChunkBits,
                                                    raw(resources_.cnode), 0, 0, raw(probe.value()), 1);
        if (made != seL4_NoError) {
            ++dirty;
            continue;
        }
        (void)seL4_CNode_Delete(raw(resources_.cnode), raw(probe.value()), seL4_WordBits);
    }
    (void)slots_.free(probe.value());
    return dirty;
}

} // namespace tessera::manager

// Validation of spec blobs: header, checksum, then every op record in order, so that a loader
// executing a spec that passed never meets an undefined object or an out-of-range field.
#include "tessera/spec_reader.h"

namespace tessera::spec {
namespace {

constexpr uint64_t OpSize = sizeof(union tessera_spec_op);
constexpr uint64_t UserTop = UINT64_C(0x0000800000000000); // canonical lower half
constexpr uint32_t MaxCNodeBits = 28;
constexpr uint64_t MaxCNodeSlot = UINT64_C(1) << MaxCNodeBits;
constexpr uint32_t MaxIrqVector = 107; // seL4 x86: irq_user_max - irq_user_min
constexpr uint32_t MaxPriority = 254;
constexpr uint32_t MaxIoPort = 0xffff;
constexpr uint32_t MaxBootInfoChunk = 6; // SEL4_BOOTINFO_HEADER_FDT, the last one seL4 defines

ReadFailure fail(ReadError error, uint64_t offset, const char* detail)
{
    return ReadFailure{error, offset, detail};
}

bool magic_matches(const uint8_t* data, const char* magic)
{
    for (int i = 0; i < 8; ++i)
        if (data[i] != static_cast<uint8_t>(magic[i]))
            return false;
    return true;
}

// True when offset + length fits in size without overflow.
bool fits(uint64_t offset, uint64_t length, uint64_t size)
{
    return offset <= size && length <= size - offset;
}

bool is_frame(uint8_t kind)
{
    return kind == TESSERA_OBJECT_FRAME_4K || kind == TESSERA_OBJECT_FRAME_2M;
}

uint64_t frame_bytes(uint32_t kind)
{
    return kind == TESSERA_OBJECT_FRAME_2M ? UINT64_C(0x200000) : UINT64_C(0x1000);
}

// The object table as far as the ops have built it, with optional kind tracking.
class Objects {
public:
    Objects(uint8_t* kinds, uint64_t capacity, uint32_t declared)
        : kinds_(kinds), tracking_(kinds != nullptr && capacity >= declared), declared_(declared)
    {
    }

    bool append(uint32_t index, uint8_t kind)
    {
        if (index != created_ || created_ >= declared_)
            return false;
        if (tracking_)
            kinds_[created_] = kind;
        ++created_;
        return true;
    }

    // True when index is defined and (if kinds are tracked) satisfies accept.
    template <class Accept> bool check(uint32_t index, Accept accept) const
    {
        if (index >= created_)
            return false;
        return !tracking_ || accept(kinds_[index]);
    }

    bool has(uint32_t index, uint8_t kind) const
    {
        return check(index, [kind](uint8_t k) { return k == kind; });
    }

    uint8_t kind(uint32_t index) const { return tracking_ ? kinds_[index] : 0; }
    bool tracking() const { return tracking_; }
    uint32_t created() const { return created_; }

private:
    uint8_t* kinds_;
    bool tracking_;
    uint32_t declared_;
    uint32_t created_ = 0;
};

bool valid_string(uint32_t offset, uint64_t strings_size)
{
    return offset == TESSERA_NO_NAME || offset < strings_size;
}

// What the ops have set up besides objects: PCI devices found, and the contiguous run being
// created (its frames' CREATE_OBJECT ops must follow each other).
struct Placements {
    uint32_t pci_devices = 0;
    uint32_t run_first = 0, run_next = 0, run_end = 0;
    uint32_t run_kind = 0;

    bool run_open() const { return run_next != run_end; }
};

const char* check_placement(const tessera_op_create_object& op, Placements& placements)
{
    const bool frame = is_frame(static_cast<uint8_t>(op.object_kind));
    if (placements.run_open() && op.placement != TESSERA_PLACE_CONTIGUOUS)
        return "a contiguous run is interrupted by another object";
    switch (op.placement) {
    case TESSERA_PLACE_DEFAULT:
        return op.at.reserved1 == 0 ? nullptr : "placement fields on a default placement";
    case TESSERA_PLACE_CONTIGUOUS: {
        const auto& run = op.at.run;
        if (!frame || op.paddr != TESSERA_PADDR_ANY)
            return "contiguous placement of something that is not a RAM frame";
        if (op.object == run.first) {
            if (placements.run_open() || run.count == 0 || run.count > (1u << 20))
                return "contiguous run starts inside another or has no frames";
            placements.run_first = run.first;
            placements.run_next = run.first;
            placements.run_end = run.first + run.count;
            placements.run_kind = op.object_kind;
        }
        if (!placements.run_open() || op.object != placements.run_next ||
            run.first != placements.run_first || run.first + run.count != placements.run_end ||
            op.object_kind != placements.run_kind)
            return "contiguous run frames out of order or with different kinds";
        ++placements.run_next;
        return nullptr;
    }
    case TESSERA_PLACE_PCI_BAR:
        if (op.object_kind != TESSERA_OBJECT_FRAME_4K)
            return "pci bar placement of something that is not a 4 KiB frame";
        if (op.at.pci.device >= placements.pci_devices || op.at.pci.bar > 5)
            return "pci bar placement names an unknown device or a BAR above 5";
        if (op.paddr % 0x1000 != 0 || op.paddr >= (UINT64_C(1) << 40))
            return "pci bar offset misaligned or beyond 1 TiB";
        return nullptr;
    default: return "unknown placement";
    }
}

const char* check_pci_find(const tessera_op_pci_find& op, Placements& placements, uint64_t strings_size)
{
    if (op.device != placements.pci_devices || op.device >= TESSERA_MAX_PCI_DEVICES)
        return "pci_find: device index out of order or above the limit";
    if (op.match == TESSERA_PCI_MATCH_ADDRESS) {
        if (op.slot > 31 || op.function > 7)
            return "pci_find: device or function out of range";
    } else if (op.match == TESSERA_PCI_MATCH_ID) {
        if (op.vendor == 0xffff)
            return "pci_find: vendor ffff is no device";
    } else {
        return "pci_find: unknown match";
    }
    if (op.interrupt > TESSERA_PCI_INTERRUPT_MSIX)
        return "pci_find: unknown interrupt kind";
    if ((op.interrupt == TESSERA_PCI_INTERRUPT_MSI || op.interrupt == TESSERA_PCI_INTERRUPT_MSIX) &&
        op.vector > MaxIrqVector)
        return "pci_find: vector out of range";
    if (op.msix_entry >= 2048)
        return "pci_find: MSI-X entry above 2047";
    if ((op.command & ~uint32_t(TESSERA_PCI_COMMAND_IO | TESSERA_PCI_COMMAND_MEMORY |
                                TESSERA_PCI_COMMAND_BUS_MASTER)) != 0)
        return "pci_find: unknown command bits";
    if (!valid_string(op.name, strings_size))
        return "pci_find: name outside the string table";
    ++placements.pci_devices;
    return nullptr;
}

const char* check_create(const tessera_op_create_object& op, Objects& objects,
                         uint64_t strings_size)
{
    const uint32_t kind = op.object_kind;
    // IRQ handlers and I/O ports have ops of their own.
    if (kind < TESSERA_OBJECT_TCB || kind > TESSERA_OBJECT_SVM_VCPU ||
        kind == TESSERA_OBJECT_IRQ_HANDLER || kind == TESSERA_OBJECT_IO_PORT)
        return "unknown object kind";
    if (kind == TESSERA_OBJECT_CNODE) {
        if (op.size_bits == 0 || op.size_bits > MaxCNodeBits)
            return "cnode size_bits out of range";
    } else if (kind == TESSERA_OBJECT_UNTYPED) {
        if (op.size_bits < 12 || op.size_bits > TESSERA_MAX_UNTYPED_BITS)
            return "untyped size_bits out of range";
    } else if (op.size_bits != 0) {
        return "size_bits on a fixed-size object";
    }
    if (op.paddr != TESSERA_PADDR_ANY) {
        if (!is_frame(static_cast<uint8_t>(kind)))
            return "paddr on an object that is not a frame";
        if (op.paddr % frame_bytes(kind) != 0)
            return "device frame paddr not aligned to its size";
    }
    if (!valid_string(op.name, strings_size))
        return "name outside the string table";
    if (!objects.append(op.object, static_cast<uint8_t>(kind)))
        return "object index out of order or beyond object_count";
    return nullptr;
}

const char* check_map_table(const tessera_op_map_table& op, const Objects& objects)
{
    if (!objects.has(op.vspace, TESSERA_OBJECT_VSPACE))
        return "map_table: vspace is not a defined vspace";
    if (!objects.check(op.table, [](uint8_t k) {
            return k == TESSERA_OBJECT_PDPT || k == TESSERA_OBJECT_PAGE_DIRECTORY ||
                   k == TESSERA_OBJECT_PAGE_TABLE;
        }))
        return "map_table: table is not a defined paging structure";
    if (op.vaddr >= UserTop)
        return "map_table: vaddr above the user address range";
    if (objects.tracking()) {
        const uint8_t kind = objects.kind(op.table);
        const uint64_t span = kind == TESSERA_OBJECT_PDPT             ? UINT64_C(1) << 39
                              : kind == TESSERA_OBJECT_PAGE_DIRECTORY ? UINT64_C(1) << 30
                                                                      : UINT64_C(1) << 21;
        if (op.vaddr % span != 0)
            return "map_table: vaddr not aligned to the table's span";
    }
    return nullptr;
}

const char* check_frame_op(uint32_t frame, uint64_t offset, uint64_t length,
                           const Objects& objects)
{
    if (!objects.check(frame, is_frame))
        return "fill_frame: frame is not a defined frame";
    const uint64_t bytes = objects.tracking() ? frame_bytes(objects.kind(frame)) : 0x200000;
    if (!fits(offset, length, bytes))
        return "fill_frame: range outside the frame";
    return nullptr;
}

const char* check_map_frame(const tessera_op_map_frame& op, const Objects& objects)
{
    if (!objects.has(op.vspace, TESSERA_OBJECT_VSPACE))
        return "map_frame: vspace is not a defined vspace";
    if (!objects.check(op.frame, is_frame))
        return "map_frame: frame is not a defined frame";
    constexpr uint32_t MapRights = TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE | TESSERA_RIGHT_EXECUTE;
    if (op.rights == 0 || (op.rights & ~MapRights) != 0)
        return "map_frame: rights not a non-empty subset of rwx";
    if ((op.flags & ~TESSERA_MAP_CACHED) != 0)
        return "map_frame: unknown flags";
    const uint64_t bytes = objects.tracking() ? frame_bytes(objects.kind(op.frame)) : 0x1000;
    if (op.vaddr % bytes != 0 || !fits(op.vaddr, bytes, UserTop))
        return "map_frame: vaddr misaligned or outside the user address range";
    return nullptr;
}

const char* check_mint(const tessera_op_mint_cap& op, const Objects& objects)
{
    if (!objects.has(op.cnode, TESSERA_OBJECT_CNODE))
        return "mint_cap: cnode is not a defined cnode";
    if (op.object >= objects.created())
        return "mint_cap: object not defined";
    if (op.slot >= MaxCNodeSlot)
        return "mint_cap: slot out of range";
    constexpr uint32_t CapRights = TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE | TESSERA_RIGHT_GRANT |
                                   TESSERA_RIGHT_GRANT_REPLY;
    if ((op.rights & ~CapRights) != 0)
        return "mint_cap: unknown rights";
    if (op.badge != 0 && !objects.check(op.object, [](uint8_t k) {
            return k == TESSERA_OBJECT_ENDPOINT || k == TESSERA_OBJECT_NOTIFICATION;
        }))
        return "mint_cap: badge on an object that takes none";
    return nullptr;
}

const char* check_op(const union tessera_spec_op& op, Objects& objects, Placements& placements,
                     uint64_t strings_size)
{
    if (op.kind != TESSERA_OP_CREATE_OBJECT && placements.run_open())
        return "a contiguous run is interrupted by another op";
    switch (op.kind) {
    case TESSERA_OP_CREATE_OBJECT: {
        if (const char* problem = check_placement(op.create_object, placements))
            return problem;
        return check_create(op.create_object, objects, strings_size);
    }
    case TESSERA_OP_PCI_FIND:
        return check_pci_find(op.pci_find, placements, strings_size);
    case TESSERA_OP_PCI_DESCRIBE:
        if (op.pci_describe.device >= placements.pci_devices)
            return "pci_describe: unknown device";
        if (!objects.has(op.pci_describe.frame, TESSERA_OBJECT_FRAME_4K))
            return "pci_describe: frame is not a defined 4 KiB frame";
        for (uint64_t vaddr : op.pci_describe.bar_vaddr)
            if (vaddr % 0x1000 != 0 || vaddr >= UserTop)
                return "pci_describe: BAR address misaligned or outside the user range";
        return nullptr;
    case TESSERA_OP_ASSIGN_ASID:
        return objects.has(op.assign_asid.vspace, TESSERA_OBJECT_VSPACE)
                   ? nullptr
                   : "assign_asid: not a defined vspace";
    case TESSERA_OP_MAP_TABLE:
        return check_map_table(op.map_table, objects);
    case TESSERA_OP_FILL_FRAME:
        return check_frame_op(op.fill_frame.frame, op.fill_frame.frame_offset,
                              op.fill_frame.length, objects);
    case TESSERA_OP_MAP_FRAME:
        return check_map_frame(op.map_frame, objects);
    case TESSERA_OP_WRITE_PADDR:
        if (!objects.has(op.write_paddr.frame, TESSERA_OBJECT_FRAME_4K))
            return "write_paddr: frame is not a defined 4 KiB frame";
        if (!objects.check(op.write_paddr.source, is_frame))
            return "write_paddr: source is not a defined frame";
        return fits(op.write_paddr.frame_offset, 8, 0x1000) ? nullptr
                                                             : "write_paddr: range outside the frame";
    case TESSERA_OP_IRQ_GET_IOAPIC: {
        const auto& irq = op.irq_get_ioapic;
        if (irq.vector > MaxIrqVector || irq.level > 1 || irq.polarity > 1)
            return "irq_get_ioapic: vector, level or polarity out of range";
        if (irq.from_device > placements.pci_devices)
            return "irq_get_ioapic: unknown PCI device";
        return objects.append(irq.handler, TESSERA_OBJECT_IRQ_HANDLER)
                   ? nullptr
                   : "irq_get_ioapic: handler index out of order";
    }
    case TESSERA_OP_IRQ_GET_MSI: {
        const auto& irq = op.irq_get_msi;
        if (irq.vector > MaxIrqVector || irq.pci_bus > 255 || irq.pci_device > 31 ||
            irq.pci_function > 7)
            return "irq_get_msi: vector or PCI address out of range";
        if (irq.from_device > placements.pci_devices)
            return "irq_get_msi: unknown PCI device";
        return objects.append(irq.handler, TESSERA_OBJECT_IRQ_HANDLER)
                   ? nullptr
                   : "irq_get_msi: handler index out of order";
    }
    case TESSERA_OP_IRQ_SET_NOTIFICATION:
        if (!objects.has(op.irq_set_notification.handler, TESSERA_OBJECT_IRQ_HANDLER) ||
            !objects.has(op.irq_set_notification.notification, TESSERA_OBJECT_NOTIFICATION))
            return "irq_set_notification: undefined handler or notification";
        return nullptr;
    case TESSERA_OP_MINT_CAP:
        return check_mint(op.mint_cap, objects);
    case TESSERA_OP_TCB_CONFIGURE: {
        const auto& c = op.tcb_configure;
        if (!objects.has(c.tcb, TESSERA_OBJECT_TCB) || !objects.has(c.cspace, TESSERA_OBJECT_CNODE) ||
            !objects.has(c.vspace, TESSERA_OBJECT_VSPACE) ||
            !objects.has(c.ipc_buffer, TESSERA_OBJECT_FRAME_4K))
            return "tcb_configure: undefined tcb, cspace, vspace or ipc buffer";
        if (c.ipc_buffer_vaddr % 0x1000 != 0 || c.ipc_buffer_vaddr >= UserTop)
            return "tcb_configure: ipc buffer address misaligned or outside user range";
        if (c.fault_endpoint >= MaxCNodeSlot)
            return "tcb_configure: fault endpoint slot out of range";
        return nullptr;
    }
    case TESSERA_OP_TCB_SET_PRIORITY:
        if (!objects.has(op.tcb_set_priority.tcb, TESSERA_OBJECT_TCB))
            return "tcb_set_priority: undefined tcb";
        if (op.tcb_set_priority.priority > MaxPriority ||
            op.tcb_set_priority.max_priority > MaxPriority)
            return "tcb_set_priority: priority out of range";
        return nullptr;
    case TESSERA_OP_TCB_WRITE_REGISTERS:
        return objects.has(op.tcb_write_registers.tcb, TESSERA_OBJECT_TCB)
                   ? nullptr
                   : "tcb_write_registers: undefined tcb";
    case TESSERA_OP_TCB_BIND_NOTIFICATION:
        if (!objects.has(op.tcb_bind_notification.tcb, TESSERA_OBJECT_TCB) ||
            !objects.has(op.tcb_bind_notification.notification, TESSERA_OBJECT_NOTIFICATION))
            return "tcb_bind_notification: undefined tcb or notification";
        return nullptr;
    case TESSERA_OP_TCB_SET_NAME:
        if (!objects.has(op.tcb_set_name.tcb, TESSERA_OBJECT_TCB))
            return "tcb_set_name: undefined tcb";
        if (op.tcb_set_name.name == TESSERA_NO_NAME || op.tcb_set_name.name >= strings_size)
            return "tcb_set_name: name outside the string table";
        return nullptr;
    case TESSERA_OP_TCB_RESUME:
        return objects.has(op.tcb_resume.tcb, TESSERA_OBJECT_TCB) ? nullptr
                                                                  : "tcb_resume: undefined tcb";
    case TESSERA_OP_IOPORT_ISSUE: {
        const auto& issue = op.ioport_issue;
        if (issue.first_port > issue.last_port || issue.last_port > MaxIoPort)
            return "ioport_issue: port range empty or above 0xffff";
        return objects.append(issue.ioport, TESSERA_OBJECT_IO_PORT)
                   ? nullptr
                   : "ioport_issue: object index out of order";
    }
    case TESSERA_OP_FILL_BOOTINFO:
        if (!objects.has(op.fill_bootinfo.frame, TESSERA_OBJECT_FRAME_4K))
            return "fill_bootinfo: frame is not a defined 4 KiB frame";
        return op.fill_bootinfo.chunk >= 1 && op.fill_bootinfo.chunk <= MaxBootInfoChunk
                   ? nullptr
                   : "fill_bootinfo: unknown BootInfo chunk";
    case TESSERA_OP_TCB_SET_FLAGS: {
        const auto& flags = op.tcb_set_flags;
        if (!objects.has(flags.tcb, TESSERA_OBJECT_TCB))
            return "tcb_set_flags: undefined tcb";
        if (((flags.set | flags.clear) & ~uint64_t(TESSERA_TCB_FLAG_FPU_DISABLED)) != 0)
            return "tcb_set_flags: unknown flags";
        return nullptr;
    }
    case TESSERA_OP_DOMAIN_SET:
        if (!objects.has(op.domain_set.tcb, TESSERA_OBJECT_TCB))
            return "domain_set: undefined tcb";
        return op.domain_set.domain < TESSERA_DOMAIN_COUNT ? nullptr : "domain_set: no such domain";
    case TESSERA_OP_DOMAIN_SCHEDULE: {
        const auto& entry = op.domain_schedule;
        if (entry.index >= TESSERA_DOMAIN_SCHEDULE_LENGTH - 1)
            return "domain_schedule: index past the schedule (the last entry stays an end marker)";
        if (entry.domain >= TESSERA_DOMAIN_COUNT)
            return "domain_schedule: no such domain";
        if (entry.duration > TESSERA_DOMAIN_MAX_DURATION || (entry.duration == 0 && entry.domain != 0))
            return "domain_schedule: duration wider than 56 bits, or an end marker with a domain";
        return nullptr;
    }
    case TESSERA_OP_DOMAIN_START:
        return op.domain_start.index < TESSERA_DOMAIN_SCHEDULE_LENGTH - 1 ? nullptr
                                                                          : "domain_start: index past the schedule";
    case TESSERA_OP_SVM_VCPU_BIND: {
        const auto& bind = op.svm_vcpu_bind;
        if (!objects.has(bind.vcpu, TESSERA_OBJECT_SVM_VCPU))
            return "svm_vcpu_bind: undefined vcpu";
        if (!objects.has(bind.tcb, TESSERA_OBJECT_TCB))
            return "svm_vcpu_bind: undefined tcb";
        return objects.has(bind.guest, TESSERA_OBJECT_VSPACE) ? nullptr : "svm_vcpu_bind: undefined guest vspace";
    }
    default:
        return "unknown op kind";
    }
}

} // namespace

const char* read_error_name(ReadError error)
{
    switch (error) {
    case ReadError::Truncated: return "truncated";
    case ReadError::BadMagic: return "bad magic";
    case ReadError::BadVersion: return "unsupported version";
    case ReadError::BadHeader: return "bad header";
    case ReadError::BadChecksum: return "bad checksum";
    case ReadError::OutOfRange: return "offset out of range";
    case ReadError::BadEntry: return "bad table-of-contents entry";
    case ReadError::BadOperation: return "bad operation";
    case ReadError::MissingSpec: return "missing spec";
    }
    return "unknown error";
}

ReadResult<SpecView> SpecView::open(const uint8_t* data, uint64_t size, uint8_t* kinds,
                                    uint64_t kinds_capacity)
{
    tessera_spec_header header;
    if (data == nullptr || size < sizeof header)
        return fail(ReadError::Truncated, size, "spec shorter than its header");
    __builtin_memcpy(&header, data, sizeof header);
    if (!magic_matches(header.magic, TESSERA_SPEC_MAGIC))
        return fail(ReadError::BadMagic, 0, "spec magic is not TSRSPEC1");
    if (header.version != TESSERA_SPEC_VERSION)
        return fail(ReadError::BadVersion, 8, "spec version is not 1");
    if (header.header_size != sizeof header)
        return fail(ReadError::BadHeader, 12, "spec header_size is not 64");
    if (header.spec_size != size)
        return fail(header.spec_size > size ? ReadError::Truncated : ReadError::BadHeader, 16,
                    "spec_size differs from the blob size");
    const uint64_t checksum_offset = __builtin_offsetof(tessera_spec_header, checksum);
    if (crc32(data, size, checksum_offset) != header.checksum)
        return fail(ReadError::BadChecksum, checksum_offset, "spec checksum mismatch");
    if (header.ops_offset % 8 != 0 || header.ops_offset < sizeof header)
        return fail(ReadError::BadHeader, 24, "ops_offset misaligned or inside the header");
    if (!fits(header.ops_offset, static_cast<uint64_t>(header.op_count) * OpSize, size))
        return fail(ReadError::OutOfRange, 24, "op records extend past the spec");
    if (!fits(header.strings_offset, header.strings_size, size))
        return fail(ReadError::OutOfRange, 40, "string table extends past the spec");
    if (header.strings_size > 0 && data[header.strings_offset + header.strings_size - 1] != 0)
        return fail(ReadError::BadHeader, 40, "string table does not end with NUL");

    SpecView view;
    view.data_ = data;
    view.size_ = size;
    view.ops_offset_ = header.ops_offset;
    view.op_count_ = header.op_count;
    view.object_count_ = header.object_count;
    view.strings_offset_ = header.strings_offset;
    view.strings_size_ = header.strings_size;
    return view.check_references(kinds, kinds_capacity);
}

ReadResult<SpecView> SpecView::check_references(uint8_t* kinds, uint64_t kinds_capacity) const
{
    Objects objects(kinds, kinds_capacity, object_count_);
    Placements placements;
    for (uint32_t i = 0; i < op_count_; ++i) {
        if (const char* problem = check_op(op(i), objects, placements, strings_size_))
            return fail(ReadError::BadOperation, ops_offset_ + i * OpSize, problem);
    }
    if (placements.run_open())
        return fail(ReadError::BadOperation, ops_offset_ + uint64_t(op_count_) * OpSize,
                    "a contiguous run ends before its last frame");
    if (objects.created() != object_count_)
        return fail(ReadError::BadHeader, 36, "object_count differs from the objects created");
    return *this;
}

union tessera_spec_op SpecView::op(uint32_t index) const
{
    union tessera_spec_op op;
    __builtin_memcpy(&op, data_ + ops_offset_ + static_cast<uint64_t>(index) * OpSize, OpSize);
    return op;
}

const char* SpecView::string(uint32_t offset) const
{
    if (offset == TESSERA_NO_NAME || offset >= strings_size_)
        return nullptr;
    return reinterpret_cast<const char*>(data_ + strings_offset_ + offset);
}

} // namespace tessera::spec

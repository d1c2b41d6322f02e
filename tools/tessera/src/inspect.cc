// Printing of ops for `tessera inspect`; names come from the spec's string table.
#include "inspect.h"

#include <cstdio>
#include <vector>

#include "number.h"

namespace tessera::sdf {
namespace {

const char* object_kind_name(uint32_t kind)
{
    switch (kind) {
    case TESSERA_OBJECT_TCB: return "tcb";
    case TESSERA_OBJECT_ENDPOINT: return "endpoint";
    case TESSERA_OBJECT_NOTIFICATION: return "notification";
    case TESSERA_OBJECT_CNODE: return "cnode";
    case TESSERA_OBJECT_VSPACE: return "vspace";
    case TESSERA_OBJECT_PDPT: return "pdpt";
    case TESSERA_OBJECT_PAGE_DIRECTORY: return "page_directory";
    case TESSERA_OBJECT_PAGE_TABLE: return "page_table";
    case TESSERA_OBJECT_FRAME_4K: return "frame_4k";
    case TESSERA_OBJECT_FRAME_2M: return "frame_2m";
    case TESSERA_OBJECT_IRQ_HANDLER: return "irq_handler";
    case TESSERA_OBJECT_IO_PORT: return "io_port";
    case TESSERA_OBJECT_UNTYPED: return "untyped";
    case TESSERA_OBJECT_ASID_POOL: return "asid_pool";
    case TESSERA_OBJECT_SVM_VCPU: return "svm_vcpu";
    }
    return "?";
}

std::string rights(uint32_t bits)
{
    std::string out;
    out += bits & TESSERA_RIGHT_READ ? 'r' : '-';
    out += bits & TESSERA_RIGHT_WRITE ? 'w' : '-';
    out += bits & TESSERA_RIGHT_EXECUTE ? 'x' : '-';
    out += bits & TESSERA_RIGHT_GRANT ? 'g' : '-';
    out += bits & TESSERA_RIGHT_GRANT_REPLY ? 'G' : '-';
    return out;
}

class Describer {
public:
    explicit Describer(const spec::SpecView& spec) : spec_(spec)
    {
        for (uint32_t i = 0; i < spec.op_count(); ++i) {
            const auto op = spec.op(i);
            if (op.kind == TESSERA_OP_CREATE_OBJECT) {
                const char* name = spec.string(op.create_object.name);
                names_.push_back(std::string(object_kind_name(op.create_object.object_kind)) +
                                 (name ? std::string(" ") + name : ""));
            } else if (op.kind == TESSERA_OP_IRQ_GET_IOAPIC || op.kind == TESSERA_OP_IRQ_GET_MSI) {
                names_.push_back("irq_handler");
            } else if (op.kind == TESSERA_OP_IOPORT_ISSUE) {
                names_.push_back("io_port");
            }
        }
    }

    std::string object(uint32_t index) const
    {
        std::string out = "#" + std::to_string(index);
        if (index < names_.size())
            out += "(" + names_[index] + ")";
        return out;
    }

    std::string describe(const union tessera_spec_op& op) const
    {
        switch (op.kind) {
        case TESSERA_OP_CREATE_OBJECT: {
            const auto& c = op.create_object;
            std::string out = "create_object " + object(c.object);
            if (c.object_kind == TESSERA_OBJECT_CNODE)
                out += " slots=2^" + std::to_string(c.size_bits);
            if (c.placement == TESSERA_PLACE_PCI_BAR)
                return out + " pci device " + std::to_string(c.at.pci.device) + " BAR " +
                       std::to_string(c.at.pci.bar) + "+" + hex(c.paddr);
            if (c.placement == TESSERA_PLACE_CONTIGUOUS)
                out += " contiguous run of " + std::to_string(c.at.run.count) + " from #" +
                       std::to_string(c.at.run.first);
            if (c.paddr != TESSERA_PADDR_ANY)
                out += " paddr=" + hex(c.paddr);
            return out;
        }
        case TESSERA_OP_PCI_FIND: {
            const auto& f = op.pci_find;
            const char* name = spec_.string(f.name);
            char match[32];
            if (f.match == TESSERA_PCI_MATCH_ADDRESS)
                std::snprintf(match, sizeof match, "%02x:%02x.%x", f.bus, f.slot, f.function);
            else
                std::snprintf(match, sizeof match, "%04x:%04x#%u", f.vendor, f.device_id, f.instance);
            static const char* const interrupts[] = {"none", "intx", "msi", "msix"};
            return "pci_find device " + std::to_string(f.device) + " " + match + " for " +
                   (name ? name : "?") + " command=" + hex(f.command) + " interrupt=" +
                   interrupts[f.interrupt & 3] + " vector=" + std::to_string(f.vector) +
                   (f.interrupt == TESSERA_PCI_INTERRUPT_MSIX ? " entry=" + std::to_string(f.msix_entry) : "");
        }
        case TESSERA_OP_PCI_DESCRIBE: {
            std::string out = "pci_describe device " + std::to_string(op.pci_describe.device) + " into " +
                              object(op.pci_describe.frame);
            for (unsigned bar = 0; bar < 6; ++bar)
                if (op.pci_describe.bar_vaddr[bar] != 0)
                    out += " BAR" + std::to_string(bar) + "@" + hex(op.pci_describe.bar_vaddr[bar]);
            return out;
        }
        case TESSERA_OP_ASSIGN_ASID:
            return "assign_asid " + object(op.assign_asid.vspace);
        case TESSERA_OP_MAP_TABLE:
            return "map_table " + object(op.map_table.table) + " into " + object(op.map_table.vspace) +
                   " at " + hex(op.map_table.vaddr);
        case TESSERA_OP_FILL_FRAME:
            return "fill_frame " + object(op.fill_frame.frame) + "+" + hex(op.fill_frame.frame_offset) +
                   " from entry " + std::to_string(op.fill_frame.entry) + "+" +
                   hex(op.fill_frame.entry_offset) + " length " + hex(op.fill_frame.length);
        case TESSERA_OP_WRITE_PADDR:
            return "write_paddr " + object(op.write_paddr.frame) + "+" +
                   hex(op.write_paddr.frame_offset) + " = physical address of " +
                   object(op.write_paddr.source);
        case TESSERA_OP_MAP_FRAME:
            return "map_frame " + object(op.map_frame.frame) + " into " + object(op.map_frame.vspace) +
                   " at " + hex(op.map_frame.vaddr) + " " + rights(op.map_frame.rights).substr(0, 3) +
                   (op.map_frame.flags & TESSERA_MAP_CACHED ? " cached" : " uncached");
        case TESSERA_OP_IRQ_GET_IOAPIC: {
            const auto& irq = op.irq_get_ioapic;
            return "irq_get_ioapic " + object(irq.handler) + " ioapic=" + std::to_string(irq.ioapic) +
                   (irq.from_device ? " pin=INTx of pci device " + std::to_string(irq.from_device - 1)
                                    : " pin=" + std::to_string(irq.pin)) +
                   (irq.level ? " level" : " edge") +
                   (irq.polarity ? " low" : " high") + " vector=" + std::to_string(irq.vector);
        }
        case TESSERA_OP_IRQ_GET_MSI: {
            const auto& irq = op.irq_get_msi;
            char pci[16];
            std::snprintf(pci, sizeof pci, "%02x:%02x.%x", irq.pci_bus, irq.pci_device, irq.pci_function);
            return "irq_get_msi " + object(irq.handler) + " pci=" +
                   (irq.from_device ? "device " + std::to_string(irq.from_device - 1) : std::string(pci)) +
                   " handle=" +
                   std::to_string(irq.handle) + " vector=" + std::to_string(irq.vector);
        }
        case TESSERA_OP_IRQ_SET_NOTIFICATION:
            return "irq_set_notification " + object(op.irq_set_notification.handler) + " -> " +
                   object(op.irq_set_notification.notification) + " badge=" +
                   hex(op.irq_set_notification.badge);
        case TESSERA_OP_MINT_CAP:
            return "mint_cap " + object(op.mint_cap.object) + " into " + object(op.mint_cap.cnode) +
                   "[" + std::to_string(op.mint_cap.slot) + "] " + rights(op.mint_cap.rights) +
                   " badge=" + hex(op.mint_cap.badge);
        case TESSERA_OP_TCB_CONFIGURE: {
            const auto& c = op.tcb_configure;
            return "tcb_configure " + object(c.tcb) + " cspace=" + object(c.cspace) + " vspace=" +
                   object(c.vspace) + " ipc_buffer=" + object(c.ipc_buffer) + "@" +
                   hex(c.ipc_buffer_vaddr) + " fault_endpoint=" + std::to_string(c.fault_endpoint);
        }
        case TESSERA_OP_TCB_SET_PRIORITY:
            return "tcb_set_priority " + object(op.tcb_set_priority.tcb) + " priority=" +
                   std::to_string(op.tcb_set_priority.priority) + " max=" +
                   std::to_string(op.tcb_set_priority.max_priority);
        case TESSERA_OP_TCB_WRITE_REGISTERS:
            return "tcb_write_registers " + object(op.tcb_write_registers.tcb) + " rip=" +
                   hex(op.tcb_write_registers.instruction_pointer) + " rsp=" +
                   hex(op.tcb_write_registers.stack_pointer) + " rdi=" +
                   hex(op.tcb_write_registers.argument);
        case TESSERA_OP_TCB_BIND_NOTIFICATION:
            return "tcb_bind_notification " + object(op.tcb_bind_notification.tcb) + " " +
                   object(op.tcb_bind_notification.notification);
        case TESSERA_OP_TCB_SET_NAME: {
            const char* name = spec_.string(op.tcb_set_name.name);
            return "tcb_set_name " + object(op.tcb_set_name.tcb) + " \"" + (name ? name : "") + "\"";
        }
        case TESSERA_OP_TCB_RESUME:
            return "tcb_resume " + object(op.tcb_resume.tcb);
        case TESSERA_OP_IOPORT_ISSUE:
            return "ioport_issue " + object(op.ioport_issue.ioport) + " ports " +
                   hex(op.ioport_issue.first_port) + ".." + hex(op.ioport_issue.last_port);
        case TESSERA_OP_FILL_BOOTINFO:
            return "fill_bootinfo " + object(op.fill_bootinfo.frame) + " with BootInfo chunk " +
                   std::to_string(op.fill_bootinfo.chunk);
        case TESSERA_OP_TCB_SET_FLAGS:
            return "tcb_set_flags " + object(op.tcb_set_flags.tcb) + " set=" +
                   hex(op.tcb_set_flags.set) + " clear=" + hex(op.tcb_set_flags.clear) +
                   (op.tcb_set_flags.set & TESSERA_TCB_FLAG_FPU_DISABLED ? " (no FPU)" : "");
        case TESSERA_OP_DOMAIN_SET:
            return "domain_set " + object(op.domain_set.tcb) + " domain=" + std::to_string(op.domain_set.domain);
        case TESSERA_OP_DOMAIN_SCHEDULE:
            return "domain_schedule [" + std::to_string(op.domain_schedule.index) + "] " +
                   (op.domain_schedule.duration == 0 ? std::string("end marker")
                                                     : "domain=" + std::to_string(op.domain_schedule.domain) +
                                                           " ticks=" + std::to_string(op.domain_schedule.duration));
        case TESSERA_OP_DOMAIN_START:
            return "domain_start [" + std::to_string(op.domain_start.index) + "]";
        case TESSERA_OP_SVM_VCPU_BIND:
            return "svm_vcpu_bind " + object(op.svm_vcpu_bind.vcpu) + " to " + object(op.svm_vcpu_bind.tcb) +
                   ", guest memory " + object(op.svm_vcpu_bind.guest);
        }
        return "unknown op " + std::to_string(op.kind);
    }

private:
    const spec::SpecView& spec_;
    std::vector<std::string> names_;
};

} // namespace

std::vector<std::string> describe_operations(const spec::SpecView& spec)
{
    Describer describer(spec);
    std::vector<std::string> out;
    for (uint32_t i = 0; i < spec.op_count(); ++i)
        out.push_back(describer.describe(spec.op(i)));
    return out;
}

std::string describe_image(const spec::ImageView& image)
{
    std::string out;
    char line[160];
    std::snprintf(line, sizeof line, "image: %u entries\n", image.entry_count());
    out += line;
    for (uint32_t i = 0; i < image.entry_count(); ++i) {
        const auto entry = image.entry(i);
        std::snprintf(line, sizeof line, "  entry %u: %s '%s' offset 0x%llx size 0x%llx\n", i,
                      entry.kind == TESSERA_ENTRY_SPEC  ? "spec"
                      : entry.kind == TESSERA_ENTRY_ELF ? "elf"
                                                        : "data",
                      entry.name,
                      static_cast<unsigned long long>(entry.offset),
                      static_cast<unsigned long long>(entry.size));
        out += line;
    }
    const spec::SpecView& spec = image.spec();
    std::snprintf(line, sizeof line, "spec: %u operations, %u objects\n", spec.op_count(),
                  spec.object_count());
    out += line;
    const std::vector<std::string> operations = describe_operations(spec);
    for (uint32_t i = 0; i < operations.size(); ++i) {
        std::snprintf(line, sizeof line, "  %5u ", i);
        out += line + operations[i] + "\n";
    }
    return out;
}

} // namespace tessera::sdf

// XML to model. Each element is read independently and every problem is reported, so one run
// shows all mistakes; an element too broken to use is left out of the model.
#include "parser.h"

#include <fstream>
#include <initializer_list>
#include <pugixml.hpp>
#include <sstream>

#include "domains_parser.h"
#include "interfaces_parser.h"
#include "interfaces_resolve.h"
#include "manager_element.h"
#include "number.h"
#include "xml_element.h"

namespace tessera::sdf {
namespace {

class Parser {
public:
    Parser(std::string_view text, Diagnostics& diagnostics)
        : text_(text), source_(text), diagnostics_(diagnostics)
    {
    }

    System parse();

private:
    Element element(pugi::xml_node node) { return context()(node); }
    ElementContext context() { return ElementContext{source_, text_, diagnostics_}; }

    template <class Visit> void each_child(pugi::xml_node node, Visit visit)
    {
        each_child_element(node, visit);
    }

    void unknown_child(Element& child, const std::string& parent,
                       std::initializer_list<const char*> expected)
    {
        child.error("unknown element <" + child.name() + "> in <" + parent +
                    ">; expected one of " + quoted_list(expected));
    }

    void protection_domain(pugi::xml_node node, std::optional<size_t> parent);
    std::optional<Map> map(Element& e, bool allow_setvar,
                           std::vector<SetVar>* setvars);
    std::optional<Irq> irq(Element& e, std::vector<SetVar>& setvars);
    std::optional<IoPort> ioport(Element& e, std::vector<SetVar>& setvars);
    void cspace(Element& e, std::vector<CapMap>& caps);
    std::optional<PciDevice> pci_device(Element& e, std::vector<SetVar>& setvars);
    void memory_region(pugi::xml_node node);
    void channel(pugi::xml_node node);
    std::optional<VirtualMachine> virtual_machine(Element& e);
    void scheduling(Element& e, uint64_t& priority, uint64_t& budget, uint64_t& period);

    std::string_view text_;
    SourceMap source_;
    Diagnostics& diagnostics_;
    System system_;
};

System Parser::parse()
{
    pugi::xml_document document;
    pugi::xml_parse_result result =
        document.load_buffer(text_.data(), text_.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!result) {
        diagnostics_.error(source_.at(static_cast<size_t>(result.offset)),
                           std::string("malformed XML: ") + result.description());
        return system_;
    }
    pugi::xml_node root = document.document_element();
    if (std::string_view(root.name()) != "system") {
        element(root).error("root element is <" + std::string(root.name()) +
                            ">, expected <system>");
        return system_;
    }
    Element system = element(root);
    system.allow({});
    each_child(root, [&](pugi::xml_node child) {
        const std::string_view name = child.name();
        if (name == "protection_domain")
            protection_domain(child, std::nullopt);
        else if (name == "memory_region")
            memory_region(child);
        else if (name == "channel")
            channel(child);
        else if (name == "manager") {
            const Element e = element(child);
            system_.managers.push_back(ManagerElement{e.offset(), e.where()});
        }
        else if (is_interface_element(name))
            read_interface_element(child, context(), system_.interfaces);
        else if (name == "domains")
            read_domains(child, context(), system_);
        else if (name == "io_address_space") {
            // A Microkit feature Tessera's kernel does not have yet: said so, not "unknown".
            Element e = element(child);
            e.error("<io_address_space> (IOMMU) is not supported: Tessera's kernel has no IOMMU support "
                    "(docs/microkit.md)");
        } else {
            Element e = element(child);
            unknown_child(e, "system", {"protection_domain", "memory_region", "channel",
                                        "interface", "connection", "manager", "domains",
                                        "io_address_space"});
        }
    });
    // A channel end's setvar_id sets a variable in its PD's program, like every other setvar.
    for (const auto& channel : system_.channels)
        for (const ChannelEnd* end : {&channel.a, &channel.b})
            if (!end->setvar_id.empty())
                if (auto pd = system_.pd_index(end->pd))
                    system_.protection_domains[*pd].setvars.push_back(
                        SetVar{end->setvar_id, SetVarKind::Id, "", end->id, end->setvar_where});
    resolve_domains(system_, diagnostics_);
    return std::move(system_);
}

void Parser::scheduling(Element& e, uint64_t& priority, uint64_t& budget, uint64_t& period)
{
    priority = e.number_or("priority", 0);
    if (priority > MaxPriority) {
        e.error("priority", "priority " + std::to_string(priority) +
                                " is out of range, expected 0 to " + std::to_string(MaxPriority));
        priority = MaxPriority;
    }
    // Accepted and checked as Microkit does; enforced once the MCS kernel exists.
    budget = e.number_or("budget", DefaultBudget);
    period = e.number_or("period", budget);
    if (budget > period)
        e.error("budget", "budget (" + std::to_string(budget) + ") must not exceed period (" +
                              std::to_string(period) + ")");
}

void Parser::protection_domain(pugi::xml_node node, std::optional<size_t> parent)
{
    Element e = element(node);
    if (parent)
        e.allow({"name", "priority", "budget", "period", "passive", "stack_size", "cpu", "pp",
                 "smc", "fpu", "domain", "id", "setvar_id"});
    else
        e.allow({"name", "priority", "budget", "period", "passive", "stack_size", "cpu", "pp",
                 "smc", "fpu", "domain"});

    ProtectionDomain pd;
    pd.where = e.where();
    pd.parent = parent;
    pd.name = e.required_text("name").value_or("");
    scheduling(e, pd.priority, pd.budget, pd.period);
    pd.passive = e.boolean_or("passive", false);
    e.boolean_or("pp", false); // the seL4 Core Platform's attribute; channels now say it
    pd.fpu = e.boolean_or("fpu", true);
    pd.domain = e.text("domain").value_or("");
    pd.domain_where = e.where("domain");
    if (e.boolean_or("smc", false))
        e.error("smc", "smc is only available on ARM; x86_64 has no SMC forwarding");
    pd.stack_size = e.number_or("stack_size", DefaultStackSize);
    pd.stack_size_where = e.has("stack_size") ? e.where("stack_size") : pd.where;
    if (pd.stack_size < MinStackSize || pd.stack_size > MaxStackSize) {
        e.error("stack_size", "stack_size " + hex(pd.stack_size) + " is out of range, expected " +
                                  hex(MinStackSize) + " to " + hex(MaxStackSize));
        pd.stack_size = DefaultStackSize;
    } else if (pd.stack_size % PageSize4K != 0) {
        e.error("stack_size", "stack_size " + hex(pd.stack_size) +
                                  " is not a multiple of the page size 0x1000");
        pd.stack_size = DefaultStackSize;
    }
    pd.cpu = e.number_or("cpu", 0);
    if (pd.cpu >= CpuCount)
        e.error("cpu", "cpu " + std::to_string(pd.cpu) +
                           " is out of range, expected 0 (Tessera runs on one CPU for now)");
    if (parent) {
        pd.id = e.required_id();
        if (auto symbol = e.text("setvar_id"); symbol && pd.id) {
            // The parent's program learns the child's id through this symbol.
            system_.protection_domains[*parent].setvars.push_back(
                SetVar{*symbol, SetVarKind::Id, "", *pd.id, e.where("setvar_id")});
        }
    }

    const size_t index = system_.protection_domains.size();
    system_.protection_domains.push_back(pd);
    std::vector<pugi::xml_node> children;
    bool has_image = false;
    bool has_cspace = false;

    each_child(node, [&](pugi::xml_node child_node) {
        Element child = element(child_node);
        ProtectionDomain& self = system_.protection_domains[index];
        const std::string_view name = child_node.name();
        if (name == "program_image") {
            child.allow({"path", "path_for_symbols"});
            if (has_image) {
                child.error("second <program_image> in protection domain '" + self.name +
                            "', expected exactly one");
                return;
            }
            has_image = true;
            self.program_image = child.required_text("path").value_or("");
            self.symbols_image = child.text("path_for_symbols").value_or("");
            self.program_image_where = child.where();
        } else if (name == "map") {
            if (auto m = map(child, true, &self.setvars))
                self.maps.push_back(*m);
        } else if (name == "irq") {
            if (auto i = irq(child, self.setvars))
                self.irqs.push_back(*i);
        } else if (name == "setvar") {
            // Microkit's region_paddr; Tessera's string (a text for the program to read) and
            // region_size (a region's size without mapping it: a virtualiser checks requests
            // against client regions it never maps).
            child.allow({"symbol", "region_paddr", "region_size", "string"});
            auto symbol = child.required_text("symbol");
            const int given = int(child.has("region_paddr")) + int(child.has("region_size")) +
                              int(child.has("string"));
            if (given > 1) {
                child.error("<setvar> takes one of 'region_paddr', 'region_size' and 'string'");
            } else if (auto text = child.text("string")) {
                if (symbol)
                    self.setvars.push_back(
                        SetVar{*symbol, SetVarKind::String, "", 0, child.where(), *text});
            } else if (auto sized = child.text("region_size")) {
                if (symbol)
                    self.setvars.push_back(SetVar{*symbol, SetVarKind::Size, *sized, 0, child.where()});
            } else if (auto region = child.required_text("region_paddr"); symbol && region) {
                self.setvars.push_back(
                    SetVar{*symbol, SetVarKind::RegionPaddr, *region, 0, child.where()});
            }
        } else if (name == "ioport") {
            if (auto port = ioport(child, self.setvars))
                self.ioports.push_back(*port);
        } else if (name == "cspace") {
            if (has_cspace) {
                child.error("second <cspace> in protection domain '" + self.name +
                            "', expected at most one");
                return;
            }
            has_cspace = true;
            cspace(child, self.caps);
        } else if (name == "pci_device") {
            if (auto device = pci_device(child, self.setvars))
                self.pci_devices.push_back(*device);
        } else if (name == "protection_domain") {
            children.push_back(child_node); // after this PD's own elements, parents first
        } else if (name == "virtual_machine") {
            if (self.virtual_machine) {
                child.error("second <virtual_machine> in protection domain '" + self.name +
                            "', expected at most one");
                return;
            }
            self.virtual_machine = virtual_machine(child);
        } else if (is_port_element(name)) {
            read_port_element(child_node, context(), index, system_.interfaces);
        } else {
            unknown_child(child, "protection_domain",
                          {"program_image", "map", "irq", "ioport", "setvar", "cspace", "pci_device",
                           "protection_domain", "virtual_machine", "provides", "uses"});
        }
    });
    if (!has_image)
        e.error("protection domain '" + pd.name +
                "' has no <program_image>, expected exactly one");
    for (pugi::xml_node child : children)
        protection_domain(child, index);
}

std::optional<Map> Parser::map(Element& e, bool allow_setvar, std::vector<SetVar>* setvars)
{
    if (allow_setvar)
        e.allow({"mr", "vaddr", "perms", "cached", "setvar_vaddr", "setvar_size",
                 "setvar_prefill_size"});
    else
        e.allow({"mr", "vaddr", "perms", "cached"});
    Map m;
    m.where = e.where();
    auto mr = e.required_text("mr");
    auto vaddr = e.required_number("vaddr");
    if (auto perms = e.text("perms")) {
        uint8_t bits = 0;
        bool valid = !perms->empty();
        for (char c : *perms) {
            const uint8_t bit = c == 'r' ? PermRead : c == 'w' ? PermWrite : c == 'x' ? PermExecute : 0;
            valid = valid && bit != 0 && (bits & bit) == 0;
            bits |= bit;
        }
        if (!valid) {
            e.error("perms", "perms '" + *perms +
                                 "' is invalid, expected a combination of 'r', 'w' and 'x'");
        } else if ((bits & PermRead) == 0) {
            // x86_64 page tables cannot express write-only or execute-only pages.
            e.error("perms", "perms '" + *perms + "' lacks 'r', which x86_64 cannot map; "
                             "expected 'r' with 'w' or 'x'");
        }
        m.perms = bits;
    }
    m.cached = e.boolean_or("cached", true);
    if (!mr || !vaddr)
        return std::nullopt;
    m.mr = *mr;
    m.vaddr = *vaddr;
    if (setvars) {
        if (auto symbol = e.text("setvar_vaddr"))
            setvars->push_back(SetVar{*symbol, SetVarKind::Vaddr, m.mr, m.vaddr, e.where("setvar_vaddr")});
        if (auto symbol = e.text("setvar_size"))
            setvars->push_back(SetVar{*symbol, SetVarKind::Size, m.mr, 0, e.where("setvar_size")});
        if (auto symbol = e.text("setvar_prefill_size"))
            setvars->push_back(SetVar{*symbol, SetVarKind::PrefillSize, m.mr, 0,
                                      e.where("setvar_prefill_size")});
    }
    return m;
}

std::optional<Irq> Parser::irq(Element& e, std::vector<SetVar>& setvars)
{
    Irq irq;
    irq.where = e.where();
    auto vector_in_range = [&](std::optional<uint64_t> vector) -> bool {
        if (vector && *vector > MaxIrqVector) {
            e.error("vector", "vector " + std::to_string(*vector) +
                                  " is out of range, expected 0 to " + std::to_string(MaxIrqVector));
            return false;
        }
        return vector.has_value();
    };
    auto trigger = [&]() {
        auto value = e.text("trigger");
        if (!value || *value == "level")
            return Trigger::Level;
        if (*value == "edge")
            return Trigger::Edge;
        e.error("trigger", "trigger '" + *value + "' is invalid, expected 'level' or 'edge'");
        return Trigger::Level;
    };
    bool complete = true;
    if (e.has("irq")) {
        e.allow({"irq", "id", "setvar_id", "trigger"});
        irq.kind = IrqKind::Legacy;
        auto number = e.required_number("irq");
        irq.trigger = trigger();
        if (number && *number > MaxIrqVector) {
            e.error("irq", "irq " + std::to_string(*number) + " is out of range, expected 0 to " +
                               std::to_string(MaxIrqVector));
            complete = false;
        } else if (number) {
            irq.pin = irq.vector = *number;
        } else {
            complete = false;
        }
    } else if (e.has("pin")) {
        e.allow({"id", "setvar_id", "ioapic", "pin", "trigger", "polarity", "vector"});
        irq.kind = IrqKind::Ioapic;
        irq.ioapic = e.number_or("ioapic", 0);
        auto pin = e.number("pin");
        irq.trigger = trigger();
        if (auto polarity = e.text("polarity"); polarity && *polarity != "high") {
            if (*polarity == "low")
                irq.polarity = Polarity::Low;
            else
                e.error("polarity", "polarity '" + *polarity + "' is invalid, expected 'low' or 'high'");
        }
        auto vector = e.required_number("vector");
        complete = pin.has_value() && vector_in_range(vector);
        irq.pin = pin.value_or(0);
        irq.vector = vector.value_or(0);
    } else if (e.has("pcidev")) {
        e.allow({"id", "setvar_id", "pcidev", "handle", "vector"});
        irq.kind = IrqKind::Msi;
        const std::string text = *e.text("pcidev");
        unsigned bus = 0, device = 0, function = 0;
        char tail = 0;
        if (std::sscanf(text.c_str(), "%x:%x.%x%c", &bus, &device, &function, &tail) != 3 ||
            bus > 255 || device > 31 || function > 7) {
            e.error("pcidev", "pcidev '" + text + "' is invalid, expected bus:device.function in "
                              "hexadecimal (bus 0-ff, device 0-1f, function 0-7)");
            complete = false;
        }
        irq.pci_bus = static_cast<uint8_t>(bus);
        irq.pci_device = static_cast<uint8_t>(device);
        irq.pci_function = static_cast<uint8_t>(function);
        auto handle = e.required_number("handle");
        auto vector = e.required_number("vector");
        complete = complete && handle.has_value() && vector_in_range(vector);
        irq.handle = handle.value_or(0);
        irq.vector = vector.value_or(0);
    } else {
        e.allow({"irq", "id", "setvar_id", "trigger", "ioapic", "pin", "polarity", "vector",
                 "pcidev", "handle"});
        e.error("<irq> needs one of the attributes 'irq', 'pin' (I/O APIC) or 'pcidev' (MSI)");
        complete = false;
    }
    auto id = e.required_id();
    if (!id || !complete)
        return std::nullopt;
    irq.id = *id;
    if (auto symbol = e.text("setvar_id"))
        setvars.push_back(SetVar{*symbol, SetVarKind::Id, "", irq.id, e.where("setvar_id")});
    return irq;
}

// <pci_device name pcidev info_vaddr setvar_info bus_master> with <bar index vaddr size
// setvar_vaddr>, and at most one of <msi id vector>, <msix id vector entry>, <intx id vector>.
std::optional<PciDevice> Parser::pci_device(Element& e, std::vector<SetVar>& setvars)
{
    e.allow({"name", "pcidev", "info_vaddr", "setvar_info", "bus_master"});
    PciDevice device;
    device.where = e.where();
    auto name = e.required_text("name");
    auto text = e.required_text("pcidev");
    bool valid = name && text;
    device.name = name.value_or("");
    if (text) {
        const char* why = nullptr;
        if (!pci::parse_device_match(text->c_str(), device.match, &why)) {
            e.error("pcidev", "pcidev '" + *text + "' is invalid: " + why);
            valid = false;
        } else {
            char canonical[32];
            device.match_text = pci::format_device_match(device.match, canonical, sizeof canonical);
        }
    }
    device.info_vaddr = e.number("info_vaddr");
    if (auto symbol = e.text("setvar_info")) {
        if (!device.info_vaddr)
            e.error("setvar_info", "setvar_info needs info_vaddr");
        else
            setvars.push_back(SetVar{*symbol, SetVarKind::Vaddr, "", *device.info_vaddr, e.where("setvar_info")});
    }
    device.bus_master = e.boolean_or("bus_master", true);
    each_child(e.node(), [&](pugi::xml_node child_node) {
        Element child = element(child_node);
        const std::string_view kind = child_node.name();
        if (kind == "bar") {
            child.allow({"index", "vaddr", "size", "setvar_vaddr"});
            PciBarMap bar;
            bar.where = child.where();
            auto index = child.required_number("index");
            auto vaddr = child.required_number("vaddr");
            auto size = child.required_number("size");
            if (index && *index > 5)
                child.error("index", "BAR index " + std::to_string(*index) + " is out of range, expected 0 to 5");
            if (size && (*size == 0 || *size % PageSize4K != 0))
                child.error("size", "size " + hex(*size) + " is not a positive multiple of 0x1000");
            if (vaddr && *vaddr % PageSize4K != 0)
                child.error("vaddr", "vaddr " + hex(*vaddr) + " is not aligned to 0x1000");
            if (!index || !vaddr || !size || *index > 5)
                return;
            bar.index = *index;
            bar.vaddr = *vaddr;
            bar.size = *size;
            if (auto symbol = child.text("setvar_vaddr"))
                setvars.push_back(SetVar{*symbol, SetVarKind::Vaddr, "", bar.vaddr, child.where("setvar_vaddr")});
            device.bars.push_back(bar);
        } else if (kind == "msi" || kind == "msix" || kind == "intx") {
            if (device.interrupt != PciInterrupt::None) {
                child.error("second interrupt in <pci_device> '" + device.name +
                            "', expected at most one of <msi>, <msix>, <intx>");
                return;
            }
            if (kind == "msix")
                child.allow({"id", "setvar_id", "vector", "entry"});
            else
                child.allow({"id", "setvar_id", "vector"});
            auto id = child.required_id();
            auto vector = child.required_number("vector");
            if (vector && *vector > MaxIrqVector) {
                child.error("vector", "vector " + std::to_string(*vector) +
                                          " is out of range, expected 0 to " + std::to_string(MaxIrqVector));
                return;
            }
            const uint64_t entry = child.number_or("entry", 0);
            if (entry > 2047) {
                child.error("entry", "MSI-X entry " + std::to_string(entry) + " is out of range, expected 0 to 2047");
                return;
            }
            if (!id || !vector)
                return;
            device.interrupt = kind == "intx" ? PciInterrupt::Intx
                               : kind == "msi" ? PciInterrupt::Msi
                                               : PciInterrupt::Msix;
            device.irq_id = *id;
            device.vector = *vector;
            device.msix_entry = entry;
            device.interrupt_where = child.where();
            if (auto symbol = child.text("setvar_id"))
                setvars.push_back(SetVar{*symbol, SetVarKind::Id, "", *id, child.where("setvar_id")});
        } else {
            unknown_child(child, "pci_device", {"bar", "msi", "msix", "intx"});
        }
    });
    if (!valid)
        return std::nullopt;
    return device;
}

std::optional<VirtualMachine> Parser::virtual_machine(Element& e)
{
    e.allow({"name", "priority", "budget", "period"});
    VirtualMachine vm;
    vm.where = e.where();
    vm.name = e.required_text("name").value_or("");
    scheduling(e, vm.priority, vm.budget, vm.period);
    each_child(e.node(), [&](pugi::xml_node child_node) {
        Element child = element(child_node);
        const std::string_view name = child_node.name();
        if (name == "vcpu") {
            child.allow({"id", "setvar_id", "cpu"});
            if (auto id = child.required_id())
                vm.vcpus.push_back(VirtualCpu{*id, child.where()});
        } else if (name == "map") {
            if (auto m = map(child, false, nullptr))
                vm.maps.push_back(*m);
        } else {
            unknown_child(child, "virtual_machine", {"vcpu", "map"});
        }
    });
    if (vm.vcpus.empty())
        e.error("virtual machine '" + vm.name + "' has no <vcpu>, expected at least one");
    return vm;
}

std::optional<IoPort> Parser::ioport(Element& e, std::vector<SetVar>& setvars)
{
    e.allow({"id", "addr", "size", "setvar_id", "setvar_addr"});
    IoPort port;
    port.where = e.where();
    auto id = e.required_number("id");
    auto addr = e.required_number("addr");
    auto size = e.required_number("size");
    bool valid = id && addr && size;
    if (id && *id > MaxIoPortId) {
        e.error("id", "ioport id " + std::to_string(*id) + " is out of range, expected 0 to " +
                          std::to_string(MaxIoPortId));
        valid = false;
    }
    if (size && *size == 0) {
        e.error("size", "ioport size is 0, expected at least one port");
        valid = false;
    } else if (addr && size && (*addr > MaxIoPort || *size > MaxIoPort + 1 - *addr)) {
        e.error("addr", "ioport [" + hex(*addr) + ", " + hex(*addr + *size) +
                            ") is outside the x86 I/O port space [0x0, 0x10000)");
        valid = false;
    }
    if (!valid)
        return std::nullopt;
    port.id = *id;
    port.addr = *addr;
    port.size = *size;
    if (auto symbol = e.text("setvar_id"))
        setvars.push_back(SetVar{*symbol, SetVarKind::Id, "", port.id, e.where("setvar_id")});
    if (auto symbol = e.text("setvar_addr"))
        setvars.push_back(SetVar{*symbol, SetVarKind::IoPortAddr, "", port.addr, e.where("setvar_addr")});
    return port;
}

void Parser::cspace(Element& e, std::vector<CapMap>& caps)
{
    e.allow({});
    each_child(e.node(), [&](pugi::xml_node child_node) {
        Element child = element(child_node);
        const std::string_view name = child_node.name();
        CapMap cap;
        if (name == "cap_tcb")
            cap.kind = CapKind::Tcb;
        else if (name == "cap_sc")
            cap.kind = CapKind::SchedulingContext;
        else if (name == "cap_vspace")
            cap.kind = CapKind::VSpace;
        else {
            unknown_child(child, "cspace", {"cap_tcb", "cap_sc", "cap_vspace"});
            return;
        }
        child.allow({"slot", "pd"});
        cap.where = child.where();
        auto slot = child.required_number("slot");
        auto pd = child.required_text("pd");
        if (slot && (*slot == 0 || *slot > MaxCapSlot)) {
            child.error("slot", "slot " + std::to_string(*slot) + " is out of range, expected 1 to " +
                                    std::to_string(MaxCapSlot) + " (slot 0 is the PD's own CNode)");
            return;
        }
        if (!slot || !pd)
            return;
        cap.slot = *slot;
        cap.pd = *pd;
        caps.push_back(cap);
    });
}

void Parser::memory_region(pugi::xml_node node)
{
    Element e = element(node);
    e.allow({"name", "size", "page_size", "phys_addr", "prefill_path", "prefill_bootinfo"});
    each_child(node, [&](pugi::xml_node child_node) {
        Element child = element(child_node);
        child.error("unknown element <" + child.name() + "> in <memory_region>; expected none");
    });
    MemoryRegion mr;
    mr.where = e.where();
    auto name = e.required_text("name");
    mr.prefill_path = e.text("prefill_path").value_or("");
    if (auto chunk = e.text("prefill_bootinfo")) {
        // The x86 BootInfo chunks Microkit names (seL4's SEL4_BOOTINFO_HEADER_X86_*).
        const std::pair<const char*, uint32_t> chunks[] = {{"x86_vbe", 1}, {"x86_mbmap", 2},
                                                           {"x86_acpi_rsdp", 3},
                                                           {"x86_framebuffer", 4},
                                                           {"x86_tsc_freq", 5}};
        for (const auto& [name, id] : chunks)
            if (*chunk == name)
                mr.bootinfo = id;
        if (mr.bootinfo == 0)
            e.error("prefill_bootinfo", "prefill_bootinfo '" + *chunk + "' is invalid, expected "
                                        "x86_vbe, x86_mbmap, x86_acpi_rsdp, x86_framebuffer or "
                                        "x86_tsc_freq");
        if (!mr.prefill_path.empty())
            e.error("prefill_bootinfo", "a memory region takes prefill_path or prefill_bootinfo, "
                                        "not both");
    }
    // With a prefill file the size may be left out: the file's length, rounded up to a page
    // (load_prefills sets it once the file is read); with BootInfo it is one page.
    const bool size_optional = !mr.prefill_path.empty() || e.has("prefill_bootinfo");
    auto size = !size_optional || e.has("size") ? e.required_number("size")
                                                : std::optional<uint64_t>(0);
    mr.page_size = e.number_or("page_size", PageSize4K);
    bool valid = name && size;
    if (mr.page_size != PageSize4K && mr.page_size != PageSize2M) {
        e.error("page_size", "page_size " + hex(mr.page_size) +
                                 " is not supported, expected 0x1000 (4 KiB) or 0x200000 (2 MiB)");
        valid = false;
    } else if (size && *size == 0 && e.has("size")) {
        e.error("size", "size is 0, expected a positive multiple of the page size");
        valid = false;
    } else if (size && *size % mr.page_size != 0) {
        e.error("size", "size " + hex(*size) + " is not a multiple of the page size " +
                            hex(mr.page_size));
        valid = false;
    }
    mr.phys_addr = e.number("phys_addr");
    if (mr.phys_addr && *mr.phys_addr % mr.page_size != 0) {
        e.error("phys_addr", "phys_addr " + hex(*mr.phys_addr) +
                                 " is not aligned to the page size " + hex(mr.page_size));
        valid = false;
    }
    if (mr.bootinfo != 0 && mr.page_size != PageSize4K) {
        e.error("prefill_bootinfo", "prefill_bootinfo needs page_size 0x1000");
        valid = false;
    }
    if (!valid)
        return;
    mr.name = *name;
    mr.size = *size;
    if (mr.size == 0 && e.has("prefill_bootinfo"))
        mr.size = mr.page_size;
    system_.memory_regions.push_back(mr);
}

void Parser::channel(pugi::xml_node node)
{
    Element e = element(node);
    e.allow({});
    std::vector<ChannelEnd> ends;
    size_t end_elements = 0;
    bool valid = true;
    each_child(node, [&](pugi::xml_node child_node) {
        Element child = element(child_node);
        if (std::string_view(child_node.name()) != "end") {
            unknown_child(child, "channel", {"end"});
            return;
        }
        ++end_elements;
        child.allow({"pd", "id", "pp", "notify", "setvar_id"});
        ChannelEnd end;
        end.where = child.where();
        end.setvar_id = child.text("setvar_id").value_or("");
        end.setvar_where = child.where("setvar_id");
        auto pd = child.required_text("pd");
        auto id = child.required_id();
        end.pp = child.boolean_or("pp", false);
        end.notify = child.boolean_or("notify", true);
        if (!pd || !id) {
            valid = false;
            return;
        }
        end.pd = *pd;
        end.id = *id;
        ends.push_back(end);
    });
    if (end_elements != 2) {
        e.error("<channel> has " + std::to_string(end_elements) +
                " <end> elements, expected exactly two");
        return;
    }
    if (!valid)
        return;
    if (ends[0].pp && ends[1].pp) {
        e.error("both ends of the channel have pp=\"true\", expected at most one "
                "(protected procedure calls go one way)");
        return;
    }
    system_.channels.push_back(Channel{ends[0], ends[1], e.where()});
}

} // namespace

System parse_system(std::string_view text, Diagnostics& diagnostics)
{
    Parser parser(text, diagnostics);
    System system = parser.parse();
    // Tessera's interfaces need the whole system; lowering them leaves plain Microkit behind.
    resolve_interfaces(system, diagnostics);
    // Managers route to the channels of their protection domain, so they are checked last.
    check_manager_elements(text, system, diagnostics);
    return system;
}

System parse_system_file(const std::string& path, Diagnostics& diagnostics)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        diagnostics.error(Location{}, "cannot read the file");
        return System{};
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    return parse_system(text, diagnostics);
}

} // namespace tessera::sdf

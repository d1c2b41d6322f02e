// Report and JSON views of a built system, from the model and the loader's own reader.
#include "report.h"

#include <sstream>

#include "inspect.h"
#include "number.h"

namespace tessera::sdf {
namespace {

std::string perms(uint8_t bits)
{
    std::string out;
    out += bits & PermRead ? 'r' : '-';
    out += bits & PermWrite ? 'w' : '-';
    out += bits & PermExecute ? 'x' : '-';
    return out;
}

const char* cap_kind_name(CapKind kind)
{
    switch (kind) {
    case CapKind::Tcb: return "tcb";
    case CapKind::SchedulingContext: return "sc";
    case CapKind::VSpace: return "vspace";
    }
    return "?";
}

void describe_pd(std::ostringstream& out, const System& system, const ProtectionDomain& pd)
{
    out << "  " << pd.name << ": priority " << pd.priority << ", budget " << pd.budget
        << " us, period " << pd.period << " us" << (pd.passive ? ", passive" : "")
        << ", stack " << hex(pd.stack_size) << ", cpu " << pd.cpu << (pd.fpu ? "" : ", no FPU")
        << ", program " << pd.program_image;
    if (pd.parent)
        out << ", child " << *pd.id << " of " << system.protection_domains[*pd.parent].name;
    out << "\n";
    for (const auto& map : pd.maps)
        out << "    map " << map.mr << " at " << hex(map.vaddr) << " " << perms(map.perms)
            << (map.cached ? " cached" : " uncached") << "\n";
    for (const auto& irq : pd.irqs) {
        out << "    irq id " << irq.id << ": ";
        if (irq.kind == IrqKind::Msi)
            out << "MSI " << hex(irq.pci_bus) << ":" << hex(irq.pci_device) << "." << irq.pci_function
                << " handle " << irq.handle;
        else
            out << "I/O APIC " << irq.ioapic << " pin " << irq.pin;
        out << ", vector " << irq.vector << "\n";
    }
    for (const auto& port : pd.ioports)
        out << "    ioport id " << port.id << ": [" << hex(port.addr) << ", "
            << hex(port.addr + port.size) << ")\n";
    for (const auto& channel : system.channels)
        for (auto [end, other] : {std::make_pair(&channel.a, &channel.b),
                                  std::make_pair(&channel.b, &channel.a)})
            if (end->pd == pd.name)
                out << "    channel id " << end->id << " to " << other->pd
                    << (end->notify ? ", notifies" : "") << (end->pp ? ", calls (pp)" : "") << "\n";
    for (const auto& cap : pd.caps)
        out << "    cspace slot " << cap.slot << ": " << cap_kind_name(cap.kind) << " of " << cap.pd
            << (cap.kind == CapKind::SchedulingContext ? " (empty: no scheduling contexts without MCS)"
                                                       : "")
            << "\n";
    for (const auto& setvar : pd.setvars)
        out << "    setvar " << setvar.symbol << "\n";
}

} // namespace

std::string build_report(const Bootable& bootable, const ReportContext& context)
{
    const System& system = bootable.system;
    std::ostringstream out;
    out << "Tessera build report\n"
        << "system: " << context.system_file << "\n"
        << "board: " << context.board << ", config: " << context.config << "\n"
        << "image: " << context.image_file << " (" << bootable.bytes.size()
        << " bytes: Tessera's loader with the boot image inside)\n\n";
    out << "Protection domains (" << system.protection_domains.size() << "):\n";
    for (const auto& pd : system.protection_domains)
        describe_pd(out, system, pd);
    out << "\nMemory regions (" << system.memory_regions.size() << "):\n";
    for (const auto& mr : system.memory_regions) {
        out << "  " << mr.name << ": " << hex(mr.size) << " bytes in " << mr.page_count() << " pages of "
            << hex(mr.page_size);
        if (mr.phys_addr)
            out << ", at physical " << hex(*mr.phys_addr);
        if (!mr.prefill_path.empty())
            out << ", prefilled from " << mr.prefill_path << " (" << mr.prefill.size() << " bytes)";
        out << "\n";
    }
    out << "\nNot enforced without MCS: budget, period and passive are accepted and recorded "
           "(docs/microkit.md).\n\n";
    auto image = spec::ImageView::open(bootable.build.image.data(), bootable.build.image.size());
    if (image)
        out << describe_image(image.value());
    return out.str();
}

std::string spec_json(const BuildResult& build)
{
    std::ostringstream out;
    auto image = spec::ImageView::open(build.image.data(), build.image.size());
    if (!image)
        return "{}\n";
    const spec::SpecView& spec = image.value().spec();
    out << "{\n  \"format\": \"tessera-spec\",\n  \"version\": " << TESSERA_SPEC_VERSION
        << ",\n  \"objects\": " << spec.object_count() << ",\n  \"operations\": [\n";
    uint32_t written = 0;
    for (const std::string& operation : describe_operations(spec)) {
        std::string escaped;
        for (char c : operation) {
            if (c == '"' || c == '\\')
                escaped += '\\';
            escaped += c;
        }
        out << (written++ ? ",\n" : "") << "    \"" << escaped << "\"";
    }
    out << "\n  ]\n}\n";
    return out.str();
}

} // namespace tessera::sdf

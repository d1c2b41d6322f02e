// DOT output: boxes for protection domains, cylinders for memory regions, edges for maps
// (labelled with rights and address), channels (arrows show notify and pp directions), irqs,
// I/O port ranges, and the capabilities a <cspace> gives a PD to another PD's objects.
#include "graph.h"

#include "interfaces_resolve.h"
#include "number.h"

namespace tessera::sdf {
namespace {

std::string quote(const std::string& text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') // labels use \n line breaks on purpose, so backslashes pass through
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string perms(uint8_t bits)
{
    std::string out;
    if (bits & PermRead) out += 'r';
    if (bits & PermWrite) out += 'w';
    if (bits & PermExecute) out += 'x';
    return out;
}

const char* cap_kind_name(CapKind kind)
{
    switch (kind) {
    case CapKind::Tcb: return "TCB";
    case CapKind::SchedulingContext: return "scheduling context";
    case CapKind::VSpace: return "VSpace";
    }
    return "?";
}

} // namespace

std::string system_to_dot(const System& system)
{
    std::string out = "digraph system {\n  rankdir=LR;\n  node [fontname=\"sans-serif\"];\n";
    for (const auto& pd : system.protection_domains)
        out += "  " + quote("pd:" + pd.name) + " [shape=box, label=" +
               quote(pd.name + "\\npriority " + std::to_string(pd.priority) +
                     (pd.passive ? "\\npassive" : "")) + "];\n";
    for (const auto& mr : system.memory_regions)
        out += "  " + quote("mr:" + mr.name) + " [shape=cylinder, label=" +
               quote(mr.name + "\\n" + hex(mr.size) +
                     (mr.phys_addr ? "\\n@" + hex(*mr.phys_addr) : "")) + "];\n";
    for (const auto& pd : system.protection_domains) {
        if (pd.parent)
            out += "  " + quote("pd:" + system.protection_domains[*pd.parent].name) + " -> " +
                   quote("pd:" + pd.name) + " [style=dotted, label=" +
                   quote("child " + std::to_string(pd.id.value_or(0))) + "];\n";
        for (const auto& map : pd.maps)
            out += "  " + quote("pd:" + pd.name) + " -> " + quote("mr:" + map.mr) +
                   " [style=dashed, arrowhead=none, label=" +
                   quote(perms(map.perms) + " @" + hex(map.vaddr)) + "];\n";
        for (const auto& irq : pd.irqs)
            out += "  " + quote("irq:" + pd.name + ":" + std::to_string(irq.id)) +
                   " [shape=diamond, label=" + quote("irq vector " + std::to_string(irq.vector)) +
                   "];\n  " + quote("irq:" + pd.name + ":" + std::to_string(irq.id)) + " -> " +
                   quote("pd:" + pd.name) + " [label=" + quote("id " + std::to_string(irq.id)) + "];\n";
        for (const auto& port : pd.ioports) {
            const std::string node = quote("ioport:" + pd.name + ":" + std::to_string(port.id));
            out += "  " + node + " [shape=hexagon, label=" +
                   quote("I/O ports\\n" + hex(port.addr) + "-" + hex(port.addr + port.size - 1)) +
                   "];\n  " + node + " -> " + quote("pd:" + pd.name) + " [label=" +
                   quote("ioport " + std::to_string(port.id)) + "];\n";
        }
        // A capability to another PD's object points from the holder to the owner.
        for (const auto& cap : pd.caps)
            out += "  " + quote("pd:" + pd.name) + " -> " + quote("pd:" + cap.pd) +
                   " [style=bold, color=gray40, label=" +
                   quote("cspace " + std::to_string(cap.slot) + ": " + cap_kind_name(cap.kind)) + "];\n";
    }
    for (const auto& channel : system.channels) {
        const std::string dir = channel.a.notify && channel.b.notify ? "both"
                                : channel.a.notify                   ? "forward"
                                : channel.b.notify                   ? "back"
                                                                     : "none";
        std::string label = std::to_string(channel.a.id) + " : " + std::to_string(channel.b.id);
        if (channel.a.pp || channel.b.pp)
            label += channel.a.pp ? "\\npp " + channel.a.pd + " -> " + channel.b.pd
                                  : "\\npp " + channel.b.pd + " -> " + channel.a.pd;
        if (const std::string purpose = lowered_channel_purpose(system, channel); !purpose.empty())
            label += "\\n" + purpose;
        out += "  " + quote("pd:" + channel.a.pd) + " -> " + quote("pd:" + channel.b.pd) +
               " [dir=" + dir + ", label=" + quote(label) + "];\n";
    }
    return out + "}\n";
}

} // namespace tessera::sdf

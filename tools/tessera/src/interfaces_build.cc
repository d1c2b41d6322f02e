// Generation markers against the description: each program must hold exactly the current
// marker of every interface its protection domain takes part in.
#include "interfaces_build.h"

#include <set>

#include "interfaces_fingerprint.h"
#include "interfaces_names.h"

namespace tessera::sdf {

void check_program_generations(const System& system, size_t pd, const ElfImage& program,
                               Diagnostics& diagnostics)
{
    const ProtectionDomain& domain = system.protection_domains[pd];
    std::set<size_t> interfaces;
    for (const Port& port : system.interfaces.ports)
        if (port.pd == pd)
            if (const Interface* interface = system.interfaces.find(port.interface))
                interfaces.insert(static_cast<size_t>(interface - system.interfaces.interfaces.data()));
    for (size_t index : interfaces) {
        const Interface& interface = system.interfaces.interfaces[index];
        const std::string current = generation_symbol(interface, interface_generation(system, index));
        const std::string prefix = generation_symbol_prefix(interface);
        std::vector<std::string> stale;
        bool found = false;
        for (const std::string& name : program.symbols_with_prefix(prefix)) {
            // The prefix of interface "kv" also begins "kv_admin"'s markers: only 16 hex digits
            // may follow it.
            const std::string digits = name.substr(prefix.size());
            if (digits.size() != 16 || digits.find_first_not_of("0123456789abcdef") != std::string::npos)
                continue;
            if (name == current)
                found = true;
            else
                stale.push_back(digits);
        }
        const std::string program_name = "program image '" + domain.program_image + "' of protection domain '" +
                                         domain.name + "'";
        if (!stale.empty())
            diagnostics.error(domain.program_image_where,
                              program_name + " was compiled with generation 0x" + stale.front() + " of " +
                                  "interface '" + interface.name + "', but the description's is 0x" +
                                  current.substr(prefix.size()) + ": run 'tessera gen' and rebuild it");
        else if (!found)
            diagnostics.error(domain.program_image_where,
                              program_name + " takes part in interface '" + interface.name +
                                  "' but was not compiled with its generated header (no symbol " +
                                  current + "): include " + interface.name + ".h or " +
                                  interface.name + ".hpp from 'tessera gen'");
    }
}

} // namespace tessera::sdf

// <manager> inside a .system: the library reads and checks it; this file adds what only the
// whole system knows (which protection domain runs it and which channels that PD has).
#include "manager_element.h"

#include <memory>
#include <set>
#include <vector>

#include <tessera/manager_config/manager_config.h>

namespace tessera::sdf {
namespace {

namespace mc = tessera::manager_config;

Location location(mc::Location where)
{
    return Location{where.line, where.column};
}

void report(const mc::Diagnostics& found, Diagnostics& diagnostics)
{
    for (size_t i = 0; i < found.kept(); ++i)
        diagnostics.error(location(found.all()[i].where), found.all()[i].message);
    if (found.count() > found.kept())
        diagnostics.error(location(found.all()[found.kept() - 1].where),
                          std::to_string(found.count() - found.kept()) +
                              " more errors in this <manager> not shown");
}

} // namespace

void check_manager_elements(std::string_view text, const System& system, Diagnostics& diagnostics)
{
    std::set<std::string> pds_with_manager;
    for (const ManagerElement& element : system.managers) {
        // A Config is large and fixed-size (it is made for a component without a heap).
        auto config = std::make_unique<mc::Config>();
        auto found = std::make_unique<mc::Diagnostics>();
        const mc::Text source(text.data(), text.size());
        const bool readable = mc::read_element(source, element.offset, *config, *found);
        const std::string pd = config->pd.c_str();
        std::vector<uint32_t> channels;
        if (pd.empty()) {
            diagnostics.error(element.where, "<manager> in a system description needs pd, the "
                                             "protection domain that runs the manager");
        } else if (system.find_pd(pd) == nullptr) {
            diagnostics.error(location(config->pd_where),
                              "pd '" + pd + "' names no protection domain");
        } else if (!pds_with_manager.insert(pd).second) {
            diagnostics.error(element.where, "a second <manager> for pd '" + pd + "'");
        }
        for (const Channel& channel : system.channels)
            for (const ChannelEnd* end : {&channel.a, &channel.b})
                if (end->pd == pd)
                    channels.push_back(static_cast<uint32_t>(end->id));
        if (readable) {
            const mc::Environment environment{channels.data(), channels.size(),
                                              system.find_pd(pd) != nullptr};
            mc::check(*config, environment, *found);
        }
        report(*found, diagnostics);
    }
}

} // namespace tessera::sdf

// A program is looked for as the compiler looks for it (an absolute path, or each search path in
// turn), so a check that finds every program builds exactly what `tessera build` would.
#include "fit_report.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "compiler.h"
#include "embed.h"
#include "machine_fit.h"

namespace tessera::sdf {
namespace {

bool program_found(const ProtectionDomain& pd, const std::vector<std::string>& search_paths)
{
    const std::filesystem::path path(pd.program_image);
    std::error_code error;
    if (path.is_absolute())
        return std::filesystem::is_regular_file(path, error);
    for (const auto& directory : search_paths)
        if (std::filesystem::is_regular_file(std::filesystem::path(directory) / path, error))
            return true;
    return false;
}

} // namespace

void check_machine_fit(const System& system, const FitRequest& request, Diagnostics& diagnostics,
                       std::ostream& out)
{
    for (const auto& pd : system.protection_domains)
        if (!program_found(pd, request.search_paths)) {
            out << "  memory and capabilities: not computed: program image '" << pd.program_image
                << "' not found (build the programs, or give --search-path)\n";
            return;
        }
    auto built = build_system(system, BuildOptions{request.search_paths}, diagnostics);
    if (!built)
        return;
    std::ifstream in(request.loader, std::ios::binary);
    if (!in) {
        out << "  memory and capabilities: not computed: no loader at " << request.loader
            << " (build it: make)\n";
        return;
    }
    std::vector<uint8_t> loader((std::istreambuf_iterator<char>(in)), {});
    std::string why;
    auto embedded = embed_in_loader(std::move(loader), built->image, why);
    auto fit = embedded ? fit_machine(*embedded, built->image, request.guest_memory, why) : std::nullopt;
    if (!fit) {
        diagnostics.error(Location{1, 1}, "the loader " + request.loader + " " + why);
        return;
    }
    out << describe_fit(*fit);
    // A system-wide limit has no one place in the file: its first line stands for it.
    for (const auto& problem : fit_problems(*fit))
        diagnostics.error(Location{1, 1}, problem);
}

} // namespace tessera::sdf

// The build pipeline behind every command that produces a bootable file.
#include "bootable.h"

#include <fstream>
#include <ostream>

#include "checker.h"
#include "embed.h"
#include "machine_fit.h"

namespace tessera::sdf {
namespace {

void report(const Diagnostics& diagnostics, std::ostream& errors)
{
    errors << diagnostics.format_all();
    errors << diagnostics.count() << (diagnostics.count() == 1 ? " error\n" : " errors\n");
}

std::optional<std::vector<uint8_t>> read_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

} // namespace

std::optional<Bootable> make_bootable(const std::string& system_path,
                                      const std::vector<std::string>& directories,
                                      const std::string& loader, std::ostream& errors,
                                      std::optional<uint64_t> guest_memory)
{
    Diagnostics diagnostics(system_path);
    System system = load_and_check(system_path, diagnostics, directories);
    if (!diagnostics.empty()) {
        report(diagnostics, errors);
        return std::nullopt;
    }
    auto result = build_system(system, BuildOptions{directories}, diagnostics);
    if (!result) {
        report(diagnostics, errors);
        return std::nullopt;
    }
    std::vector<uint8_t> bytes = result->image;
    if (!loader.empty()) {
        auto loader_bytes = read_bytes(loader);
        if (!loader_bytes) {
            errors << loader << ": error: cannot read the loader (build it: ninja loader)\n";
            return std::nullopt;
        }
        std::string why;
        auto embedded = embed_in_loader(std::move(*loader_bytes), result->image, why);
        if (!embedded) {
            errors << loader << ": error: the loader " << why << "\n";
            return std::nullopt;
        }
        bytes = std::move(*embedded);
        if (guest_memory) {
            auto fit = fit_machine(bytes, result->image, *guest_memory, why);
            if (!fit) {
                errors << loader << ": error: the loader " << why << "\n";
                return std::nullopt;
            }
            // A system-wide limit has no one place in the file: its first line stands for it.
            for (const auto& problem : fit_problems(*fit))
                diagnostics.error(Location{1, 1}, problem);
            if (!diagnostics.empty()) {
                report(diagnostics, errors);
                return std::nullopt;
            }
        }
    }
    return Bootable{std::move(system), std::move(*result), std::move(bytes)};
}

bool write_bytes(const std::string& path, const std::vector<uint8_t>& bytes, std::ostream& errors)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        errors << path << ": error: cannot write the file\n";
        return false;
    }
    return true;
}

} // namespace tessera::sdf

// Generation for all interfaces of a description, and writing the files.
#include "gen.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "checker.h"
#include "gen_c.h"
#include "gen_cpp.h"
#include "interfaces_fingerprint.h"
#include "interfaces_names.h"
#include "number.h"

namespace tessera::sdf {
namespace {

std::string read_whole(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace

std::vector<GeneratedFile> generate_interface_headers(const System& system, const std::string& source)
{
    std::vector<GeneratedFile> files;
    for (size_t i = 0; i < system.interfaces.interfaces.size(); ++i) {
        const std::string stem = lower_case(system.interfaces.interfaces[i].name);
        files.push_back(GeneratedFile{stem + ".h", c_header(system, i, source)});
        files.push_back(GeneratedFile{stem + ".hpp", cpp_header(system, i, source)});
    }
    return files;
}

int generate_interfaces(const std::string& system_file, const std::string& directory,
                        std::ostream& messages, std::ostream& errors)
{
    Diagnostics diagnostics(system_file);
    System system = load_and_check(system_file, diagnostics);
    if (!diagnostics.empty()) {
        errors << diagnostics.format_all() << diagnostics.count()
               << (diagnostics.count() == 1 ? " error\n" : " errors\n");
        return 1;
    }
    const std::string source = std::filesystem::path(system_file).filename().string();
    std::error_code failure;
    std::filesystem::create_directories(directory, failure);
    if (failure) {
        errors << directory << ": error: cannot make the directory: " << failure.message() << "\n";
        return 1;
    }
    for (const GeneratedFile& file : generate_interface_headers(system, source)) {
        const std::filesystem::path path = std::filesystem::path(directory) / file.name;
        if (std::filesystem::exists(path) && read_whole(path) == file.text)
            continue;
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << file.text;
        if (!out) {
            errors << path.string() << ": error: cannot write the file\n";
            return 1;
        }
    }
    for (size_t i = 0; i < system.interfaces.interfaces.size(); ++i) {
        const Interface& interface = system.interfaces.interfaces[i];
        const std::string stem = lower_case(interface.name);
        messages << (std::filesystem::path(directory) / (stem + ".h")).string() << ", " << stem
                 << ".hpp: interface " << interface.name << " (" << interface.methods.size()
                 << " methods, " << interface.events.size() << " events, "
                 << interface.dataports.size() << " dataports), generation "
                 << hex(interface_generation(system, i)) << "\n";
    }
    if (system.interfaces.interfaces.empty())
        messages << system_file << ": no interfaces, nothing to generate\n";
    return 0;
}

} // namespace tessera::sdf

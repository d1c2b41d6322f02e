// `tessera check`: the description's own checks, then those of every program image that can be
// found in the search path (or, without one, beside the description and in the current
// directory), then how the built system fits the machine.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "checker.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "fit_report.h"
#include "program.h"
#include "search_path.h"

namespace tessera::sdf::cli {

namespace {

// The search path `check` uses: the one given, else beside the description, then here.
std::vector<std::string> check_search_path(const std::string& path, std::vector<std::string> search)
{
    if (search.empty()) {
        const auto beside = std::filesystem::path(path).parent_path();
        search = {beside.empty() ? "." : beside.string()};
        if (search.front() != ".")
            search.push_back(".");
    }
    return search;
}

void print_summary(const std::string& path, const System& system, size_t programs)
{
    size_t maps = 0, irqs = 0;
    for (const auto& pd : system.protection_domains) {
        maps += pd.maps.size();
        irqs += pd.irqs.size();
    }
    std::printf("%s: ok: %zu protection domains, %zu memory regions, %zu channels, %zu maps, %zu irqs",
                path.c_str(), system.protection_domains.size(), system.memory_regions.size(),
                system.channels.size(), maps, irqs);
    if (!system.interfaces.empty())
        std::printf(", %zu interfaces, %zu connections", system.interfaces.interfaces.size(),
                    system.interfaces.connections.size());
    std::printf("; %zu of %zu program images checked\n", programs, system.protection_domains.size());
    if (system.domains)
        std::printf("  kernel: the domain schedule needs a kernel with 16 domains (the default has 1): "
                    "`tessera build --loader` writes one beside the image and `tessera run` boots it; "
                    "otherwise `tessera kernel-config KERNEL --domains 16 -o OUT`\n");
}

} // namespace

int check_command(const CommandLine& line, uint64_t guest_memory)
{
    const std::string& path = line.system_file;
    FitRequest fit{check_search_path(path, line.search), line.run_loader, guest_memory};
    const std::vector<std::string>& search = fit.search_paths;
    Diagnostics diagnostics(path);
    System system = load_and_check(path, diagnostics, search);
    size_t programs = 0;
    if (diagnostics.empty())
        for (size_t i = 0; i < system.protection_domains.size(); ++i)
            if (find_file(system.protection_domains[i].program_image, search)) {
                ++programs;
                (void)prepare_program(system, i, search, MissingProgram::Skip, diagnostics);
            }
    if (!diagnostics.empty())
        return report(diagnostics);
    print_summary(path, system, programs);
    std::ostringstream numbers;
    check_machine_fit(system, fit, diagnostics, numbers);
    std::cout << numbers.str();
    return diagnostics.empty() ? 0 : report(diagnostics);
}

} // namespace tessera::sdf::cli

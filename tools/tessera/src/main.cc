// The tessera command line: check, graph, build, inspect and run. All errors are caught here
// and printed; the exit status is 0 on success and 1 otherwise.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "checker.h"
#include "compiler.h"
#include "graph.h"
#include "inspect.h"

using namespace tessera::sdf;

namespace {

int report(const Diagnostics& diagnostics)
{
    std::cerr << diagnostics.format_all();
    std::cerr << diagnostics.count() << (diagnostics.count() == 1 ? " error\n" : " errors\n");
    return 1;
}

bool write_file(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
    return static_cast<bool>(out);
}

int check(const std::string& path)
{
    Diagnostics diagnostics(path);
    System system = load_and_check(path, diagnostics);
    if (!diagnostics.empty())
        return report(diagnostics);
    size_t maps = 0, irqs = 0;
    for (const auto& pd : system.protection_domains) {
        maps += pd.maps.size();
        irqs += pd.irqs.size();
    }
    std::printf("%s: ok: %zu protection domains, %zu memory regions, %zu channels, %zu maps, %zu irqs\n",
                path.c_str(), system.protection_domains.size(), system.memory_regions.size(),
                system.channels.size(), maps, irqs);
    return 0;
}

int graph(const std::string& path, const std::string& output, bool svg)
{
    Diagnostics diagnostics(path);
    System system = load_and_check(path, diagnostics);
    if (!diagnostics.empty())
        return report(diagnostics);
    const std::string dot = system_to_dot(system);
    if (!svg) {
        if (output.empty()) {
            std::cout << dot;
            return 0;
        }
        if (!write_file(output, dot)) {
            std::cerr << output << ": error: cannot write the file\n";
            return 1;
        }
        return 0;
    }
    if (std::system("command -v dot >/dev/null 2>&1") != 0) {
        std::cerr << "error: --svg needs Graphviz's 'dot' (apt-get install graphviz)\n";
        return 1;
    }
    const std::string dot_file = (output.empty() ? std::string("tessera-graph") : output) + ".dot";
    if (!write_file(dot_file, dot)) {
        std::cerr << dot_file << ": error: cannot write the file\n";
        return 1;
    }
    const std::string command =
        "dot -Tsvg '" + dot_file + "'" + (output.empty() ? "" : " -o '" + output + "'");
    const int status = std::system(command.c_str());
    std::remove(dot_file.c_str());
    return status == 0 ? 0 : 1;
}

int build(const std::string& path, const std::vector<std::string>& search, const std::string& output)
{
    Diagnostics diagnostics(path);
    System system = load_and_check(path, diagnostics);
    if (!diagnostics.empty())
        return report(diagnostics);
    auto result = build_system(system, BuildOptions{search}, diagnostics);
    if (!result)
        return report(diagnostics);
    std::ofstream out(output, std::ios::binary);
    out.write(reinterpret_cast<const char*>(result->image.data()),
              static_cast<std::streamsize>(result->image.size()));
    if (!out) {
        std::cerr << output << ": error: cannot write the image\n";
        return 1;
    }
    std::printf("%s: %zu protection domains, %zu operations, %u objects, %zu bytes\n",
                output.c_str(), system.protection_domains.size(), result->spec.ops().size(),
                result->spec.object_count(), result->image.size());
    return 0;
}

int inspect(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << path << ": error: cannot read the file\n";
        return 1;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<uint8_t> kinds;
    // A first pass learns the object count; the second also checks object kinds.
    auto image = tessera::spec::ImageView::open(bytes.data(), bytes.size());
    if (image) {
        kinds.resize(image.value().spec().object_count());
        image = tessera::spec::ImageView::open(bytes.data(), bytes.size(), kinds.data(), kinds.size());
    }
    if (!image) {
        const auto& failure = image.failure();
        std::cerr << path << ": error: " << tessera::spec::read_error_name(failure.error)
                  << " at byte 0x" << std::hex << failure.offset << std::dec << ": "
                  << failure.detail << "\n";
        return 1;
    }
    std::cout << describe_image(image.value());
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"tessera: check, draw, build and inspect Tessera static systems "
                 "(seL4 Microkit .system descriptions)"};
    app.require_subcommand(1);
    app.footer("Examples:\n  tessera check systems/pingpong.system\n"
               "  tessera build systems/pingpong.system --search-path build/user -o pingpong.img\n"
               "Run 'tessera COMMAND --help' for each command.");

    std::string system_file, output, image_file;
    std::vector<std::string> search;
    bool svg = false;

    auto* check_cmd = app.add_subcommand("check", "Validate a system description, reporting every error");
    check_cmd->add_option("SYSTEM", system_file, "the .system file")->required();
    check_cmd->footer("Example:\n  tessera check systems/hello.system\n"
                      "Prints a one-line summary and exits 0, or prints every error as\n"
                      "FILE:LINE:COLUMN: error: MESSAGE and exits 1.");

    auto* graph_cmd = app.add_subcommand("graph", "Draw a system as Graphviz DOT (or SVG)");
    graph_cmd->add_option("SYSTEM", system_file, "the .system file")->required();
    graph_cmd->add_option("-o,--output", output, "write to FILE instead of standard output");
    graph_cmd->add_flag("--svg", svg, "render SVG through Graphviz's dot");
    graph_cmd->footer("Examples:\n  tessera graph systems/pingpong.system | dot -Tpng > pingpong.png\n"
                      "  tessera graph systems/pingpong.system --svg -o pingpong.svg");

    auto* build_cmd = app.add_subcommand("build", "Compile a system into a boot image");
    build_cmd->add_option("SYSTEM", system_file, "the .system file")->required();
    build_cmd->add_option("--search-path", search, "directory searched for program images (repeatable)");
    build_cmd->add_option("-o,--output", output, "the boot image to write")->required();
    build_cmd->footer("Example:\n  tessera build systems/pingpong.system --search-path build/user -o pingpong.img\n"
                      "The image holds the spec (the loader's list of kernel operations) and the\n"
                      "program ELF files; the launcher passes it as a Multiboot module.");

    auto* inspect_cmd = app.add_subcommand("inspect", "Validate a boot image and print its operations");
    inspect_cmd->add_option("IMAGE", image_file, "a boot image written by 'tessera build'")->required();
    inspect_cmd->footer("Example:\n  tessera inspect pingpong.img | less");

    auto* run_cmd = app.add_subcommand("run", "Build a system and boot it in QEMU");
    run_cmd->add_option("SYSTEM", system_file, "the .system file")->required();
    run_cmd->add_option("--search-path", search, "directory searched for program images (repeatable)");
    run_cmd->footer("Example:\n  tessera run systems/hello.system --search-path build/user");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    }
    try {
        if (check_cmd->parsed())
            return check(system_file);
        if (graph_cmd->parsed())
            return graph(system_file, output, svg);
        if (build_cmd->parsed())
            return build(system_file, search, output);
        if (inspect_cmd->parsed())
            return inspect(image_file);
        if (run_cmd->parsed()) {
            // FIXME(#8): build, then boot through scripts/launch.py once the loader exists.
            std::cerr << "tessera run: not yet: the loader is not written\n";
            return 1;
        }
    } catch (const std::exception& error) {
        std::cerr << "tessera: error: " << error.what() << "\n";
        return 1;
    }
    return 1;
}

// `tessera graph`: the system as Graphviz DOT, or as SVG through Graphviz's own `dot`.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "checker.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "graph.h"

namespace tessera::sdf::cli {

namespace {

// Renders `dot` to `output` (or standard output) as SVG through a temporary DOT file.
int render_svg(const std::string& dot, const std::string& output)
{
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

} // namespace

int graph_command(const CommandLine& line)
{
    Diagnostics diagnostics(line.system_file);
    System system = load_and_check(line.system_file, diagnostics);
    if (!diagnostics.empty())
        return report(diagnostics);
    const std::string dot = system_to_dot(system);
    return line.svg ? render_svg(dot, line.output) : write_output(line.output, dot);
}

} // namespace tessera::sdf::cli

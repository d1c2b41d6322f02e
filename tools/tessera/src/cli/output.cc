// The commands' shared output: diagnostics and written files.
#include "cli/output.h"

#include <fstream>
#include <iostream>

namespace tessera::sdf::cli {

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

int write_output(const std::string& output, const std::string& text)
{
    if (output.empty()) {
        std::cout << text;
        return 0;
    }
    if (!write_file(output, text)) {
        std::cerr << output << ": error: cannot write the file\n";
        return 1;
    }
    return 0;
}

} // namespace tessera::sdf::cli

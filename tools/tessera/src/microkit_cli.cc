// Microkit's command line, parsed as Microkit's tool parses it (its argparse.rs is the model:
// --search-path takes every following word up to the next option; the current directory is
// always searched last). The SDK is found as Microkit finds it: $MICROKIT_SDK, else the
// directory above bin/ holding this program. `microkit gen SYSTEM -o DIR` is Tessera's: the
// headers of the description's typed interfaces, as `tessera gen` writes them.
#include "microkit_cli.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "bootable.h"
#include "gen.h"
#include "report.h"

namespace tessera::sdf {
namespace {

namespace fs = std::filesystem;

struct MicrokitArgs {
    std::string system;
    std::string board, config;
    std::string output = "loader.img";
    std::string report = "report.txt";
    std::string image_type;
    std::string override_kernel;
    std::string capdl_json;
    std::string viper_output;
    std::vector<std::string> search_paths;
    bool help = false;
};

void usage(std::ostream& out)
{
    out << "usage: microkit [-h] [OPTIONS] --board BOARD --config CONFIG "
           "[--search-path SEARCH_PATH ...] system\n";
}

void help(std::ostream& out, const std::vector<std::string>& boards)
{
    usage(out);
    out << "\nseL4 Microkit 2.3.0's tool, as Tessera provides it (docs/microkit.md).\n"
           "\npositional arguments:\n  system\n\noptions:\n"
           "  -h, --help, show this help message and exit\n"
           "  -o, --output OUTPUT        the initial task to boot (default loader.img); the\n"
           "                             kernel is written beside it as sel4.elf and sel4_32.elf\n"
           "  -r, --report REPORT        (default report.txt)\n"
           "  --image-type {elf}         x86_64 images are always ELF\n"
           "  --override-kernel KERNEL   (for debugging purposes)\n"
           "  --board";
    for (const auto& board : boards)
        out << " " << board;
    out << "\n  --config CONFIG\n"
           "  --capdl-json SPEC          Tessera's spec as JSON (not capDL)\n"
           "  --viper-output DIRECTORY   accepted; Tessera writes no Viper output\n"
           "  --search-path [SEARCH_PATH ...]\n"
           "\nTessera's addition, run before the programs are compiled (docs/interfaces.md):\n"
           "  microkit gen SYSTEM -o DIRECTORY   write the C and C++ headers of SYSTEM's\n"
           "                                     interfaces into DIRECTORY, as 'tessera gen'\n"
           "\nExample (QEMU, as Microkit's manual boots x86_64):\n"
           "  microkit hello.system --search-path build --board x86_64_generic --config debug \\\n"
           "      -o build/loader.img -r build/report.txt\n"
           "  qemu-system-x86_64 -cpu qemu64,+fsgsbase,+pdpe1gb,+xsaveopt,+xsave -m 1G \\\n"
           "      -display none -serial mon:stdio -kernel build/sel4_32.elf -initrd build/loader.img\n";
}

// An error in Microkit's words, after the usage line; exit status 1.
int fail(const std::string& message)
{
    usage(std::cerr);
    std::cerr << "microkit: error: " << message << "\n";
    return 1;
}

std::optional<std::string> parse(int argc, char** argv, MicrokitArgs& args)
{
    std::vector<std::string> words(argv + 1, argv + argc);
    for (size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        auto value = [&](std::string& into) -> std::optional<std::string> {
            if (i + 1 >= words.size())
                return "argument " + word + ": expected one parameter";
            into = words[++i];
            return std::nullopt;
        };
        std::optional<std::string> problem;
        if (word == "-h" || word == "--help")
            args.help = true;
        else if (word == "-o" || word == "--output")
            problem = value(args.output);
        else if (word == "-r" || word == "--report")
            problem = value(args.report);
        else if (word == "--board")
            problem = value(args.board);
        else if (word == "--config")
            problem = value(args.config);
        else if (word == "--image-type")
            problem = value(args.image_type);
        else if (word == "--override-kernel")
            problem = value(args.override_kernel);
        else if (word == "--capdl-json")
            problem = value(args.capdl_json);
        else if (word == "--viper-output")
            problem = value(args.viper_output);
        else if (word == "--search-path") {
            while (i + 1 < words.size() && words[i + 1].rfind("-", 0) != 0)
                args.search_paths.push_back(words[++i]);
        } else if (word.rfind("-", 0) == 0 || !args.system.empty())
            return "unrecognized argument '" + word + "'";
        else
            args.system = word;
        if (problem)
            return problem;
    }
    return std::nullopt;
}

std::vector<std::string> subdirectories(const fs::path& directory)
{
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(directory, error))
        if (entry.is_directory())
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// $MICROKIT_SDK, else two levels above this program (SDK/bin/microkit).
std::optional<fs::path> find_sdk(const char* argv0)
{
    if (const char* variable = std::getenv("MICROKIT_SDK"); variable && *variable)
        return fs::path(variable);
    std::error_code error;
    fs::path self = fs::read_symlink("/proc/self/exe", error);
    if (error)
        self = fs::absolute(argv0, error);
    if (error)
        return std::nullopt;
    return self.parent_path().parent_path();
}

bool is_elf32(const fs::path& path)
{
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr)
        return false;
    unsigned char ident[5] = {};
    const bool ok = std::fread(ident, 1, sizeof ident, file) == sizeof ident;
    std::fclose(file);
    return ok && ident[0] == 0x7f && ident[1] == 'E' && ident[4] == 1;
}

bool copy_kernel(const fs::path& from, const fs::path& to)
{
    std::error_code error;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
    if (error)
        std::cerr << "microkit: error: cannot write " << to.string() << ": " << error.message() << "\n";
    return !error;
}

// `microkit gen SYSTEM -o DIR` (argv[0] is "gen"): the same files as `tessera gen`.
int microkit_gen(int argc, char** argv)
{
    const auto gen_usage = [](const std::string& message) {
        std::cerr << "usage: microkit gen SYSTEM -o DIRECTORY\nmicrokit: error: " << message << "\n";
        return 1;
    };
    std::string system, directory;
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word == "-h" || word == "--help") {
            std::cout << "usage: microkit gen SYSTEM -o DIRECTORY\n\nWrites, for each <interface> of "
                         "SYSTEM, the C header NAME.h and the C++ header NAME.hpp into DIRECTORY\n"
                         "(made if missing; unchanged files are not rewritten), as 'tessera gen'.\n";
            return 0;
        }
        if (word == "-o" || word == "--output") {
            if (i + 1 >= argc)
                return gen_usage("argument " + word + ": expected one parameter");
            directory = argv[++i];
        } else if (word.rfind("-", 0) == 0 || !system.empty()) {
            return gen_usage("unrecognized argument '" + word + "'");
        } else {
            system = word;
        }
    }
    if (system.empty() || directory.empty())
        return gen_usage(std::string("the following arguments are required: ") +
                         (system.empty() ? (directory.empty() ? "SYSTEM, -o" : "SYSTEM") : "-o"));
    return generate_interfaces(system, directory, std::cout, std::cerr);
}

} // namespace

int microkit_main(int argc, char** argv)
{
    if (argc > 1 && std::string(argv[1]) == "gen")
        return microkit_gen(argc - 1, argv + 1);
    MicrokitArgs args;
    if (auto problem = parse(argc, argv, args))
        return fail(*problem);
    const auto sdk = find_sdk(argv[0]);
    if (!sdk || !fs::is_directory(*sdk / "board"))
        return fail("cannot find the SDK's board directory (" +
                    (sdk ? (*sdk / "board").string() : std::string("?")) +
                    "); set MICROKIT_SDK to the SDK's directory");
    const std::vector<std::string> boards = subdirectories(*sdk / "board");
    if (args.help) {
        help(std::cout, boards);
        return 0;
    }
    std::vector<const char*> missing;
    if (args.system.empty())
        missing.push_back("system");
    if (args.board.empty())
        missing.push_back("--board");
    if (args.config.empty())
        missing.push_back("--config");
    if (!missing.empty()) {
        std::string list;
        for (const char* name : missing)
            list += (list.empty() ? "" : ", ") + std::string(name);
        return fail("the following arguments are required: " + list);
    }
    if (std::find(boards.begin(), boards.end(), args.board) == boards.end())
        return fail("argument --board: unknown parameter '" + args.board + "'");
    const fs::path board = *sdk / "board" / args.board;
    const std::vector<std::string> configs = subdirectories(board);
    if (std::find(configs.begin(), configs.end(), args.config) == configs.end()) {
        std::string choices;
        for (const auto& config : configs)
            choices += (choices.empty() ? "" : ", ") + config;
        return fail("argument --config: invalid choice '" + args.config + "' (choose from: " +
                    choices + ")");
    }
    if (!args.image_type.empty() && args.image_type != "elf")
        return fail("argument --image-type: on x86_64 the image is always 'elf' (given '" +
                    args.image_type + "')");
    const fs::path elf = board / args.config / "elf";
    const fs::path kernel = args.override_kernel.empty() ? elf / "sel4.elf" : fs::path(args.override_kernel);
    const fs::path kernel32 = args.override_kernel.empty() ? elf / "sel4_32.elf" : fs::path(args.override_kernel);
    const fs::path initialiser = elf / "initialiser.elf";
    for (const auto& [what, path] : {std::make_pair("kernel ELF", kernel),
                                     std::make_pair("initialiser ELF", initialiser)})
        if (!fs::exists(path))
            return fail(std::string(what) + " '" + path.string() + "' does not exist");
    if (!args.override_kernel.empty() && !is_elf32(kernel))
        std::cerr << "microkit: note: " << kernel.string()
                  << " is not a 32-bit ELF; QEMU's -kernel needs one (sel4_32.elf)\n";

    // Microkit always searches the current directory, after the given ones.
    std::vector<std::string> directories = args.search_paths;
    directories.push_back(".");
    auto bootable = make_bootable(args.system, directories, initialiser.string(), std::cerr);
    if (!bootable)
        return 1;
    if (!write_bytes(args.output, bootable->bytes, std::cerr))
        return 1;
    // As Microkit on x86_64: the kernel beside the initial task, 64- and 32-bit.
    const fs::path beside = fs::absolute(args.output).parent_path();
    if (!copy_kernel(kernel, beside / "sel4.elf") || !copy_kernel(kernel32, beside / "sel4_32.elf"))
        return 1;
    const std::string report = build_report(bootable.value(), ReportContext{args.system, args.board,
                                                                            args.config, args.output});
    if (!write_bytes(args.report, std::vector<uint8_t>(report.begin(), report.end()), std::cerr))
        return 1;
    if (!args.capdl_json.empty()) {
        const std::string json = spec_json(bootable->build);
        if (!write_bytes(args.capdl_json, std::vector<uint8_t>(json.begin(), json.end()), std::cerr))
            return 1;
    }
    if (!args.viper_output.empty())
        std::cerr << "microkit: note: --viper-output: Tessera's tool writes no Viper "
                     "descriptions; nothing written to "
                  << args.viper_output << "\n";
    return 0;
}

} // namespace tessera::sdf

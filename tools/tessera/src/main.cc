// The tessera command line: check, graph, gen, strip, build, inspect, boot and run, and, called
// as `microkit`, Microkit's own. All errors are caught here and printed; the exit status is 0 on
// success and 1 otherwise.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "bootable.h"
#include "checker.h"
#include "compiler.h"
#include "embed.h"
#include "fit_report.h"
#include "gen.h"
#include "graph.h"
#include "inspect.h"
#include "kernel_config.h"
#include "launch.h"
#include "linux_run.h"
#include "vm_run.h"
#include "machine_fit.h"
#include "microkit_cli.h"
#include "program.h"
#include "search_path.h"
#include "strip.h"

using namespace tessera::sdf;

namespace {

// Where this build tree keeps the loader, the kernel and the launcher (set by CMake).
constexpr const char* DefaultLoader = TESSERA_DEFAULT_LOADER;
constexpr const char* DefaultKernel = TESSERA_DEFAULT_KERNEL;
constexpr const char* DefaultLauncher = TESSERA_DEFAULT_LAUNCHER;
constexpr const char* DefaultPosixServer = TESSERA_DEFAULT_POSIX_SERVER;
constexpr const char* DefaultPosixPrograms = TESSERA_DEFAULT_POSIX_PROGRAMS;
constexpr const char* DefaultVmPrograms = TESSERA_DEFAULT_VM_PROGRAMS;

// A system under systems/ finds its programs in this build tree (search_path.h).
std::vector<std::string> search_paths_for(const std::string& system_file, std::vector<std::string> search)
{
    return with_default_search_path(system_file, std::move(search), TESSERA_SOURCE_DIR, TESSERA_BUILD_DIR);
}

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

// The description's own checks, then those of every program image that can be found in the
// search path (or, without one, beside the description and in the current directory), then how
// the built system fits the machine.
int check(const std::string& path, FitRequest fit)
{
    std::vector<std::string>& search = fit.search_paths;
    if (search.empty()) {
        const auto beside = std::filesystem::path(path).parent_path();
        search = {beside.empty() ? "." : beside.string()};
        if (search.front() != ".")
            search.push_back(".");
    }
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
    std::ostringstream numbers;
    check_machine_fit(system, fit, diagnostics, numbers);
    std::cout << numbers.str();
    return diagnostics.empty() ? 0 : report(diagnostics);
}

int strip(const std::string& path, const std::string& output)
{
    Diagnostics diagnostics(path);
    System system = load_and_check(path, diagnostics);
    if (!diagnostics.empty())
        return report(diagnostics);
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::string why;
    auto plain = strip_system(text.str(), system, std::filesystem::path(path).filename().string(), why);
    if (!plain) {
        std::cerr << path << ": error: " << why << "\n";
        return 1;
    }
    if (output.empty()) {
        std::cout << *plain;
        return 0;
    }
    if (!write_file(output, *plain)) {
        std::cerr << output << ": error: cannot write the file\n";
        return 1;
    }
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

// Compiles the system and writes either the bare boot image or, with a loader, the bootable
// loader ELF that carries it; with guest_memory, a system that machine cannot hold is refused.
// A system with <domains> needs a kernel with Microkit's 16 domains: with a loader, this build's
// kernel so configured is written to `domain_kernel` (set to sel4_32.elf beside the output when
// empty, as Microkit writes its kernel; cleared when the system has no domains). Returns the
// exit status.
int build(const std::string& path, const std::vector<std::string>& search, const std::string& output,
          const std::string& loader, std::optional<uint64_t> guest_memory = std::nullopt,
          std::string* domain_kernel = nullptr)
{
    auto bootable = make_bootable(path, search, loader, std::cerr, guest_memory);
    if (!bootable)
        return 1;
    if (!loader.empty() && bootable->system.domains) {
        std::string beside = (std::filesystem::path(output).parent_path() / "sel4_32.elf").string();
        const std::string& kernel = domain_kernel && !domain_kernel->empty() ? *domain_kernel : beside;
        const std::string problem = configure_kernel_file(DefaultKernel, kernel, MicrokitKernelDomains);
        if (!problem.empty()) {
            std::cerr << "tessera: error: the system has <domains>, and its kernel: " << problem << "\n";
            return 1;
        }
        std::printf("%s: the kernel with 16 domains for the domain schedule\n", kernel.c_str());
        if (domain_kernel)
            *domain_kernel = kernel;
    } else if (domain_kernel) {
        domain_kernel->clear();
    }
    if (!write_bytes(output, bootable->bytes, std::cerr))
        return 1;
    std::printf("%s: %zu protection domains, %zu operations, %u objects, %zu bytes%s\n",
                output.c_str(), bootable->system.protection_domains.size(),
                bootable->build.spec.ops().size(), bootable->build.spec.object_count(),
                bootable->bytes.size(), loader.empty() ? "" : " (loader with the image inside)");
    return 0;
}

// The kernel to boot IMAGE with: the one Microkit's tool wrote beside it, else this build's.
std::string kernel_beside(const std::string& image, const std::string& fallback)
{
    const auto beside = std::filesystem::path(image).parent_path() / "sel4_32.elf";
    std::error_code ignored;
    return std::filesystem::exists(beside, ignored) ? beside.string() : fallback;
}

// A fresh file for the bootable image `tessera run` writes when the user names none, in the
// temporary directory, beside nothing the user owns; the launcher deletes it when the run ends.
std::string temporary_output(const std::string& system_file)
{
    const std::string stem = std::filesystem::path(system_file).stem().string();
    std::string path = (std::filesystem::temp_directory_path() / ("tessera-run-" + stem + "-XXXXXX.elf")).string();
    const int fd = mkstemps(path.data(), 4);
    if (fd < 0)
        throw std::runtime_error("cannot create a temporary file in " +
                                 std::filesystem::temp_directory_path().string());
    close(fd);
    return path;
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
        const auto& failure = image.error();
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
    // As bin/microkit of the SDK (or `tessera microkit ...`): Microkit's own command line.
    if (std::filesystem::path(argv[0]).filename() == "microkit")
        return microkit_main(argc, argv);
    if (argc > 1 && std::string(argv[1]) == "microkit")
        return microkit_main(argc - 1, argv + 1);

    CLI::App app{"tessera: check, draw, build and inspect Tessera static systems "
                 "(seL4 Microkit .system descriptions)"};
    app.require_subcommand(1);
    app.footer("Examples:\n  tessera check systems/pingpong.system\n"
               "  tessera build systems/pingpong.system --search-path build/systems/pingpong -o pingpong.img\n"
               "Run 'tessera COMMAND --help' for each command.");

    std::string system_file, output, image_file, loader;
    std::vector<std::string> search;
    bool svg = false;
    LaunchOptions launch_options{DefaultLauncher, DefaultKernel, "", 0, false, false, {}};
    std::string run_loader = DefaultLoader;

    std::string memory = std::to_string(DefaultGuestMemory >> 20) + "M";
    auto* check_cmd = app.add_subcommand("check", "Validate a system description, reporting every error");
    check_cmd->add_option("SYSTEM", system_file, "the .system file")->required();
    check_cmd->add_option("--search-path", search,
                          "directory searched for program images and prefill files (repeatable; "
                          "default: beside SYSTEM, then the current directory)");
    check_cmd->add_option("--loader", run_loader, "the loader ELF the system would be built into")->capture_default_str();
    check_cmd->add_option("--memory", memory, "the guest memory to check against, as the launcher takes it")->capture_default_str();
    check_cmd->footer("Examples:\n  tessera check systems/hello.system\n"
                      "  tessera check systems/pingpong.system --search-path build/systems/pingpong\n"
                      "Checks the description, then every program image it can find (ELF,\n"
                      "setvar symbols, maps against segments). Prints a one-line summary and\n"
                      "exits 0, or prints every error as FILE:LINE:COLUMN: error: MESSAGE and\n"
                      "exits 1. When it finds every program\n"
                      "images (--search-path; a system under systems/ finds them in this build\n"
                      "tree) it also builds the system and reports the memory it needs against\n"
                      "what the launcher gives (--memory), its address spaces against the\n"
                      "kernel's 4,094 and the loader's capabilities; what does not fit is an error.");

    auto* graph_cmd = app.add_subcommand("graph", "Draw a system as Graphviz DOT (or SVG)");
    graph_cmd->add_option("SYSTEM", system_file, "the .system file")->required();
    graph_cmd->add_option("-o,--output", output, "write to FILE instead of standard output");
    graph_cmd->add_flag("--svg", svg, "render SVG through Graphviz's dot");
    graph_cmd->footer("Examples:\n  tessera graph systems/pingpong.system | dot -Tpng > pingpong.png\n"
                      "  tessera graph systems/pingpong.system --svg -o pingpong.svg");

    auto* build_cmd = app.add_subcommand("build", "Compile a system into a boot image");
    build_cmd->add_option("SYSTEM", system_file, "the .system file")->required();
    build_cmd->add_option("--search-path", search, "directory searched for program images (repeatable)");
    build_cmd->add_option("-o,--output", output, "the boot image (or, with --loader, the bootable ELF) to write")->required();
    build_cmd->add_option("--loader", loader, "put the image inside this loader ELF (build/user/loader/loader.elf)");
    build_cmd->footer("Examples:\n  tessera build systems/pingpong.system --search-path build/systems/pingpong -o pingpong.img\n"
                      "  tessera build systems/pipeline.system --search-path build/systems/pipeline \\\n"
                      "      --loader build/user/loader/loader.elf -o pipeline.elf\n"
                      "The image holds the spec (the loader's list of kernel operations) and the\n"
                      "program ELF files. With --loader the output is the loader with the image\n"
                      "inside: the root task to boot (scripts/launch.py --root-task pipeline.elf).");

    auto* gen_cmd = app.add_subcommand("gen", "Generate the C and C++ headers of a system's interfaces");
    gen_cmd->add_option("SYSTEM", system_file, "the .system file")->required();
    gen_cmd->add_option("-o,--output", output, "the directory to write INTERFACE.h and INTERFACE.hpp into")->required();
    gen_cmd->footer("Example:\n  tessera gen systems/kv.system -o build/gen/kv\n"
                    "Checks the description, then writes for each <interface> a C header\n"
                    "(NAME.h: client stubs, provider dispatch, channel constants per protection\n"
                    "domain) and a C++ header (NAME.hpp). Run it before compiling the programs;\n"
                    "'tessera build' refuses programs compiled from another generation.\n"
                    "Unchanged files are not rewritten. See docs/interfaces.md.");

    auto* strip_cmd = app.add_subcommand("strip", "Write the plain Microkit description (interfaces lowered)");
    strip_cmd->add_option("SYSTEM", system_file, "the .system file")->required();
    strip_cmd->add_option("-o,--output", output, "write to FILE instead of standard output");
    strip_cmd->footer("Example:\n  tessera strip systems/kv.system -o kv.microkit.system\n"
                      "Removes <interface>, <connection>, <provides> and <uses> and writes the\n"
                      "channels, memory regions and maps the connections stand for, so that\n"
                      "Microkit's own tool can build the system.");

    auto* inspect_cmd = app.add_subcommand("inspect", "Validate a boot image and print its operations");
    inspect_cmd->add_option("IMAGE", image_file, "a boot image written by 'tessera build'")->required();
    inspect_cmd->footer("Example:\n  tessera inspect pingpong.img | less");

    auto* kernel_config_cmd =
        app.add_subcommand("kernel-config", "Write a copy of Tessera's kernel with another number of domains");
    uint32_t kernel_domains = DefaultKernelDomains;
    kernel_config_cmd->add_option("KERNEL", image_file, "a Tessera kernel file (32- or 64-bit ELF)")->required();
    kernel_config_cmd->add_option("-o,--output", output, "where to write the configured copy")->required();
    kernel_config_cmd->add_option("--domains", kernel_domains,
                                  "scheduling domains: 1 (seL4's default build) or 16 (Microkit's SDK kernels, "
                                  "with a 100-entry domain schedule)")->required();
    kernel_config_cmd->footer("Example:\n  tessera kernel-config build/kernel/tessera.elf --domains 16 -o sel4_32.elf\n"
                              "seL4 fixes its number of domains when it is built; Tessera's kernel reads it\n"
                              "from its file at boot. The SDK's kernels have 16, as Microkit's do.");

    auto* boot_cmd = app.add_subcommand("boot", "Boot a built image in QEMU");
    boot_cmd->add_option("IMAGE", image_file,
                         "a loader with a system inside ('tessera build --loader', 'microkit -o')")
        ->required();
    boot_cmd->add_option("--kernel", launch_options.kernel,
                         "the Multiboot kernel file, or tessera, sel4-debug, sel4-release (default: "
                         "sel4_32.elf beside IMAGE, else this build's)");
    boot_cmd->add_option("--launcher", launch_options.launcher, "the QEMU launcher")->capture_default_str();
    boot_cmd->add_option("--timeout", launch_options.timeout, "stop QEMU after this many seconds");
    boot_cmd->add_flag("--exit-on-idle", launch_options.exit_on_idle,
                       "end QEMU when no thread can run any more (every protection domain waits)");
    boot_cmd->add_option("--launch-arg", launch_options.extra, "one more argument for the launcher (repeatable)");
    boot_cmd->footer("Examples:\n  tessera boot build/pipeline.elf\n"
                     "  tessera boot build/loader.img --exit-on-idle --timeout 60\n"
                     "Boots IMAGE as the root task through scripts/launch.py, with the kernel the\n"
                     "Microkit tool wrote beside it. Exit status: the launcher's (docs/booting.md).");

    auto* run_cmd = app.add_subcommand("run", "Build a system and boot it in QEMU");
    run_cmd->add_option("SYSTEM", system_file, "the .system file")->required();
    run_cmd->add_option("--search-path", search, "directory searched for program images (repeatable)");
    run_cmd->add_option("--loader", run_loader, "the loader ELF")->capture_default_str();
    run_cmd->add_option("--kernel", launch_options.kernel,
                        "the Multiboot kernel file, or tessera, sel4-debug, sel4-release "
                        "(seL4's reference kernels, docs/booting.md)")->capture_default_str();
    run_cmd->add_option("--launcher", launch_options.launcher, "the QEMU launcher")->capture_default_str();
    run_cmd->add_option("-o,--output", output, "where to write the bootable ELF (default: a file in the temporary directory)");
    run_cmd->add_option("--timeout", launch_options.timeout, "stop QEMU after this many seconds");
    run_cmd->add_option("--memory", memory, "guest memory, as the launcher takes it (checked against "
                        "what the system needs before booting)")->capture_default_str();
    run_cmd->add_flag("--exit-on-idle", launch_options.exit_on_idle,
                      "end QEMU when no thread can run any more (every protection domain waits)");
    run_cmd->add_option("--launch-arg", launch_options.extra, "one more argument for the launcher (repeatable)");
    std::vector<std::string> disks;
    run_cmd->add_option("--disk", disks,
                        "attach IMAGE[,ro] as a virtio-blk disk (repeatable; the Nth is PCI 00:04.0+N, "
                        "see docs/drivers.md)");
    run_cmd->footer("Examples:\n  tessera run systems/pipeline.system --search-path build/systems/pipeline\n"
                    "  tessera run SYSTEM --search-path DIR --exit-on-idle --timeout 60\n"
                    "Builds like 'tessera build --loader' and boots the result through\n"
                    "scripts/launch.py. On a terminal, without --timeout, QEMU is interactive\n"
                    "(quit with Ctrl-A X). The exit status is the launcher's (0: the guest ended\n"
                    "with status 0; see docs/booting.md).");

    LinuxOptions linux_options{DefaultLauncher, DefaultKernel, DefaultPosixServer, DefaultLoader,
                               DefaultPosixPrograms};
    auto* linux_cmd = app.add_subcommand("linux", "Run an unmodified static Linux program on Tessera");
    linux_cmd->add_option("--root", linux_options.root, "the root file system: a directory (made into ext2)");
    linux_cmd->add_option("--disk", linux_options.disk, "the root file system: an ext2 image (changes persist)");
    linux_cmd->add_option("--memory", linux_options.memory, "guest memory, as QEMU takes it (default 512M)");
    linux_cmd->add_option("--timeout", linux_options.timeout, "stop after this many seconds (exit 124)");
    linux_cmd->add_option("--log", linux_options.log, "write the kernel's and the components' lines here");
    linux_cmd->add_flag("--verbose", linux_options.verbose, "print the kernel's and the components' lines on standard error");
    linux_cmd->add_option("--server", linux_options.server, "the POSIX server root task (the packed root)")->capture_default_str();
    linux_cmd->add_option("--programs", linux_options.programs,
                          "with --disk or --root: the directory of posix_server_pd.elf and the ext2 "
                          "service's programs")->capture_default_str();
    linux_cmd->add_option("--loader", linux_options.loader, "with --disk or --root: the loader ELF")->capture_default_str();
    linux_cmd->add_option("COMMAND", linux_options.command, "the program (a path in the root, or a name in PATH) and its arguments")
        ->required();
    linux_cmd->footer("Example:\n  tessera linux -- sh -c 'echo hello | wc -c'\n"
                      "Exit status: the command's (128 + N for signal N), 124 on --timeout, 125 when\n"
                      "the system cannot start, 126 when COMMAND is not executable, 127 when it is\n"
                      "not found (docs/posix.md).");

    VmOptions vm_options{DefaultLauncher, DefaultKernel, DefaultLoader, DefaultVmPrograms};
    vm_options.append = "console=ttyS0 nokaslr no_timer_check panic=-1";
    std::string vm_memory = "256M";
    auto* vm_cmd = app.add_subcommand("vm", "Boot a Linux guest in the VMM (AMD SVM; docs/vmm.md)");
    vm_cmd->add_option("--guest-kernel,--kernel", vm_options.guest_kernel, "the guest's bzImage")
        ->required();
    vm_cmd->add_option("--initrd", vm_options.initrd, "the guest's initrd");
    vm_cmd->add_option("--append", vm_options.append, "the guest kernel's command line")
        ->capture_default_str();
    vm_cmd->add_option("--memory", vm_memory, "guest RAM (whole 2 MiB frames, at most 1G)")
        ->capture_default_str();
    vm_cmd->add_option("--timeout", vm_options.timeout, "stop after this many seconds (exit 124)");
    vm_cmd->add_option("--disk", vm_options.disks,
                       "IMAGE[,ro]: a virtio-blk disk of the guest, served by a block virtualiser "
                       "(,ro: read-only); repeatable, at most 4 (vda, vdb, ...)");
    vm_cmd->add_option("--exit-limit", vm_options.exit_limit,
                       "the VMM stops a guest making more exits than this per second of guest "
                       "time (an exit storm; default 2000000)")
        ->check(CLI::Range(uint64_t{1}, uint64_t{1000000000000}));
    vm_cmd->add_option("--idle-quiet", vm_options.idle_quiet,
                       "once input has ended, seconds the idle system must stay quiet before "
                       "the run ends (the VMM wakes every 100 ms while its guest lives)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    vm_cmd->add_flag("--icount", vm_options.icount,
                     "QEMU's -icount shift=0 (TCG): the TSC counts instructions, as in make bench");
    vm_cmd->add_option("--programs", vm_options.programs,
                       "the directory of the system's programs (linux_vmm.elf, its drivers)")
        ->capture_default_str();
    auto* vm_log = vm_cmd->add_option("--log", vm_options.log,
                                      "write everything the system prints to FILE");
    vm_cmd->add_flag("--verbose", vm_options.verbose,
                     "also show the kernel's boot lines and the launcher's")
        ->excludes(vm_log);
    vm_cmd->footer("Example:\n  tessera vm --guest-kernel vmlinuz --initrd initrd.gz --disk disk.img --timeout 120\n"
                   "The guest's console (COM1) is this program's standard input and output, from\n"
                   "the VMM's first line on. Exit status: 0 when the guest powered off, 124 on\n"
                   "--timeout, 125 when the guest or the system stopped otherwise (a crash, a\n"
                   "reset, an image the VMM refused).");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    }
    try {
        const auto guest_memory = parse_memory_size(memory);
        if (!guest_memory) {
            std::cerr << "tessera: error: --memory " << memory << ": not a size such as 512M or 2G\n";
            return 1;
        }
        search = search_paths_for(system_file, search);
        if (check_cmd->parsed())
            return check(system_file, FitRequest{search, run_loader, *guest_memory});
        if (graph_cmd->parsed())
            return graph(system_file, output, svg);
        if (build_cmd->parsed())
            return build(system_file, search, output, loader);
        if (gen_cmd->parsed())
            return generate_interfaces(system_file, output, std::cout, std::cerr);
        if (strip_cmd->parsed())
            return strip(system_file, output);
        if (inspect_cmd->parsed())
            return inspect(image_file);
        if (kernel_config_cmd->parsed()) {
            const std::string problem = configure_kernel_file(image_file, output, kernel_domains);
            if (!problem.empty()) {
                std::cerr << "tessera: error: " << problem << "\n";
                return 1;
            }
            return 0;
        }
        if (boot_cmd->parsed()) {
            if (!boot_cmd->count("--kernel"))
                launch_options.kernel = kernel_beside(image_file, DefaultKernel);
            else if (launch_options.kernel == "tessera")
                launch_options.kernel = DefaultKernel;
            launch_options.root_task = image_file;
            launch_options.interactive = launch_options.timeout == 0 && isatty(0);
            return launch(launch_options);
        }
        if (linux_cmd->parsed())
            return run_linux(linux_options);
        if (vm_cmd->parsed()) {
            const auto bytes = parse_memory_size(vm_memory);
            if (!bytes || *bytes == 0) {
                std::cerr << "tessera: error: --memory " << vm_memory << ": not a size such as 128M\n";
                return 125;
            }
            vm_options.memory_bytes = *bytes;
            return run_vm(vm_options);
        }
        if (run_cmd->parsed()) {
            launch_options.root_task = output.empty() ? temporary_output(system_file) : output;
            if (output.empty())
                launch_options.temporary = launch_options.root_task;
            // The launcher resolves seL4's names; Tessera's kernel is this build tree's.
            if (launch_options.kernel == "tessera")
                launch_options.kernel = DefaultKernel;
            launch_options.memory = memory;
            // A system with <domains> boots this build's kernel configured for 16 domains, written
            // beside the image (deleted with it when the image is temporary).
            std::string domain_kernel = launch_options.root_task + ".kernel.elf";
            const int built =
                build(system_file, search, launch_options.root_task, run_loader, guest_memory, &domain_kernel);
            if (built != 0) {
                if (!launch_options.temporary.empty())
                    std::filesystem::remove(launch_options.temporary);
                return built;
            }
            if (!domain_kernel.empty() && launch_options.kernel == DefaultKernel) {
                launch_options.kernel = domain_kernel;
                if (!launch_options.temporary.empty())
                    launch_options.extra.insert(launch_options.extra.end(), {"--remove", domain_kernel});
            }
            launch_options.interactive = launch_options.timeout == 0 && isatty(0);
            for (const auto& disk : disks)
                launch_options.extra.insert(launch_options.extra.end(), {"--disk", disk});
            return launch(launch_options);
        }
    } catch (const std::exception& error) {
        std::cerr << "tessera: error: " << error.what() << "\n";
        return 1;
    }
    return 1;
}

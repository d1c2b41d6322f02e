// The tessera command line: every command's options and help, parsed with CLI11 into a
// CommandLine. This is the only file that includes CLI11 (its slowest compile).
#include "cli/command_line.h"

#include <CLI/CLI.hpp>
#include <string>
#include <utility>

#include "cli/defaults.h"
#include "kernel_config.h"
#include "machine_fit.h"

namespace tessera::sdf::cli {

namespace {

// This build tree's defaults, set before the options are declared so that help shows them.
void set_defaults(CommandLine& line)
{
    line.launch = LaunchOptions{DefaultLauncher, DefaultKernel, "", 0, false, false, {}};
    line.run_loader = DefaultLoader;
    line.memory = std::to_string(DefaultGuestMemory >> 20) + "M";
    line.kernel_domains = DefaultKernelDomains;
    line.linux_options = LinuxOptions{DefaultLauncher, DefaultKernel, DefaultPosixServer, DefaultLoader,
                                      DefaultPosixPrograms};
    line.vm = VmOptions{DefaultLauncher, DefaultKernel, DefaultLoader, DefaultVmPrograms};
    line.vm.append = "console=ttyS0 nokaslr no_timer_check panic=-1";
    line.vm_memory = "256M";
}

CLI::App* add_check(CLI::App& app, CommandLine& line)
{
    auto* check_cmd = app.add_subcommand("check", "Validate a system description, reporting every error");
    check_cmd->add_option("SYSTEM", line.system_file, "the .system file")->required();
    check_cmd->add_option("--search-path", line.search,
                          "directory searched for program images and prefill files (repeatable; "
                          "default: beside SYSTEM, then the current directory)");
    check_cmd->add_option("--loader", line.run_loader, "the loader ELF the system would be built into")->capture_default_str();
    check_cmd->add_option("--memory", line.memory, "the guest memory to check against, as the launcher takes it")->capture_default_str();
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
    return check_cmd;
}

CLI::App* add_graph(CLI::App& app, CommandLine& line)
{
    auto* graph_cmd = app.add_subcommand("graph", "Draw a system as Graphviz DOT (or SVG)");
    graph_cmd->add_option("SYSTEM", line.system_file, "the .system file")->required();
    graph_cmd->add_option("-o,--output", line.output, "write to FILE instead of standard output");
    graph_cmd->add_flag("--svg", line.svg, "render SVG through Graphviz's dot");
    graph_cmd->footer("Examples:\n  tessera graph systems/pingpong.system | dot -Tpng > pingpong.png\n"
                      "  tessera graph systems/pingpong.system --svg -o pingpong.svg");
    return graph_cmd;
}

CLI::App* add_build(CLI::App& app, CommandLine& line)
{
    auto* build_cmd = app.add_subcommand("build", "Compile a system into a boot image");
    build_cmd->add_option("SYSTEM", line.system_file, "the .system file")->required();
    build_cmd->add_option("--search-path", line.search, "directory searched for program images (repeatable)");
    build_cmd->add_option("-o,--output", line.output, "the boot image (or, with --loader, the bootable ELF) to write")->required();
    build_cmd->add_option("--loader", line.loader, "put the image inside this loader ELF (build/user/loader/loader.elf)");
    build_cmd->footer("Examples:\n  tessera build systems/pingpong.system --search-path build/systems/pingpong -o pingpong.img\n"
                      "  tessera build systems/pipeline.system --search-path build/systems/pipeline \\\n"
                      "      --loader build/user/loader/loader.elf -o pipeline.elf\n"
                      "The image holds the spec (the loader's list of kernel operations) and the\n"
                      "program ELF files. With --loader the output is the loader with the image\n"
                      "inside: the root task to boot (scripts/launch.py --root-task pipeline.elf).");
    return build_cmd;
}

CLI::App* add_gen(CLI::App& app, CommandLine& line)
{
    auto* gen_cmd = app.add_subcommand("gen", "Generate the C and C++ headers of a system's interfaces");
    gen_cmd->add_option("SYSTEM", line.system_file, "the .system file")->required();
    gen_cmd->add_option("-o,--output", line.output, "the directory to write INTERFACE.h and INTERFACE.hpp into")->required();
    gen_cmd->footer("Example:\n  tessera gen systems/kv.system -o build/gen/kv\n"
                    "Checks the description, then writes for each <interface> a C header\n"
                    "(NAME.h: client stubs, provider dispatch, channel constants per protection\n"
                    "domain) and a C++ header (NAME.hpp). Run it before compiling the programs;\n"
                    "'tessera build' refuses programs compiled from another generation.\n"
                    "Unchanged files are not rewritten. See docs/interfaces.md.");
    return gen_cmd;
}

CLI::App* add_strip(CLI::App& app, CommandLine& line)
{
    auto* strip_cmd = app.add_subcommand("strip", "Write the plain Microkit description (interfaces lowered)");
    strip_cmd->add_option("SYSTEM", line.system_file, "the .system file")->required();
    strip_cmd->add_option("-o,--output", line.output, "write to FILE instead of standard output");
    strip_cmd->footer("Example:\n  tessera strip systems/kv.system -o kv.microkit.system\n"
                      "Removes <interface>, <connection>, <provides> and <uses> and writes the\n"
                      "channels, memory regions and maps the connections stand for, so that\n"
                      "Microkit's own tool can build the system.");
    return strip_cmd;
}

CLI::App* add_inspect(CLI::App& app, CommandLine& line)
{
    auto* inspect_cmd = app.add_subcommand("inspect", "Validate a boot image and print its operations");
    inspect_cmd->add_option("IMAGE", line.image_file, "a boot image written by 'tessera build'")->required();
    inspect_cmd->footer("Example:\n  tessera inspect pingpong.img | less");
    return inspect_cmd;
}

CLI::App* add_kernel_config(CLI::App& app, CommandLine& line)
{
    auto* kernel_config_cmd =
        app.add_subcommand("kernel-config", "Write a copy of Tessera's kernel with another number of domains");
    kernel_config_cmd->add_option("KERNEL", line.image_file, "a Tessera kernel file (32- or 64-bit ELF)")->required();
    kernel_config_cmd->add_option("-o,--output", line.output, "where to write the configured copy")->required();
    kernel_config_cmd->add_option("--domains", line.kernel_domains,
                                  "scheduling domains: 1 (seL4's default build) or 16 (Microkit's SDK kernels, "
                                  "with a 100-entry domain schedule)")->required();
    kernel_config_cmd->footer("Example:\n  tessera kernel-config build/kernel/tessera.elf --domains 16 -o sel4_32.elf\n"
                              "seL4 fixes its number of domains when it is built; Tessera's kernel reads it\n"
                              "from its file at boot. The SDK's kernels have 16, as Microkit's do.");
    return kernel_config_cmd;
}

CLI::App* add_boot(CLI::App& app, CommandLine& line)
{
    auto* boot_cmd = app.add_subcommand("boot", "Boot a built image in QEMU");
    boot_cmd->add_option("IMAGE", line.image_file,
                         "a loader with a system inside ('tessera build --loader', 'microkit -o')")
        ->required();
    boot_cmd->add_option("--kernel", line.launch.kernel,
                         "the Multiboot kernel file, or tessera, sel4-debug, sel4-release (default: "
                         "sel4_32.elf beside IMAGE, else this build's)");
    boot_cmd->add_option("--launcher", line.launch.launcher, "the QEMU launcher")->capture_default_str();
    boot_cmd->add_option("--timeout", line.launch.timeout, "stop QEMU after this many seconds");
    boot_cmd->add_flag("--exit-on-idle", line.launch.exit_on_idle,
                       "end QEMU when no thread can run any more (every protection domain waits)");
    boot_cmd->add_option("--launch-arg", line.launch.extra, "one more argument for the launcher (repeatable)");
    boot_cmd->footer("Examples:\n  tessera boot build/pipeline.elf\n"
                     "  tessera boot build/loader.img --exit-on-idle --timeout 60\n"
                     "Boots IMAGE as the root task through scripts/launch.py, with the kernel the\n"
                     "Microkit tool wrote beside it. Exit status: the launcher's (docs/booting.md).");
    return boot_cmd;
}

CLI::App* add_run(CLI::App& app, CommandLine& line)
{
    auto* run_cmd = app.add_subcommand("run", "Build a system and boot it in QEMU");
    run_cmd->add_option("SYSTEM", line.system_file, "the .system file")->required();
    run_cmd->add_option("--search-path", line.search, "directory searched for program images (repeatable)");
    run_cmd->add_option("--loader", line.run_loader, "the loader ELF")->capture_default_str();
    run_cmd->add_option("--kernel", line.launch.kernel,
                        "the Multiboot kernel file, or tessera, sel4-debug, sel4-release "
                        "(seL4's reference kernels, docs/booting.md)")->capture_default_str();
    run_cmd->add_option("--launcher", line.launch.launcher, "the QEMU launcher")->capture_default_str();
    run_cmd->add_option("-o,--output", line.output, "where to write the bootable ELF (default: a file in the temporary directory)");
    run_cmd->add_option("--timeout", line.launch.timeout, "stop QEMU after this many seconds");
    run_cmd->add_option("--memory", line.memory, "guest memory, as the launcher takes it (checked against "
                        "what the system needs before booting)")->capture_default_str();
    run_cmd->add_flag("--exit-on-idle", line.launch.exit_on_idle,
                      "end QEMU when no thread can run any more (every protection domain waits)");
    run_cmd->add_option("--launch-arg", line.launch.extra, "one more argument for the launcher (repeatable)");
    run_cmd->add_option("--disk", line.disks,
                        "attach IMAGE[,ro] as a virtio-blk disk (repeatable; the Nth is PCI 00:04.0+N, "
                        "see docs/drivers.md)");
    run_cmd->footer("Examples:\n  tessera run systems/pipeline.system --search-path build/systems/pipeline\n"
                    "  tessera run SYSTEM --search-path DIR --exit-on-idle --timeout 60\n"
                    "Builds like 'tessera build --loader' and boots the result through\n"
                    "scripts/launch.py. On a terminal, without --timeout, QEMU is interactive\n"
                    "(quit with Ctrl-A X). The exit status is the launcher's (0: the guest ended\n"
                    "with status 0; see docs/booting.md).");
    return run_cmd;
}

CLI::App* add_linux(CLI::App& app, CommandLine& line)
{
    auto* linux_cmd = app.add_subcommand("linux", "Run an unmodified static Linux program on Tessera");
    linux_cmd->add_option("--root", line.linux_options.root, "the root file system: a directory (made into ext2)");
    linux_cmd->add_option("--disk", line.linux_options.disk, "the root file system: an ext2 image (changes persist)");
    linux_cmd->add_option("--memory", line.linux_options.memory, "guest memory, as QEMU takes it (default 512M)");
    linux_cmd->add_option("--timeout", line.linux_options.timeout, "stop after this many seconds (exit 124)");
    linux_cmd->add_option("--log", line.linux_options.log, "write the kernel's and the components' lines here");
    linux_cmd->add_flag("--verbose", line.linux_options.verbose, "print the kernel's and the components' lines on standard error");
    linux_cmd->add_option("--server", line.linux_options.server, "the POSIX server root task (the packed root)")->capture_default_str();
    linux_cmd->add_option("--programs", line.linux_options.programs,
                          "with --disk or --root: the directory of posix_server_pd.elf and the ext2 "
                          "service's programs")->capture_default_str();
    linux_cmd->add_option("--loader", line.linux_options.loader, "with --disk or --root: the loader ELF")->capture_default_str();
    linux_cmd->add_option("COMMAND", line.linux_options.command, "the program (a path in the root, or a name in PATH) and its arguments")
        ->required();
    linux_cmd->footer("Example:\n  tessera linux -- sh -c 'echo hello | wc -c'\n"
                      "Exit status: the command's (128 + N for signal N), 124 on --timeout, 125 when\n"
                      "the system cannot start, 126 when COMMAND is not executable, 127 when it is\n"
                      "not found (docs/posix.md).");
    return linux_cmd;
}

CLI::App* add_vm(CLI::App& app, CommandLine& line)
{
    auto* vm_cmd = app.add_subcommand("vm", "Boot a Linux guest in the VMM (AMD SVM; docs/vmm.md)");
    vm_cmd->add_option("--guest-kernel,--kernel", line.vm.guest_kernel, "the guest's bzImage")
        ->required();
    vm_cmd->add_option("--initrd", line.vm.initrd, "the guest's initrd");
    vm_cmd->add_option("--append", line.vm.append, "the guest kernel's command line")
        ->capture_default_str();
    vm_cmd->add_option("--memory", line.vm_memory, "guest RAM (whole 2 MiB frames, at most 1G)")
        ->capture_default_str();
    vm_cmd->add_option("--timeout", line.vm.timeout, "stop after this many seconds (exit 124)");
    vm_cmd->add_option("--disk", line.vm.disks,
                       "IMAGE[,ro]: a virtio-blk disk of the guest, served by a block virtualiser "
                       "(,ro: read-only); repeatable, at most 4 (vda, vdb, ...)");
    vm_cmd->add_option("--exit-limit", line.vm.exit_limit,
                       "the VMM stops a guest making more exits than this per second of guest "
                       "time (an exit storm; default 2000000)")
        ->check(CLI::Range(uint64_t{1}, uint64_t{1000000000000}));
    vm_cmd->add_option("--idle-quiet", line.vm.idle_quiet,
                       "once input has ended, seconds the idle system must stay quiet before "
                       "the run ends (the VMM wakes every 100 ms while its guest lives)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    vm_cmd->add_flag("--icount", line.vm.icount,
                     "QEMU's -icount shift=0 (TCG): the TSC counts instructions, as in make bench");
    vm_cmd->add_option("--programs", line.vm.programs,
                       "the directory of the system's programs (linux_vmm.elf, its drivers)")
        ->capture_default_str();
    auto* vm_log = vm_cmd->add_option("--log", line.vm.log,
                                      "write everything the system prints to FILE");
    vm_cmd->add_flag("--verbose", line.vm.verbose,
                     "also show the kernel's boot lines and the launcher's")
        ->excludes(vm_log);
    vm_cmd->footer("Example:\n  tessera vm --guest-kernel vmlinuz --initrd initrd.gz --disk disk.img --timeout 120\n"
                   "The guest's console (COM1) is this program's standard input and output, from\n"
                   "the VMM's first line on. Exit status: 0 when the guest powered off, 124 on\n"
                   "--timeout, 125 when the guest or the system stopped otherwise (a crash, a\n"
                   "reset, an image the VMM refused).");
    return vm_cmd;
}

} // namespace

std::optional<int> parse_command_line(int argc, char** argv, CommandLine& line)
{
    set_defaults(line);
    CLI::App app{"tessera: check, draw, build and inspect Tessera static systems "
                 "(seL4 Microkit .system descriptions)"};
    app.require_subcommand(1);
    app.footer("Examples:\n  tessera check systems/pingpong.system\n"
               "  tessera build systems/pingpong.system --search-path build/systems/pingpong -o pingpong.img\n"
               "Run 'tessera COMMAND --help' for each command.");

    const std::pair<CLI::App*, Command> commands[] = {
        {add_check(app, line), Command::Check},
        {add_graph(app, line), Command::Graph},
        {add_build(app, line), Command::Build},
        {add_gen(app, line), Command::Gen},
        {add_strip(app, line), Command::Strip},
        {add_inspect(app, line), Command::Inspect},
        {add_kernel_config(app, line), Command::KernelConfig},
        {add_boot(app, line), Command::Boot},
        {add_run(app, line), Command::Run},
        {add_linux(app, line), Command::Linux},
        {add_vm(app, line), Command::Vm},
    };
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    }
    for (const auto& [subcommand, command] : commands)
        if (subcommand->parsed()) {
            line.command = command;
            line.kernel_given = command == Command::Boot && subcommand->count("--kernel") != 0;
        }
    return std::nullopt;
}

} // namespace tessera::sdf::cli

// The POSIX server running Debian's unmodified busybox-static (issue 23): each check starts one
// command line as a Linux process, serves it until it exits, and compares its exit status and
// what it wrote to the console with what Linux gives (the expected text is what the same applet
// prints on the host).
#include <stdio.h>
#include <string.h>

#include <tessera/runtime.h>

#include "../libos/check.h"
#include "sel4/platform.h"
#include "server/packed_volume.h"
#include "server/server.h"

using namespace tessera::posix;
using libos_suite::check;

extern "C" const uint8_t posix_busybox[], posix_busybox_end[];

namespace {

const char Motd[] = "one line\nand another\n";

const server::PackedFile files[] = {
    {"/bin/busybox", posix_busybox, size_t(posix_busybox_end - posix_busybox),
     0755},
    {"/etc/motd", reinterpret_cast<const uint8_t*>(Motd), sizeof Motd - 1, 0644},
};

// Keeps what the programs write, per stream.
class Capture final : public server::Console {
public:
    void write(int fd, const char* bytes, size_t length) override
    {
        Text& text = fd == 2 ? error : output;
        const size_t room = sizeof text.bytes - 1 - text.length;
        const size_t n = length < room ? length : room;
        memcpy(text.bytes + text.length, bytes, n);
        text.length += n;
        text.bytes[text.length] = '\0';
    }
    void reset() { output.length = error.length = 0; output.bytes[0] = error.bytes[0] = '\0'; }

    struct Text {
        char bytes[4096] = {};
        size_t length = 0;
    } output, error;
};

Capture console;
const char* const environment[] = {"PATH=/bin", "HOME=/"};

struct Outcome {
    int32_t status = -1;
    bool started = false;
};

template <size_t N> Outcome run(server::Server& server, const char* const (&argv)[N])
{
    console.reset();
    auto pid = server.spawn("/bin/busybox", {argv, N}, {environment, 2});
    if (!pid) {
        printf("spawn %s: errno %d\n", argv[0], int(pid.error()));
        return {};
    }
    return {server.run_until_exit(pid.value()), true};
}

// Checks the exit code (wait status >> 8) and the standard output.
void expect(const char* name, const Outcome& outcome, int code, const char* output)
{
    const bool ok = outcome.started && outcome.status == (code << 8) &&
                    strcmp(console.output.bytes, output) == 0;
    if (!ok)
        printf("%s: status %#x (expected %#x), output \"%s\", errors \"%s\"\n", name,
               outcome.status, code << 8, console.output.bytes, console.error.bytes);
    check(name, ok);
}

} // namespace

int main(void)
{
    sel4::Platform* platform = sel4::start_platform(*tessera_boot_info());
    check("setup.platform", platform != nullptr);
    if (platform == nullptr)
        return libos_suite::summary();
    static const server::FileTable table(files, sizeof files / sizeof files[0]);
    static server::PackedVolume root(table);
    static server::Server server(platform->objects, platform->frames, platform->backend,
                                 platform->endpoint, console, root);

    const char* const echo[] = {"echo", "hello", "from", "busybox"};
    expect("busybox.echo_prints_its_arguments", run(server, echo), 0, "hello from busybox\n");
    const char* const yes[] = {"true"};
    expect("busybox.true_exits_0", run(server, yes), 0, "");
    const char* const no[] = {"false"};
    expect("busybox.false_exits_1", run(server, no), 1, "");
    const char* const cat[] = {"cat", "/etc/motd"};
    expect("busybox.cat_prints_a_packed_file", run(server, cat), 0, Motd);
    const char* const missing[] = {"cat", "/etc/none"};
    const Outcome missing_outcome = run(server, missing);
    expect("busybox.cat_of_a_missing_file_exits_1", missing_outcome, 1, "");
    check("busybox.cat_of_a_missing_file_names_it",
          strstr(console.error.bytes, "/etc/none") != nullptr);
    const char* const shell[] = {"sh", "-c", "echo a; echo b"};
    expect("busybox.sh_runs_two_builtins", run(server, shell), 0, "a\nb\n");
    const char* const status[] = {"sh", "-c", "exit 42"};
    expect("busybox.sh_exit_status_passes_through", run(server, status), 42, "");
    // fork, pipes, wait4 and execve of /proc/self/exe (busybox runs its applets so).
    const char* const pipeline[] = {"sh", "-c", "echo a | cat"};
    expect("busybox.sh_pipes_echo_into_cat", run(server, pipeline), 0, "a\n");
    const char* const counted[] = {"sh", "-c", "cat /etc/motd | wc -l"};
    expect("busybox.sh_pipes_a_file_into_wc", run(server, counted), 0, "2\n");
    const char* const child[] = {"sh", "-c", "busybox true; echo $?; busybox false; echo $?"};
    expect("busybox.sh_forks_and_waits_for_applets", run(server, child), 0, "0\n1\n");
    const char* const loop[] = {"sh", "-c", "for i in 1 2 3; do echo $i; done | tail -n 1"};
    expect("busybox.sh_loop_into_tail", run(server, loop), 0, "3\n");
    const char* const subshell[] = {"sh", "-c", "f() { return 7; }; f; echo $?; (exit 3); echo $?"};
    expect("busybox.sh_functions_and_subshells", run(server, subshell), 0, "7\n3\n");
    const char* const replaced[] = {"sh", "-c", "exec false"};
    expect("busybox.sh_exec_replaces_the_shell", run(server, replaced), 1, "");
    printf("posix: %zu frames made for the programs\n", platform->frames.made());
    return libos_suite::summary();
}

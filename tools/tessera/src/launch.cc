// For `run` the launcher replaces the tool (execvp) so QEMU's exit status, the launcher's
// mapping of it and signals such as Ctrl-C reach the user unchanged. `vm` and `linux` must read
// the console themselves, so they run it as a child (run_launcher).
#include "launch.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <poll.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace tessera::sdf {

std::vector<std::string> launch_command(const LaunchOptions& options)
{
    std::vector<std::string> command{"python3", options.launcher, "--kernel", options.kernel,
                                     "--root-task", options.root_task};
    if (options.timeout > 0) {
        std::ostringstream seconds;
        seconds << options.timeout;
        command.insert(command.end(), {"--timeout", seconds.str()});
    }
    if (!options.memory.empty())
        command.insert(command.end(), {"--memory", options.memory});
    if (!options.temporary.empty())
        command.insert(command.end(), {"--remove", options.temporary});
    if (options.exit_on_idle)
        command.insert(command.end(), {"--append", "exit_on_idle"});
    if (options.interactive)
        command.push_back("--interactive");
    command.insert(command.end(), options.extra.begin(), options.extra.end());
    return command;
}

int launch(const LaunchOptions& options)
{
    const std::vector<std::string> command = launch_command(options);
    std::vector<char*> argv;
    for (const auto& word : command)
        argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    std::cout.flush();
    execvp(argv[0], argv.data());
    std::cerr << "tessera run: error: cannot start " << argv[0] << ": " << std::strerror(errno) << "\n";
    return 1;
}

std::string write_temporary_image(const std::string& prefix, const std::vector<uint8_t>& image,
                                  std::string& why)
{
    const char* directory = std::getenv("TMPDIR");
    std::string path = std::string(directory ? directory : "/tmp") + "/" + prefix + "-XXXXXX";
    const int file = mkstemp(path.data());
    if (file < 0) {
        why = "cannot make a temporary file " + path + ": " + std::strerror(errno);
        return {};
    }
    size_t done = 0;
    while (done < image.size()) {
        const ssize_t n = write(file, image.data() + done, image.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            why = "cannot write " + path + ": " + std::strerror(n < 0 ? errno : ENOSPC);
            close(file);
            std::remove(path.c_str());
            return {};
        }
        done += size_t(n);
    }
    close(file);
    return path;
}

namespace {

// Copies the child's two outputs to `output` until both end.
void relay_outputs(int console_fd, int launcher_fd, const LauncherOutput& output)
{
    pollfd fds[2] = {{console_fd, POLLIN, 0}, {launcher_fd, POLLIN, 0}};
    char buffer[65536];
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                continue;
            }
            const auto& sink = i == 0 ? output.console : output.launcher;
            if (sink)
                sink(buffer, size_t(n));
        }
    }
    for (const pollfd& fd : fds)
        if (fd.fd >= 0)
            close(fd.fd);
}

} // namespace

int run_launcher(const std::vector<std::string>& command, LauncherInput input,
                 const LauncherOutput& output, std::string& why)
{
    if (command.empty()) {
        why = "no launcher command";
        return -1;
    }
    int console_pipe[2], launcher_pipe[2];
    if (pipe(console_pipe) != 0) {
        why = std::string("cannot make a pipe: ") + std::strerror(errno);
        return -1;
    }
    if (pipe(launcher_pipe) != 0) {
        why = std::string("cannot make a pipe: ") + std::strerror(errno);
        close(console_pipe[0]);
        close(console_pipe[1]);
        return -1;
    }
    std::cout.flush();
    std::cerr.flush();
    const pid_t child = fork();
    if (child < 0) {
        why = std::string("cannot start the launcher: ") + std::strerror(errno);
        for (int fd : {console_pipe[0], console_pipe[1], launcher_pipe[0], launcher_pipe[1]})
            close(fd);
        return -1;
    }
    if (child == 0) {
        dup2(console_pipe[1], STDOUT_FILENO);
        dup2(launcher_pipe[1], STDERR_FILENO);
        for (int fd : {console_pipe[0], console_pipe[1], launcher_pipe[0], launcher_pipe[1]})
            close(fd);
        if (input == LauncherInput::Nothing) {
            const int nothing = open("/dev/null", O_RDONLY);
            if (nothing >= 0 && nothing != STDIN_FILENO) {
                dup2(nothing, STDIN_FILENO);
                close(nothing);
            }
        }
        std::vector<char*> argv;
        for (const auto& word : command)
            argv.push_back(const_cast<char*>(word.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        // The tool is single-threaded, so building the message here cannot deadlock.
        const std::string message =
            "cannot start " + command[0] + ": " + std::strerror(errno) + "\n";
        (void)!write(STDERR_FILENO, message.data(), message.size());
        _exit(127);
    }
    close(console_pipe[1]);
    close(launcher_pipe[1]);
    relay_outputs(console_pipe[0], launcher_pipe[0], output);
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            why = std::string("cannot wait for the launcher: ") + std::strerror(errno);
            return -1;
        }
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    why = "the launcher ended on signal " + std::to_string(WTERMSIG(status));
    return -1;
}

} // namespace tessera::sdf

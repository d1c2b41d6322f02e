// The two-process ping-pong loop shared by pipe, UNIX-socket and eventfd (see process_ping_pong.h).
#include "process_ping_pong.h"

#include "tsc.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <sys/wait.h>
#include <unistd.h>

namespace tessera::bench::baseline {
namespace {

enum class Transfer { Complete, EndOfFile, Failed };

// One token in one direction. Token sizes are far below PIPE_BUF, so a transfer is never split;
// only signals (EINTR) make a call repeat.
Transfer send_token(int descriptor, TokenSize size)
{
    const uint64_t token = 1; // eventfd adds 1; byte streams send the low byte
    for (;;) {
        const ssize_t written = write(descriptor, &token, static_cast<size_t>(size));
        if (written == static_cast<ssize_t>(size))
            return Transfer::Complete;
        if (written < 0 && errno == EINTR)
            continue;
        return Transfer::Failed;
    }
}

Transfer receive_token(int descriptor, TokenSize size)
{
    uint64_t token = 0;
    for (;;) {
        const ssize_t received = read(descriptor, &token, static_cast<size_t>(size));
        if (received == static_cast<ssize_t>(size))
            return Transfer::Complete;
        if (received == 0)
            return Transfer::EndOfFile;
        if (received < 0 && errno == EINTR)
            continue;
        return Transfer::Failed;
    }
}

void close_all(std::array<int, 4> descriptors)
{
    std::sort(descriptors.begin(), descriptors.end());
    const auto unique_end = std::unique(descriptors.begin(), descriptors.end());
    for (auto it = descriptors.begin(); it != unique_end; ++it)
        close(*it);
}

// Closes the other side's ends in one process, except those this side uses too (an eventfd is
// one descriptor that both processes write and read).
void close_other_side(int other_send, int other_receive, int own_send, int own_receive)
{
    if (other_send != own_send && other_send != own_receive)
        close(other_send);
    if (other_receive != other_send && other_receive != own_send && other_receive != own_receive)
        close(other_receive);
}

// The child: echo until the parent closes its end or the expected count is reached.
[[noreturn]] void echo_and_exit(const PingPongDescriptors& ends, TokenSize size, size_t count)
{
    for (size_t i = 0; i < count; ++i) {
        const Transfer received = receive_token(ends.child_receive, size);
        if (received == Transfer::EndOfFile)
            _exit(0);
        if (received == Transfer::Failed || send_token(ends.child_send, size) != Transfer::Complete)
            _exit(1);
    }
    _exit(0);
}

// Closes the parent's ends, which ends the child's loop, and reaps the child. On failure the child
// may be blocked writing or reading, so it is killed rather than waited for blindly.
enum class ChildEnding { WaitForExit, Kill };

Result<void> finish_child(pid_t child, const PingPongDescriptors& ends, ChildEnding ending)
{
    const bool kill_child = ending == ChildEnding::Kill;
    close_all({ends.parent_send, ends.parent_receive, ends.parent_send, ends.parent_receive});
    if (kill_child)
        kill(child, SIGKILL);
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR)
            return last_system_error("waitpid");
    }
    if (!kill_child && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        return SystemError{"echo child failed", 0};
    return {};
}

} // namespace

Result<Samples> run_process_ping_pong(PingPongDescriptors ends, TokenSize size, const RunPlan& plan)
{
    const pid_t child = fork();
    if (child < 0) {
        const SystemError error = last_system_error("fork");
        close_all({ends.parent_send, ends.parent_receive, ends.child_send, ends.child_receive});
        return error;
    }
    if (child == 0) {
        close_other_side(ends.parent_send, ends.parent_receive, ends.child_send,
                         ends.child_receive);
        echo_and_exit(ends, size, plan.total());
    }
    close_other_side(ends.child_send, ends.child_receive, ends.parent_send, ends.parent_receive);

    Samples samples;
    samples.reserve(plan.measured);
    for (size_t iteration = 0; iteration < plan.total(); ++iteration) {
        const TscReading begin = tsc_begin();
        const Transfer sent = send_token(ends.parent_send, size);
        const Transfer received =
            sent == Transfer::Complete ? receive_token(ends.parent_receive, size) : sent;
        const TscReading end = tsc_end();
        if (received != Transfer::Complete) {
            SystemError error = last_system_error("round trip with the echo child");
            if (received == Transfer::EndOfFile)
                error = SystemError{"round trip: the echo child closed its end", 0};
            (void)finish_child(child, ends,
                               ChildEnding::Kill); // the first error is the one to report
            return error;
        }
        if (plan.is_measured(iteration))
            samples.push_back(ticks_between(begin, end));
    }
    const Result<void> finished = finish_child(child, ends, ChildEnding::WaitForExit);
    if (!finished)
        return finished.error();
    return samples;
}

} // namespace tessera::bench::baseline

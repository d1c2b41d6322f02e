// `tessera linux`'s side of the serial contract: decoding the POSIX server's frames back into the
// program's output streams, its status and the system's own lines, and packing the command.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <thread>

#include <fstream>
#include <iterator>

#include "elf.h"
#include "linux_run.h"

namespace tessera::sdf {
namespace {

struct Decoded {
    std::string out, err;
    std::vector<std::string> log;
    int status = -1;
};

Decoded decode(const std::string& stream, size_t piece = 7)
{
    Decoded d;
    LinuxFrameDecoder decoder;
    decoder.on_output = [&](int fd, const std::string& b) { (fd == 2 ? d.err : d.out) += b; };
    decoder.on_log = [&](const std::string& line) { d.log.push_back(line); };
    decoder.on_exit = [&](int s) { d.status = s; };
    // Fed in small pieces: a frame split across reads must come out whole.
    for (size_t i = 0; i < stream.size(); i += piece)
        decoder.feed(stream.data() + i, std::min(piece, stream.size() - i));
    decoder.finish();
    return d;
}

TEST(LinuxFrameDecoder, GivesBackTheBytesOfEachStreamUnchanged)
{
    // "a\n" on stdout, "\r\x00\xff" on stderr, with the serial line's "\r\n" endings.
    const Decoded d = decode("\x1e" "1 610a\r\n\x1e" "2 0d00ff\r\n\x1e" "X0\r\n");
    EXPECT_EQ(d.out, "a\n");
    EXPECT_EQ(d.err, std::string("\r\0\xff", 3));
    EXPECT_EQ(d.status, 0);
    EXPECT_TRUE(d.log.empty());
}

TEST(LinuxFrameDecoder, SendsTheSystemsOwnLinesToTheLog)
{
    const Decoded d = decode("Tessera booting\r\n\x1e" "1 78\nroot task ok\n\x1e" "X255\n");
    EXPECT_EQ(d.log, (std::vector<std::string>{"Tessera booting", "root task ok"}));
    EXPECT_EQ(d.out, "x");
    EXPECT_EQ(d.status, 255);
}

TEST(LinuxFrameDecoder, NoExitFrameLeavesTheStatusUnset)
{
    const Decoded d = decode("kernel panic: something\n", 3);
    EXPECT_EQ(d.status, -1);
    EXPECT_EQ(d.log, (std::vector<std::string>{"kernel panic: something"}));
}

TEST(LinuxFrameDecoder, StopsAtABadHexDigit)
{
    const Decoded d = decode("\x1e" "1 41zz42\n");
    EXPECT_EQ(d.out, "A");
}

// The serial write-back's frames (0x1e W, 0x1e C) are gone with the disk in the server's image:
// a frame of a kind the tool does not know is the system's line, not output.
TEST(LinuxFrameDecoder, AFrameOfAnUnknownKindIsALogLine)
{
    const Decoded d = decode("\x1e" "W400 41\n" "\x1e" "C\r\n" "\x1e" "1 41\n");
    EXPECT_EQ(d.out, "A");
    EXPECT_EQ(d.log, (std::vector<std::string>{"\x1e" "W400 41", "\x1e" "C"}));
}

TEST(LinuxRootVolume, LeavesRoomToWriteAsMuchAgainAndAtLeast4MiB)
{
    constexpr uint64_t mib = 1ull << 20;
    EXPECT_EQ(linux_root_volume_bytes(0), 4 * mib);
    EXPECT_EQ(linux_root_volume_bytes(1 * mib), 4 * mib);
    EXPECT_EQ(linux_root_volume_bytes(2 * mib), 6 * mib);
    EXPECT_EQ(linux_root_volume_bytes(100 * mib), 202 * mib);
    EXPECT_EQ(linux_root_volume_bytes(100 * mib + 1) % mib, 0u);
}

ElfImage hello_program()
{
    std::ifstream in(std::string(TESSERA_TEST_PROGRAMS_DIR) + "/hello.elf", std::ios::binary);
    std::string why;
    auto elf = ElfImage::parse(std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {}), why);
    EXPECT_TRUE(elf) << why;
    return elf.value_or(ElfImage{});
}

TEST(ElfPageCount, CountsEachTouchedPageOnceAndCanLeaveASegmentOut)
{
    const ElfImage elf = hello_program();
    ASSERT_FALSE(elf.segments().empty());
    uint64_t spans = 0; // an upper bound: each segment's pages, shared pages counted twice
    for (const auto& segment : elf.segments())
        spans += (segment.vaddr % 4096 + segment.memory_size + 4095) / 4096;
    const uint64_t pages = elf.page_count();
    EXPECT_GE(pages, 1u);
    EXPECT_LE(pages, spans);
    const Segment& last = elf.segments().back();
    EXPECT_LT(elf.page_count(last.vaddr), pages);
    EXPECT_EQ(elf.page_count(0x7fff'0000'0000), pages); // no segment there: nothing left out
}

TEST(PackLinuxCommand, SeparatesArgumentsWithNulAndEndsWithAnEmptyOne)
{
    const std::vector<uint8_t> packed = pack_linux_command({"sh", "-c", "echo a"}, 4096);
    const std::string text(packed.begin(), packed.end());
    EXPECT_EQ(text, std::string("sh\0-c\0echo a\0\0", 14));
}

TEST(PackLinuxCommand, RefusesACommandThatDoesNotFitOrIsEmpty)
{
    EXPECT_TRUE(pack_linux_command({std::string(4095, 'x')}, 4096).empty());
    EXPECT_EQ(pack_linux_command({std::string(4094, 'x')}, 4096).size(), 4096u);
    EXPECT_TRUE(pack_linux_command({}, 4096).empty());
}

// Standard input from a pipe: every byte reaches the command, and pipes are no terminals.
// The writer is a thread: more than a pipe holds goes through while the tool reads.
struct PipeInput {
    int fds[2] = {-1, -1};
    std::thread writer;
    PipeInput(const std::string& bytes)
    {
        EXPECT_EQ(pipe(fds), 0);
        writer = std::thread([this, bytes] {
            size_t done = 0;
            while (done < bytes.size()) {
                const ssize_t n = write(fds[1], bytes.data() + done, bytes.size() - done);
                if (n <= 0)
                    break; // the reader gave up (EPIPE): the test says why
                done += size_t(n);
            }
            close(fds[1]);
        });
    }
    ~PipeInput()
    {
        close(fds[0]);
        writer.join();
    }
};

TEST(GatherLinuxStreams, ReadsAPipedStandardInputToItsEnd)
{
    std::string bytes(200000, 'x');
    bytes[123456] = '\0';
    PipeInput in(bytes);
    LinuxStreams streams;
    std::string why;
    ASSERT_TRUE(gather_linux_streams(in.fds[0], in.fds[0], in.fds[0], 1 << 20, streams, why)) << why;
    EXPECT_FALSE(streams.input_is_console);
    EXPECT_EQ(streams.terminals, 0);
    EXPECT_EQ(std::string(streams.input.begin(), streams.input.end()), bytes);
}

TEST(GatherLinuxStreams, RefusesAStandardInputLongerThanTheCapacity)
{
    signal(SIGPIPE, SIG_IGN); // the writer's rest meets a closed pipe
    PipeInput in(std::string(4097, 'y'));
    LinuxStreams streams;
    std::string why;
    EXPECT_FALSE(gather_linux_streams(in.fds[0], in.fds[0], in.fds[0], 4096, streams, why));
    EXPECT_NE(why.find("longer than 4096"), std::string::npos) << why;
}

TEST(GatherLinuxStreams, AnEmptyOrClosedStandardInputIsNoBytes)
{
    PipeInput in("");
    LinuxStreams streams;
    std::string why;
    ASSERT_TRUE(gather_linux_streams(in.fds[0], in.fds[0], in.fds[0], 16, streams, why)) << why;
    EXPECT_FALSE(streams.input_is_console);
    EXPECT_TRUE(streams.input.empty());
    ASSERT_TRUE(gather_linux_streams(-1, -1, -1, 16, streams, why)) << why;
    EXPECT_TRUE(streams.input.empty());
}

} // namespace
} // namespace tessera::sdf

// `tessera linux`'s side of the serial contract: decoding the POSIX server's frames back into the
// program's output streams, its status and the system's own lines, and packing the command.
#include <gtest/gtest.h>

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

} // namespace
} // namespace tessera::sdf

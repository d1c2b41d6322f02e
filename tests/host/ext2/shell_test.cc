// The shell on the service in-process: scripts in, exact transcripts out (the `$ ` prompt, no
// echo, sorted ls, CMD: PATH: REASON errors), halt and end of input syncing and powering off.
#include "../../../user/services/shell/shell/commands.h"
#include "../../../user/services/shell/shell/shell.h"
#include "service_fixture.h"

namespace tessera::ext2::test {
namespace {

using services::shell::Shell;
namespace fs = std::filesystem;

class CapturingTerminal final : public services::shell::Terminal {
public:
    void write(const char* bytes, size_t length) override { output.append(bytes, length); }
    void flush() override { ++flushes; }
    void power_off() override { ++power_offs; }
    std::string output;
    int flushes = 0;
    int power_offs = 0;
};

class Ext2ShellFixture : public Ext2ServiceFixture {
protected:
    void SetUp() override
    {
        fs::create_directories(scratch / "tree" / "docs");
        test::write_file(scratch / "tree" / "notes", bytes_of("remember the milk\n"));
        test::write_file(scratch / "tree" / "docs" / "a.txt", bytes_of("A\n"));
        make_image(scratch / "image", 8192, "-b 1024", scratch / "tree");
        device.emplace(MemoryDevice::from_file(scratch / "image"));
        remount();
        start_service({ClientSpec{}});
    }
    // Runs a script (as one block of input, then end of input) and returns the transcript.
    std::string run(const std::string& script, bool end = true,
                    services::shell::ManagerLink* manager = nullptr)
    {
        terminal = CapturingTerminal{};
        Shell shell(client(0), terminal, manager);
        shell.start();
        shell.feed(script.data(), script.size());
        if (end)
            shell.end_of_input();
        return terminal.output;
    }
    CapturingTerminal terminal;
};

TEST_F(Ext2ShellFixture, ListsTheRootSortedWithoutDots)
{
    EXPECT_EQ(run("ls /\nhalt\n"), "$ docs\nlost+found\nnotes\n$ ");
    EXPECT_EQ(terminal.power_offs, 1);
}

TEST_F(Ext2ShellFixture, ScriptOfEveryCommand)
{
    std::string transcript = run("write /hello.txt hello   world\n"
                                 "cat /hello.txt\n"
                                 "append /hello.txt again\n"
                                 "cat /hello.txt\n"
                                 "mkdir /d\n"
                                 "mv /hello.txt /d/h\n"
                                 "ln /d/h /d/hard\n"
                                 "ln -s h /d/soft\n"
                                 "ls /d\n"
                                 "cat /d/soft\n"
                                 "rm /d/hard\n"
                                 "rm /d/soft\n"
                                 "rm /d/h\n"
                                 "rmdir /d\n"
                                 "ls\n"
                                 "sync\n");
    EXPECT_EQ(transcript, "$ $ hello world\n"
                          "$ $ hello world\nagain\n"
                          "$ $ $ $ $ h\nhard\nsoft\n"
                          "$ hello world\nagain\n"
                          "$ $ $ $ $ docs\nlost+found\nnotes\n"
                          "$ $ ");
    EXPECT_EQ(terminal.power_offs, 1); // end of input is halt
    expect_clean();
}

TEST_F(Ext2ShellFixture, LongListingAndStatShowSizeModeAndLinks)
{
    std::string transcript = run("ln -s notes /link\nls -l /\nstat /notes\n", false);
    EXPECT_NE(transcript.find("drwxr-xr-x 2 1024 docs\n"), std::string::npos) << transcript;
    EXPECT_NE(transcript.find("-rw-r--r-- 1 18 notes\n"), std::string::npos) << transcript;
    EXPECT_NE(transcript.find("lrwxrwxrwx 1 5 link -> notes\n"), std::string::npos) << transcript;
    EXPECT_NE(transcript.find("path: /notes\ntype: regular file\nsize: 18\nmode: 0644 -rw-r--r--\nlinks: 1\n"),
              std::string::npos)
        << transcript;
}

TEST_F(Ext2ShellFixture, ErrorsNameCommandPathAndReason)
{
    std::string transcript = run("cat /nope\n"
                                 "rmdir /docs\n"
                                 "rm /docs\n"
                                 "mkdir /notes\n"
                                 "cat /docs\n"
                                 "ls /notes/x\n"
                                 "mv /nope /x\n"
                                 "ln /notes /docs/a.txt\n"
                                 "frobnicate now\n"
                                 "cat\n",
                                 false);
    EXPECT_EQ(transcript, "$ cat: /nope: No such file or directory\n"
                          "$ rmdir: /docs: Directory not empty\n"
                          "$ rm: /docs: Is a directory\n"
                          "$ mkdir: /notes: File exists\n"
                          "$ cat: /docs: Is a directory\n"
                          "$ ls: /notes/x: Not a directory\n"
                          "$ mv: /nope: No such file or directory\n"
                          "$ ln: /docs/a.txt: File exists\n"
                          "$ frobnicate: command not found\n"
                          "$ cat: usage: cat PATH\n"
                          "$ ");
    EXPECT_EQ(terminal.power_offs, 0);
}

TEST_F(Ext2ShellFixture, InputInPiecesAndBlankLines)
{
    terminal = CapturingTerminal{};
    Shell shell(client(0), terminal);
    shell.start();
    for (char c : std::string("\n  \r\nls   /docs\r\n"))
        shell.feed(&c, 1);
    EXPECT_EQ(terminal.output, "$ $ $ a.txt\n$ ");
    EXPECT_GE(terminal.flushes, 4); // every prompt is flushed
}

TEST_F(Ext2ShellFixture, HaltSyncsAndIgnoresWhatFollows)
{
    std::string transcript = run("write /kept written\nhalt\nwrite /lost never\n");
    EXPECT_EQ(transcript, "$ $ ");
    EXPECT_EQ(terminal.power_offs, 1);
    // halt synced: the image on the device is clean and has /kept, not /lost.
    device->save(scratch / "image");
    CommandResult checked = check_image(scratch / "image");
    EXPECT_EQ(checked.status, 0) << checked.output;
    EXPECT_NE(debugfs(scratch / "image", "cat /kept").output.find("written"), std::string::npos);
    EXPECT_EQ(debugfs(scratch / "image", "stat /lost").output.find("Inode:"), std::string::npos);
}

TEST_F(Ext2ShellFixture, OverlongLinesAndTooManyWordsAreRefused)
{
    std::string words;
    for (int i = 0; i < 70; ++i)
        words += " w";
    std::string transcript = run(std::string(5000, 'x') + "\nls" + words + "\nls /docs\n", false);
    EXPECT_EQ(transcript, "$ shell: line longer than 4096 bytes: ignored\n"
                          "$ shell: more than 64 words: ignored\n"
                          "$ a.txt\n$ ");
}

TEST_F(Ext2ShellFixture, DfAndHelp)
{
    std::string transcript = run("df\nhelp\n", false);
    EXPECT_NE(transcript.find("block size: 1024\nblocks: 8192 total, "), std::string::npos) << transcript;
    EXPECT_NE(transcript.find("inodes: "), std::string::npos);
    EXPECT_NE(transcript.find("halt                  sync and power off\n"), std::string::npos);
}

TEST_F(Ext2ShellFixture, AReadOnlyVolumeIsSaidBeforeTheFirstPrompt)
{
    start_service({ClientSpec{"/", Access::ReadOnly}});
    EXPECT_EQ(run("write /x y\nls /docs\n"),
              "shell: the volume is read-only: this client's access is read-only\n"
              "$ write: /x: Read-only file system\n$ a.txt\n$ ");
}

// A manager that records the calls it gets and answers with fixed reports.
class FakeManager final : public services::shell::ManagerLink {
public:
    explicit FakeManager(size_t capacity) : buffer_(capacity, '\0') {}
    char* buffer() override { return buffer_.data(); }
    size_t capacity() const override { return buffer_.size(); }
    Answer load(size_t text_length, size_t path_length) override
    {
        loaded_text.assign(buffer_.data(), text_length);
        loaded_path.assign(buffer_.data() + text_length, path_length);
        return reply(load_reply, load_report);
    }
    Answer status(size_t path_length) override
    {
        status_path.assign(buffer_.data(), path_length);
        return reply(Reply::Applied, "NAME STATE\nsleeper running\n");
    }

    Reply load_reply = Reply::Applied;
    std::string load_report = "started sleeper\n";
    std::string loaded_text;
    std::string loaded_path;
    std::string status_path;

private:
    Answer reply(Reply kind, const std::string& report)
    {
        memcpy(buffer_.data(), report.data(), report.size());
        return {kind, report.size()};
    }
    std::string buffer_;
};

TEST_F(Ext2ShellFixture, ManagerStatusPrintsTheManagersReport)
{
    FakeManager manager(4096);
    EXPECT_EQ(run("manager status\n", true, &manager), "$ NAME STATE\nsleeper running\n$ ");
    EXPECT_EQ(manager.status_path, "");
    // A nested manager's children: the path goes to the manager with the call.
    EXPECT_EQ(run("manager status nest/\n", true, &manager), "$ NAME STATE\nsleeper running\n$ ");
    EXPECT_EQ(manager.status_path, "nest/");
}

TEST_F(Ext2ShellFixture, ManagerLoadSendsTheWholeFileAndItsPath)
{
    FakeManager manager(4096);
    const std::string config = "<manager ram=\"8M\" caps=\"100\">\n</manager>\n";
    std::string script = "write /dyn.xml <manager ram=\"8M\" caps=\"100\">\nappend /dyn.xml </manager>\n"
                         "manager load /dyn.xml\n";
    EXPECT_EQ(run(script, true, &manager), "$ $ $ started sleeper\n$ ");
    EXPECT_EQ(manager.loaded_text, config);
    EXPECT_EQ(manager.loaded_path, "/dyn.xml");
}

TEST_F(Ext2ShellFixture, ManagerLoadPrintsARejection)
{
    FakeManager manager(4096);
    manager.load_reply = FakeManager::Reply::Rejected;
    manager.load_report = "/notes: rejected, 1 errors; the running configuration stays\n/notes:1:1: bad";
    EXPECT_EQ(run("manager load /notes\n", true, &manager),
              "$ /notes: rejected, 1 errors; the running configuration stays\n/notes:1:1: bad\n$ ");
    EXPECT_EQ(manager.loaded_text, "remember the milk\n");
}

TEST_F(Ext2ShellFixture, ManagerLoadRefusesMissingAndOversizedFiles)
{
    FakeManager small(20); // room for 14 bytes of text: the path's 6 go after it
    EXPECT_EQ(run("manager load /nope\nmanager load /notes\n", true, &small),
              "$ manager: /nope: No such file or directory\n"
              "$ manager: /notes: longer than 14 bytes\n$ ");
    EXPECT_TRUE(small.loaded_path.empty()); // nothing was sent
    FakeManager exact(18 + 6); // "remember the milk\n" is 18 bytes: it fits exactly
    EXPECT_EQ(run("manager load /notes\n", true, &exact), "$ started sleeper\n$ ");
    EXPECT_EQ(exact.loaded_text, "remember the milk\n");
}

TEST_F(Ext2ShellFixture, ManagerCommandWithoutAManagerOrWithBadWords)
{
    EXPECT_EQ(run("manager status\nmanager\nmanager load\nmanager stop x\n"),
              "$ manager: this system has no dynamic manager\n"
              "$ manager: usage: manager status [CHILD/] | manager load PATH\n"
              "$ manager: usage: manager status [CHILD/] | manager load PATH\n"
              "$ manager: usage: manager status [CHILD/] | manager load PATH\n$ ");
}

TEST(Ext2ShellFormat, ModeStringsAndUtcTimes)
{
    char mode[11];
    services::shell::mode_string(0104755, mode);
    EXPECT_STREQ(mode, "-rwsr-xr-x");
    services::shell::mode_string(041777, mode);
    EXPECT_STREQ(mode, "drwxrwxrwt");
    services::shell::mode_string(0120777, mode);
    EXPECT_STREQ(mode, "lrwxrwxrwx");
    char time[20];
    services::shell::utc_time(0, time);
    EXPECT_STREQ(time, "1970-01-01 00:00:00");
    services::shell::utc_time(1700000000, time);
    EXPECT_STREQ(time, "2023-11-14 22:13:20");
    services::shell::utc_time(951782400, time); // a leap day
    EXPECT_STREQ(time, "2000-02-29 00:00:00");
    services::shell::utc_time(-1, time);
    EXPECT_STREQ(time, "1969-12-31 23:59:59");
}

} // namespace
} // namespace tessera::ext2::test

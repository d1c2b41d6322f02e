// The file-system service and its client library together, in-process: every call of
// tessera/fs_client.h against a real volume, confinement of each client to its root, read-only
// clients, malformed requests, and a restart of the service between requests.
#include <cstring>
#include <set>

#include "service_fixture.h"

namespace tessera::ext2::test {
namespace {

class Ext2ServiceCallsFixture : public Ext2ServiceFixture {
protected:
    void SetUp() override
    {
        make("", 32768);
        start_service({ClientSpec{}});
    }
    tessera_fs& c() { return client(0); }
    int open(const char* path, int flags, unsigned mode = 0644) { return tessera_fs_open(&c(), path, flags, mode); }
    std::string read_all(const char* path)
    {
        int fd = open(path, TESSERA_FS_O_RDONLY);
        if (fd < 0)
            return std::string("<") + last_error() + ">";
        std::string out;
        char buffer[1000];
        long got;
        while ((got = tessera_fs_read(&c(), fd, buffer, sizeof buffer)) > 0)
            out.append(buffer, static_cast<size_t>(got));
        EXPECT_EQ(tessera_fs_close(&c(), fd), 0);
        return out;
    }
    void write_file(const char* path, const std::string& contents)
    {
        int fd = open(path, TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT | TESSERA_FS_O_TRUNC);
        ASSERT_GE(fd, 0) << path << ": " << last_error();
        ASSERT_EQ(tessera_fs_write(&c(), fd, contents.data(), contents.size()), static_cast<long>(contents.size()));
        ASSERT_EQ(tessera_fs_close(&c(), fd), 0);
    }
    std::vector<std::string> names(const char* path, tessera_fs* connection = nullptr)
    {
        tessera_fs& conn = connection ? *connection : c();
        int fd = tessera_fs_opendir(&conn, path);
        if (fd < 0)
            return {std::string("<") + last_error() + ">"};
        std::vector<std::string> out;
        tessera_fs_entry entry;
        int got;
        while ((got = tessera_fs_readdir(&conn, fd, &entry)) == 1)
            out.push_back(entry.name);
        EXPECT_EQ(got, 0) << last_error();
        tessera_fs_close(&conn, fd);
        std::sort(out.begin(), out.end());
        return out;
    }
    using Names = std::vector<std::string>;
};

TEST_F(Ext2ServiceCallsFixture, WriteThenReadBackThroughTheLibrary)
{
    std::string big(300000, 'x');
    for (size_t i = 0; i < big.size(); ++i)
        big[i] = static_cast<char>('a' + i * 7 % 26);
    write_file("/big", big); // larger than the window: the library splits it
    EXPECT_EQ(read_all("/big"), big);
    struct tessera_fs_stat st;
    ASSERT_EQ(tessera_fs_stat(&c(), "/big", &st), 0);
    EXPECT_EQ(st.size, big.size());
    EXPECT_EQ(st.mode, 0100644u);
    EXPECT_EQ(st.links, 1u);
    expect_clean();
}

TEST_F(Ext2ServiceCallsFixture, PositionsSeekAndAppend)
{
    write_file("/f", "0123456789");
    int fd = open("/f", TESSERA_FS_O_RDWR);
    ASSERT_GE(fd, 0);
    char buffer[4] = {};
    EXPECT_EQ(tessera_fs_read(&c(), fd, buffer, 3), 3);
    EXPECT_EQ(std::string(buffer, 3), "012");
    EXPECT_EQ(tessera_fs_lseek(&c(), fd, 2, TESSERA_FS_SEEK_CUR), 5);
    EXPECT_EQ(tessera_fs_write(&c(), fd, "ab", 2), 2);
    EXPECT_EQ(tessera_fs_lseek(&c(), fd, -1, TESSERA_FS_SEEK_END), 9);
    EXPECT_EQ(tessera_fs_read(&c(), fd, buffer, 4), 1);
    EXPECT_EQ(tessera_fs_lseek(&c(), fd, -20, TESSERA_FS_SEEK_CUR), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(tessera_fs_pread(&c(), fd, buffer, 2, 5), 2);
    EXPECT_EQ(std::string(buffer, 2), "ab");
    EXPECT_EQ(tessera_fs_close(&c(), fd), 0);
    int appender = open("/f", TESSERA_FS_O_WRONLY | TESSERA_FS_O_APPEND);
    ASSERT_GE(appender, 0);
    EXPECT_EQ(tessera_fs_write(&c(), appender, "XY", 2), 2);
    EXPECT_EQ(tessera_fs_pwrite(&c(), appender, "Z", 1, 0), 1); // append ignores the offset
    EXPECT_EQ(tessera_fs_close(&c(), appender), 0);
    EXPECT_EQ(read_all("/f"), "01234ab789XYZ");
}

TEST_F(Ext2ServiceCallsFixture, OpenFlagsBehaveAsOnLinux)
{
    EXPECT_EQ(open("/missing", TESSERA_FS_O_RDONLY), -1);
    EXPECT_EQ(errno, ENOENT);
    write_file("/f", "data");
    EXPECT_EQ(open("/f", TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT | TESSERA_FS_O_EXCL), -1);
    EXPECT_EQ(errno, EEXIST);
    EXPECT_EQ(open("/f", TESSERA_FS_O_RDONLY | TESSERA_FS_O_DIRECTORY), -1);
    EXPECT_EQ(errno, ENOTDIR);
    EXPECT_EQ(open("/", TESSERA_FS_O_WRONLY), -1);
    EXPECT_EQ(errno, EISDIR);
    EXPECT_EQ(open("/f", 3), -1);
    EXPECT_EQ(errno, EINVAL);
    ASSERT_EQ(tessera_fs_symlink(&c(), "f", "/link"), 0);
    EXPECT_EQ(open("/link", TESSERA_FS_O_RDONLY | TESSERA_FS_O_NOFOLLOW), -1);
    EXPECT_EQ(errno, ELOOP);
    EXPECT_EQ(read_all("/link"), "data");
    int fd = open("/f", TESSERA_FS_O_RDONLY);
    EXPECT_EQ(tessera_fs_write(&c(), fd, "x", 1), -1);
    EXPECT_EQ(errno, EBADF);
    EXPECT_EQ(tessera_fs_ftruncate(&c(), fd, 0), -1);
    EXPECT_EQ(errno, EINVAL);
    tessera_fs_close(&c(), fd);
    int truncating = open("/f", TESSERA_FS_O_WRONLY | TESSERA_FS_O_TRUNC);
    ASSERT_GE(truncating, 0);
    tessera_fs_close(&c(), truncating);
    EXPECT_EQ(read_all("/f"), "");
    EXPECT_EQ(tessera_fs_close(&c(), 63), -1);
    EXPECT_EQ(errno, EBADF);
}

TEST_F(Ext2ServiceCallsFixture, SixtyFiveOpenFilesAreOneTooMany)
{
    write_file("/f", "x");
    std::vector<int> fds;
    for (unsigned i = 0; i < TESSERA_FS_MAX_FILES; ++i) {
        int fd = open("/f", TESSERA_FS_O_RDONLY);
        ASSERT_GE(fd, 0) << i;
        fds.push_back(fd);
    }
    EXPECT_EQ(open("/f", TESSERA_FS_O_RDONLY), -1);
    EXPECT_EQ(errno, EMFILE);
    for (int fd : fds)
        EXPECT_EQ(tessera_fs_close(&c(), fd), 0);
    EXPECT_GE(open("/f", TESSERA_FS_O_RDONLY), 0);
}

TEST_F(Ext2ServiceCallsFixture, NamesLinksAndAttributes)
{
    ASSERT_EQ(tessera_fs_mkdir(&c(), "/d", 0750), 0);
    write_file("/d/a", "A");
    ASSERT_EQ(tessera_fs_link(&c(), "/d/a", "/d/b"), 0);
    ASSERT_EQ(tessera_fs_symlink(&c(), "/d/a", "/s"), 0);
    ASSERT_EQ(tessera_fs_rename(&c(), "/d/b", "/c"), 0);
    EXPECT_EQ(names("/"), (Names{".", "..", "c", "d", "lost+found", "s"}));
    EXPECT_EQ(names("/d"), (Names{".", "..", "a"}));
    struct tessera_fs_stat st;
    ASSERT_EQ(tessera_fs_stat(&c(), "/c", &st), 0);
    EXPECT_EQ(st.links, 2u);
    ASSERT_EQ(tessera_fs_lstat(&c(), "/s", &st), 0);
    EXPECT_EQ(st.mode & TESSERA_FS_S_IFMT, TESSERA_FS_S_IFLNK);
    ASSERT_EQ(tessera_fs_stat(&c(), "/d", &st), 0);
    EXPECT_EQ(st.mode, 040750u);
    char target[64];
    EXPECT_EQ(tessera_fs_readlink(&c(), "/s", target, sizeof target), 4);
    EXPECT_EQ(std::string(target, 4), "/d/a");
    ASSERT_EQ(tessera_fs_chmod(&c(), "/c", 0600), 0);
    ASSERT_EQ(tessera_fs_chown(&c(), "/c", 1000, 100), 0);
    ASSERT_EQ(tessera_fs_stat(&c(), "/d/a", &st), 0);
    EXPECT_EQ(st.mode, 0100600u);
    EXPECT_EQ(st.uid, 1000u);
    EXPECT_EQ(st.gid, 100u);
    ASSERT_EQ(tessera_fs_truncate(&c(), "/c", 10), 0);
    EXPECT_EQ(read_all("/d/a"), std::string("A") + std::string(9, '\0'));
    EXPECT_EQ(tessera_fs_rmdir(&c(), "/d"), -1);
    EXPECT_EQ(errno, ENOTEMPTY);
    ASSERT_EQ(tessera_fs_unlink(&c(), "/d/a"), 0);
    ASSERT_EQ(tessera_fs_rmdir(&c(), "/d"), 0);
    EXPECT_EQ(tessera_fs_unlink(&c(), "/d"), -1);
    EXPECT_EQ(errno, ENOENT);
    struct tessera_fs_statfs sf;
    ASSERT_EQ(tessera_fs_statfs(&c(), &sf), 0);
    EXPECT_EQ(sf.block_size, fs().statistics().block_size);
    EXPECT_EQ(sf.free_blocks, fs().statistics().free_blocks);
    EXPECT_EQ(sf.flags, 0u);
    EXPECT_EQ(sf.name_max, 255u);
    ASSERT_EQ(tessera_fs_sync(&c()), 0);
    uint64_t reads = device->reads;
    ASSERT_EQ(tessera_fs_drop_caches(&c()), 0);
    EXPECT_EQ(read_all("/c"), std::string("A") + std::string(9, '\0'));
    EXPECT_GT(device->reads, reads + 2); // the path, the inode and the data came from the device
    expect_clean();
}

TEST_F(Ext2ServiceCallsFixture, ReaddirOfThousandsInterleavedWithAnotherDirectory)
{
    ASSERT_EQ(tessera_fs_mkdir(&c(), "/many", 0755), 0);
    std::set<std::string> expected = {".", ".."};
    for (int i = 0; i < 2000; ++i) {
        std::string name = "/many/entry-" + std::to_string(i) + std::string(i % 60, 'z');
        int fd = open(name.c_str(), TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT);
        ASSERT_GE(fd, 0) << last_error();
        tessera_fs_close(&c(), fd);
        expected.insert(name.substr(6));
    }
    int big = tessera_fs_opendir(&c(), "/many");
    int small = tessera_fs_opendir(&c(), "/");
    std::set<std::string> seen, seen_root;
    tessera_fs_entry entry;
    int got;
    while ((got = tessera_fs_readdir(&c(), big, &entry)) == 1) {
        EXPECT_TRUE(seen.insert(entry.name).second) << "twice: " << entry.name;
        if (seen.size() % 97 == 0 && tessera_fs_readdir(&c(), small, &entry) == 1)
            seen_root.insert(entry.name);
    }
    EXPECT_EQ(got, 0);
    EXPECT_EQ(seen, expected);
    EXPECT_EQ(seen_root, (std::set<std::string>{".", "..", "lost+found", "many"}));
    EXPECT_EQ(tessera_fs_readdir(&c(), big, &entry), 0);
    int file = open("/many/entry-1z", TESSERA_FS_O_RDONLY);
    EXPECT_EQ(tessera_fs_readdir(&c(), file, &entry), -1);
    EXPECT_EQ(errno, ENOTDIR);
}

TEST_F(Ext2ServiceCallsFixture, UnlinkedOpenFileStaysReadableThroughItsDescriptor)
{
    write_file("/gone", "still here");
    int fd = open("/gone", TESSERA_FS_O_RDWR);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(tessera_fs_unlink(&c(), "/gone"), 0);
    char buffer[32];
    EXPECT_EQ(tessera_fs_pread(&c(), fd, buffer, sizeof buffer, 0), 10);
    EXPECT_EQ(std::string(buffer, 10), "still here");
    EXPECT_EQ(tessera_fs_pwrite(&c(), fd, "S", 1, 0), 1);
    uint64_t free_inodes = fs().statistics().free_inodes;
    ASSERT_EQ(tessera_fs_close(&c(), fd), 0);
    EXPECT_EQ(fs().statistics().free_inodes, free_inodes + 1);
    expect_clean();
}

TEST_F(Ext2ServiceCallsFixture, EveryChangeIsOnTheDeviceWhenTheCallReturns)
{
    write_file("/durable", "written back");
    ASSERT_EQ(tessera_fs_mkdir(&c(), "/dir", 0755), 0);
    // Another mount of the device's bytes as they are now (no sync) sees both.
    MemoryDevice copy(device->bytes());
    Mounted other(copy);
    ASSERT_TRUE(other.ok()) << other.report.reason;
    EXPECT_EQ(other.read_all("/durable"), bytes_of("written back"));
    EXPECT_TRUE(other.resolve("/dir"));
}

class Ext2ServiceConfinementFixture : public Ext2ServiceCallsFixture {
protected:
    void SetUp() override
    {
        make("", 32768);
        start_service({ClientSpec{}});
        ASSERT_EQ(tessera_fs_mkdir(&c(), "/home", 0755), 0);
        ASSERT_EQ(tessera_fs_mkdir(&c(), "/home/a", 0755), 0);
        ASSERT_EQ(tessera_fs_mkdir(&c(), "/home/b", 0755), 0);
        write_file("/secret", "top secret");
        write_file("/home/a/mine", "mine");
        write_file("/home/b/theirs", "theirs");
        ASSERT_EQ(tessera_fs_symlink(&c(), "/secret", "/home/a/abs"), 0);
        ASSERT_EQ(tessera_fs_symlink(&c(), "../../secret", "/home/a/rel"), 0);
        start_service({ClientSpec{}, ClientSpec{"/home/a"}, ClientSpec{"/home/b", Access::ReadOnly}});
    }
};

TEST_F(Ext2ServiceConfinementFixture, AClientSeesOnlyItsRoot)
{
    tessera_fs& a = client(1);
    EXPECT_EQ(names("/", &a), (Names{".", "..", "abs", "mine", "rel"}));
    struct tessera_fs_stat st;
    EXPECT_EQ(tessera_fs_stat(&a, "/../../secret", &st), -1);
    EXPECT_EQ(errno, ENOENT);
    EXPECT_EQ(tessera_fs_stat(&a, "/abs", &st), -1); // "/secret" under its root
    EXPECT_EQ(errno, ENOENT);
    EXPECT_EQ(tessera_fs_stat(&a, "/rel", &st), -1);
    EXPECT_EQ(errno, ENOENT);
    EXPECT_EQ(tessera_fs_link(&a, "/../secret", "/copy"), -1);
    EXPECT_EQ(errno, ENOENT);
    // ".." above its root is its root: the file stays inside.
    ASSERT_EQ(tessera_fs_rename(&a, "/mine", "/../../moved"), 0);
    EXPECT_EQ(read_all("/home/a/moved"), "mine");
    EXPECT_EQ(read_all("/moved"), "<ENOENT>");
    EXPECT_EQ(tessera_fs_rmdir(&a, "/"), -1);
    EXPECT_EQ(errno, EBUSY);
    EXPECT_EQ(tessera_fs_rmdir(&a, "/.."), -1);
    ASSERT_EQ(tessera_fs_stat(&a, "/..", &st), 0);
    struct tessera_fs_stat root;
    ASSERT_EQ(tessera_fs_stat(&a, "/", &root), 0);
    EXPECT_EQ(st.inode, root.inode);
    // Its ".." entry names its root, not the real parent.
    int fd = tessera_fs_opendir(&a, "/");
    tessera_fs_entry entry;
    while (tessera_fs_readdir(&a, fd, &entry) == 1) {
        if (std::string(entry.name) == "..") {
            EXPECT_EQ(entry.inode, root.inode);
        }
    }
    tessera_fs_close(&a, fd);
    // What it writes lands under /home/a.
    int made = tessera_fs_open(&a, "/new", TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT, 0644);
    ASSERT_GE(made, 0);
    tessera_fs_close(&a, made);
    EXPECT_EQ(read_all("/home/a/new"), "");
}

TEST_F(Ext2ServiceConfinementFixture, AReadOnlyClientReadsButChangesNothing)
{
    tessera_fs& b = client(2);
    char buffer[16];
    int fd = tessera_fs_open(&b, "/theirs", TESSERA_FS_O_RDONLY, 0);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(tessera_fs_read(&b, fd, buffer, sizeof buffer), 6);
    tessera_fs_close(&b, fd);
    auto refused = [&](int result) {
        EXPECT_EQ(result, -1);
        EXPECT_EQ(errno, EROFS) << last_error();
    };
    refused(tessera_fs_open(&b, "/theirs", TESSERA_FS_O_WRONLY, 0));
    refused(tessera_fs_open(&b, "/new", TESSERA_FS_O_WRONLY | TESSERA_FS_O_CREAT, 0644));
    refused(tessera_fs_mkdir(&b, "/d", 0755));
    refused(tessera_fs_unlink(&b, "/theirs"));
    refused(tessera_fs_rename(&b, "/theirs", "/x"));
    refused(tessera_fs_symlink(&b, "x", "/l"));
    refused(tessera_fs_link(&b, "/theirs", "/l"));
    refused(tessera_fs_chmod(&b, "/theirs", 0777));
    refused(tessera_fs_truncate(&b, "/theirs", 0));
    refused(tessera_fs_drop_caches(&b));
    struct tessera_fs_statfs sf;
    ASSERT_EQ(tessera_fs_statfs(&b, &sf), 0);
    EXPECT_EQ(sf.flags, TESSERA_FS_STATFS_READ_ONLY);
    EXPECT_EQ(read_all("/home/b/theirs"), "theirs");
}

TEST_F(Ext2ServiceConfinementFixture, VolumeStatusSaysReadWriteOrReadOnlyAndWhy)
{
    char reason[64] = "stale";
    EXPECT_EQ(tessera_fs_volume_status(&client(0), reason, sizeof reason),
              TESSERA_FS_VOLUME_READ_WRITE);
    EXPECT_STREQ(reason, "");
    EXPECT_EQ(tessera_fs_volume_status(&client(2), reason, sizeof reason),
              TESSERA_FS_VOLUME_READ_ONLY);
    EXPECT_STREQ(reason, "this client's access is read-only");
    // The reason is cut to the caller's buffer, always terminated; none asked for is fine.
    char small[5];
    EXPECT_EQ(tessera_fs_volume_status(&client(2), small, sizeof small),
              TESSERA_FS_VOLUME_READ_ONLY);
    EXPECT_STREQ(small, "this");
    EXPECT_EQ(tessera_fs_volume_status(&client(2), nullptr, 0), TESSERA_FS_VOLUME_READ_ONLY);
    EXPECT_EQ(tessera_fs_volume_status(&client(2), nullptr, 8), -1);
    EXPECT_EQ(errno, EFAULT);
}

TEST(Ext2ServiceVolumeStatus, ReplyWithoutAVolumeCarriesTheReasonCutToTheWindow)
{
    uint8_t window[8] = {};
    services::ext2::Reply reply = services::ext2::volume_status_reply(
        TESSERA_FS_VOLUME_NOT_MOUNTED, "cannot mount the volume: bad magic", window, sizeof window);
    EXPECT_EQ(reply.error, 0u);
    ASSERT_EQ(reply.word_count, 2u);
    EXPECT_EQ(reply.words[0], static_cast<uint64_t>(TESSERA_FS_VOLUME_NOT_MOUNTED));
    EXPECT_EQ(reply.words[1], sizeof window);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(window), sizeof window), "cannot m");
}

TEST_F(Ext2ServiceConfinementFixture, HandlesBelongToTheirClient)
{
    int fd = open("/secret", TESSERA_FS_O_RDONLY);
    ASSERT_GE(fd, 0);
    // Client 1 names the same handle number: it is not its handle.
    Reply reply = raw(1, TESSERA_FS_READ, {c().files[fd].handle, 0, 10});
    EXPECT_EQ(reply.error, static_cast<uint64_t>(Errno::BadF));
    reply = raw(1, TESSERA_FS_FSTAT, {c().files[fd].handle});
    EXPECT_EQ(reply.error, static_cast<uint64_t>(Errno::BadF));
}

TEST_F(Ext2ServiceCallsFixture, MalformedRequestsAreRefusedWithoutEffect)
{
    auto error = [&](uint64_t operation, std::vector<uint64_t> words) {
        return static_cast<Errno>(raw(0, operation, words).error);
    };
    EXPECT_EQ(error(99, {}), Errno::NoSys);
    EXPECT_EQ(error(TESSERA_FS_OPEN, {70000, 0, 0}), Errno::NameTooLong);
    EXPECT_EQ(error(TESSERA_FS_OPEN, {4095, 0, 0}), Errno::Inval); // the window's zeros: NULs
    std::memcpy(window(0), "abc\0def", 7);
    EXPECT_EQ(error(TESSERA_FS_OPEN, {7, 0, 0}), Errno::Inval);
    EXPECT_EQ(error(TESSERA_FS_OPEN, {0, 0, 0}), Errno::NoEnt);
    EXPECT_EQ(error(TESSERA_FS_RENAME, {2, 65535}), Errno::NameTooLong);
    EXPECT_EQ(error(TESSERA_FS_READ, {5, 0, 10}), Errno::BadF);
    EXPECT_EQ(error(TESSERA_FS_READ, {uint64_t(1) << 40, 0, 10}), Errno::BadF);
    write_file("/f", "x");
    int fd = open("/f", TESSERA_FS_O_RDWR);
    uint64_t handle = c().files[fd].handle;
    EXPECT_EQ(error(TESSERA_FS_READ, {handle, 0, 1u << 20}), Errno::Inval);
    EXPECT_EQ(error(TESSERA_FS_WRITE, {handle, uint64_t(1) << 63, 1}), Errno::Inval);
    EXPECT_EQ(error(TESSERA_FS_SETATTR, {handle, 0x100}), Errno::Inval);
    EXPECT_EQ(error(TESSERA_FS_SETATTR, {handle, TESSERA_FS_SET_ATIME, 0, 0, 0, 1, 2000000000}), Errno::Inval);
    EXPECT_EQ(error(TESSERA_FS_READDIR, {handle, 0, 0}), Errno::NotDir);
    int dir = tessera_fs_opendir(&c(), "/");
    EXPECT_EQ(error(TESSERA_FS_READDIR, {c().files[dir].handle, 0, 16}), Errno::Inval);
    // A client index the service does not have.
    EXPECT_EQ(static_cast<Errno>(raw(7, TESSERA_FS_SYNC, {}).error), Errno::Inval);
    expect_clean();
}

TEST_F(Ext2ServiceCallsFixture, ClientsWithoutARootOrAWindowAreDisabled)
{
    start_service({ClientSpec{}, ClientSpec{"/nowhere"}, ClientSpec{"/", Access::ReadWrite, 100}});
    EXPECT_EQ(static_cast<Errno>(raw(1, TESSERA_FS_SYNC, {}).error), Errno::Io);
    EXPECT_EQ(static_cast<Errno>(raw(2, TESSERA_FS_SYNC, {}).error), Errno::Io);
    EXPECT_EQ(raw(0, TESSERA_FS_SYNC, {}).error, 0u);
    ASSERT_EQ(log.size(), 2u) << log[0] << "\n" << log[1] << "\n" << log[2];
    EXPECT_NE(log[0].find("/nowhere"), std::string::npos) << log[0];
    EXPECT_NE(log[1].find("window"), std::string::npos) << log[1];
}

TEST_F(Ext2ServiceCallsFixture, RestartBetweenRequestsLosesNothing)
{
    write_file("/kept", "before");
    int open_fd = open("/kept", TESSERA_FS_O_RDWR);
    ASSERT_GE(open_fd, 0);
    ASSERT_EQ(tessera_fs_lseek(&c(), open_fd, 0, TESSERA_FS_SEEK_END), 6);
    write_file("/orphan", "unlinked but open");
    int orphan_fd = open("/orphan", TESSERA_FS_O_RDONLY);
    ASSERT_EQ(tessera_fs_unlink(&c(), "/orphan"), 0);
    int dir_fd = tessera_fs_opendir(&c(), "/");
    tessera_fs_entry entry;
    ASSERT_EQ(tessera_fs_readdir(&c(), dir_fd, &entry), 1);
    uint64_t free_inodes = fs().statistics().free_inodes;

    restart_service(); // the cache and the mount are gone; the handle tables are not
    EXPECT_TRUE(log.empty()) << log.front();

    EXPECT_EQ(tessera_fs_write(&c(), open_fd, "+after", 6), 6);
    ASSERT_EQ(tessera_fs_close(&c(), open_fd), 0);
    EXPECT_EQ(read_all("/kept"), "before+after");
    char buffer[32];
    EXPECT_EQ(tessera_fs_pread(&c(), orphan_fd, buffer, sizeof buffer, 0), 17);
    EXPECT_EQ(std::string(buffer, 17), "unlinked but open");
    EXPECT_EQ(fs().statistics().free_inodes, free_inodes);
    ASSERT_EQ(tessera_fs_close(&c(), orphan_fd), 0);
    EXPECT_EQ(fs().statistics().free_inodes, free_inodes + 1);
    int more = 0;
    while (tessera_fs_readdir(&c(), dir_fd, &entry) == 1)
        ++more;
    EXPECT_EQ(more, 3); // ".", "..", lost+found, kept: one was read before the restart
    tessera_fs_close(&c(), dir_fd);
    expect_clean();
}

TEST_F(Ext2ServiceCallsFixture, RestartWithDamagedStateStartsClientsAfresh)
{
    write_file("/f", "x");
    int fd = open("/f", TESSERA_FS_O_RDONLY);
    ASSERT_GE(fd, 0);
    state.magic = 0xdead;
    restart_service();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_NE(log[0].find("not intact"), std::string::npos);
    char byte;
    EXPECT_EQ(tessera_fs_read(&c(), fd, &byte, 1), -1);
    EXPECT_EQ(errno, EBADF);
}

TEST_F(Ext2ServiceCallsFixture, RestartDropsHandlesWhoseInodeIsGone)
{
    write_file("/f", "x");
    int fd = open("/f", TESSERA_FS_O_RDONLY);
    ASSERT_GE(fd, 0);
    state.handles[0].slot(static_cast<unsigned>(c().files[fd].handle)).generation ^= 1;
    restart_service();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_NE(log[0].find("gone"), std::string::npos) << log[0];
    char byte;
    EXPECT_EQ(tessera_fs_read(&c(), fd, &byte, 1), -1);
    EXPECT_EQ(errno, EBADF);
}

} // namespace
} // namespace tessera::ext2::test

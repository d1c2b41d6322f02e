// Write storms: thousands of random operations applied to a volume and, as the oracle, to a host
// folder (Linux's own semantics and errno values). Every few hundred operations the volume is
// synced and must pass e2fsck -fn; at the end debugfs dumps it and the dump must equal the folder.
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

#include "tree_builder.h"
#include "volume_fixture.h"

namespace tessera::ext2::test {
namespace {

namespace fs = std::filesystem;

struct StormParameters {
    int block_size;
    uint32_t seed;
};

class Ext2StormFixture : public Ext2VolumeFixture, public ::testing::WithParamInterface<StormParameters> {
protected:
    void SetUp() override
    {
        umask(022);
        make("-b " + std::to_string(GetParam().block_size), 65536);
        host = scratch / "host";
        fs::create_directory(host);
        random.seed(GetParam().seed);
    }
    void TearDown() override
    {
        for (auto& h : handles)
            close(h.fd);
    }

    std::string pick_path()
    {
        static const char* dirs[] = {"", "/d0", "/d1", "/d0/d2", "/d0/d2/d3", "/d1/d4"};
        static const char* names[] = {"d0", "d1", "d2", "d3", "d4", "f0", "f1", "f2", "f3", "l0"};
        std::string dir = dirs[random() % std::size(dirs)];
        return dir + "/" + names[random() % std::size(names)];
    }
    fs::path on_host(const std::string& path) { return host / path.substr(1); }
    static Errno host_errno(int result) { return result == 0 ? Errno::Ok : static_cast<Errno>(errno); }
    template <class T> static Errno outcome(const Result<T>& result) { return result ? Errno::Ok : result.error(); }

    void step();
    void check_now(const char* when);

    struct Handle {
        InodeNumber inode;
        int fd;
    };
    fs::path host;
    std::mt19937 random;
    std::vector<Handle> handles;
    int operations = 0;
};

void Ext2StormFixture::step()
{
    std::string path = pick_path();
    std::string other = pick_path();
    fs::path h = on_host(path);
    fs::path ho = on_host(other);
    int kind = static_cast<int>(random() % 100);
    SCOPED_TRACE("operation " + std::to_string(operations) + " kind " + std::to_string(kind) +
                 " on " + path + " / " + other);
    ++operations;
    if (kind < 12) {
        int fd = ::open(h.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644);
        Errno expected = fd >= 0 ? Errno::Ok : static_cast<Errno>(errno);
        if (fd >= 0)
            close(fd);
        EXPECT_EQ(outcome(m().create(path)), expected);
    } else if (kind < 40) {
        // Writes: mostly small, some large, a few far out (sparse).
        size_t length = random() % 3 == 0 ? random() % 200000 : random() % 5000;
        uint64_t offset = random() % 10 == 0 ? random() % (8u << 20) : random() % 300000;
        auto bytes = pattern(length, static_cast<uint32_t>(random()));
        int fd = ::open(h.c_str(), O_WRONLY);
        Errno expected = Errno::Ok;
        if (fd < 0) {
            expected = static_cast<Errno>(errno);
        } else {
            if (pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset)) < 0)
                expected = static_cast<Errno>(errno);
            close(fd);
        }
        auto inode = m().resolve(path);
        Errno ours = inode ? Errno::Ok : inode.error();
        if (inode) {
            auto a = fs().stat(inode.value());
            if (file_type(a.value().mode) == FileType::Directory)
                ours = Errno::IsDir;
            else
                ours = outcome(m().write_all(path, bytes, offset));
        }
        EXPECT_EQ(ours, expected);
    } else if (kind < 48) {
        uint64_t size = random() % 2 ? random() % 70000 : 0;
        Errno expected = host_errno(::truncate(h.c_str(), static_cast<off_t>(size)));
        auto inode = m().resolve(path);
        Errno ours = inode ? outcome(fs().truncate(inode.value(), size)) : inode.error();
        EXPECT_EQ(ours, expected);
    } else if (kind < 58) {
        EXPECT_EQ(outcome(m().mkdir(path)), host_errno(::mkdir(h.c_str(), 0755)));
    } else if (kind < 64) {
        EXPECT_EQ(outcome(m().rmdir(path)), host_errno(::rmdir(h.c_str())));
    } else if (kind < 72) {
        EXPECT_EQ(outcome(m().unlink(path)), host_errno(::unlink(h.c_str())));
    } else if (kind < 84) {
        EXPECT_EQ(outcome(m().rename(path, other)), host_errno(::rename(h.c_str(), ho.c_str())));
    } else if (kind < 89) {
        EXPECT_EQ(outcome(m().link(path, other)), host_errno(::link(h.c_str(), ho.c_str())));
    } else if (kind < 93) {
        std::string target = random() % 2 ? "f0" : std::string(100 + random() % 200, 't');
        EXPECT_EQ(outcome(m().symlink(target, path)), host_errno(::symlink(target.c_str(), h.c_str())));
    } else if (kind < 97) {
        // Open a file (it may be unlinked later and must stay readable).
        int fd = ::open(h.c_str(), O_RDONLY | O_NOFOLLOW);
        struct stat st;
        if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
            close(fd);
            fd = -1;
        }
        auto inode = m().resolve(path, PathWalker::Follow::No);
        if (fd >= 0) {
            ASSERT_TRUE(inode);
            ASSERT_TRUE(fs().hold(inode.value()));
            handles.push_back({inode.value(), fd});
        }
    } else if (!handles.empty()) {
        // Compare a held file through both handles, then close it.
        size_t which = random() % handles.size();
        Handle handle = handles[which];
        struct stat st;
        ASSERT_EQ(fstat(handle.fd, &st), 0);
        std::vector<uint8_t> expected(static_cast<size_t>(st.st_size));
        ASSERT_EQ(pread(handle.fd, expected.data(), expected.size(), 0), static_cast<ssize_t>(expected.size()));
        std::vector<uint8_t> ours(expected.size() + 10);
        auto got = fs().read(handle.inode, 0, ours.data(), ours.size());
        ASSERT_TRUE(got);
        ours.resize(got.value());
        EXPECT_TRUE(ours == expected) << "held file differs";
        EXPECT_TRUE(fs().release(handle.inode));
        close(handle.fd);
        handles.erase(handles.begin() + static_cast<long>(which));
    }
}

void Ext2StormFixture::check_now(const char* when)
{
    SCOPED_TRACE(when);
    // Held files that lost their names are freed only at release; e2fsck would see them as
    // unattached, so the check waits for a moment with none held.
    for (auto& h : handles) {
        EXPECT_TRUE(fs().release(h.inode));
        close(h.fd);
    }
    handles.clear();
    expect_clean();
    expect_volume_matches_tree(m(), host, CompareTimes::No);
}

TEST_P(Ext2StormFixture, RandomOperationsMatchLinuxAndStayConsistent)
{
    for (int round = 0; round < 6; ++round) {
        for (int i = 0; i < 400; ++i) {
            step();
            if (HasFatalFailure() || HasFailure())
                return;
        }
        check_now(("after round " + std::to_string(round)).c_str());
    }
    EXPECT_STREQ(fs().problem(), "");
    // The storm built something (a seed where everything failed would prove nothing).
    size_t entries = 0;
    for (auto& entry : fs::recursive_directory_iterator(host)) {
        (void)entry;
        ++entries;
    }
    EXPECT_GE(entries, 8u);
    // An independent reader: debugfs dumps the volume and the dump must equal the host folder.
    remount();
    expect_volume_matches_tree(m(), host, CompareTimes::No);
    fs::path dump = scratch / "dump";
    fs::create_directory(dump);
    CommandResult dumped = debugfs(scratch / "image", "rdump / " + dump.string());
    for (auto& entry : fs::recursive_directory_iterator(host)) {
        fs::path relative = entry.path().lexically_relative(host);
        SCOPED_TRACE(relative.string());
        fs::path copy = dump / relative;
        if (entry.is_symlink())
            EXPECT_EQ(fs::read_symlink(copy), fs::read_symlink(entry.path()));
        else if (entry.is_regular_file())
            EXPECT_TRUE(read_file(copy) == read_file(entry.path())) << dumped.output;
        else
            EXPECT_TRUE(fs::is_directory(copy));
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, Ext2StormFixture,
                         ::testing::Values(StormParameters{1024, 1}, StormParameters{2048, 2},
                                           StormParameters{4096, 3}, StormParameters{4096, 4}),
                         [](const auto& info) {
                             return "b" + std::to_string(info.param.block_size) + "_seed" +
                                    std::to_string(info.param.seed);
                         });

} // namespace
} // namespace tessera::ext2::test

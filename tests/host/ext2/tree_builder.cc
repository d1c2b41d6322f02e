#include "tree_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace tessera::ext2::test {

namespace fs = std::filesystem;

std::vector<std::string> build_tree(const fs::path& root, const TreeOptions& options)
{
    fs::create_directories(root);
    uint32_t b = options.block_size;
    uint32_t p = b / 4;
    // Sizes around each boundary of the block map: direct, single, double indirect.
    std::vector<size_t> sizes = {0, 1, 100, b - 1, b, b + 1, 12 * b - 1, 12 * b, 12 * b + 1,
                                 (12 + p) * b - 1, (12 + p) * b, (12 + p) * b + 7, 300000};
    uint32_t seed = 1;
    for (size_t size : sizes)
        write_file(root / ("file_" + std::to_string(size)), pattern(size, seed++));
    fs::create_directories(root / "a" / "b" / "c" / "d" / "e");
    write_file(root / "a" / "b" / "c" / "d" / "e" / "deep", pattern(5000, seed++));
    write_file(root / "a" / "readme", pattern(42, seed++));
    chmod((root / "a" / "readme").c_str(), 0600);
    chmod((root / "a" / "b").c_str(), 0700);
    write_file(root / "a" / "script", pattern(10, seed++));
    chmod((root / "a" / "script").c_str(), 0755);
    // Hard links: three names for one file.
    fs::create_hard_link(root / "a" / "readme", root / "hard1");
    fs::create_hard_link(root / "a" / "readme", root / "a" / "b" / "hard2");
    // Symlinks: fast (target inside the inode), slow (a block), dangling, to a directory.
    fs::create_symlink("a/readme", root / "fast_link");
    fs::create_symlink(std::string(200, 'x') + "/target", root / "slow_link");
    fs::create_symlink("nowhere", root / "dangling");
    fs::create_symlink("a/b", root / "dir_link");
    fs::create_directories(root / "empty");
    fs::create_directories(root / "big");
    for (size_t i = 0; i < options.big_directory_entries; ++i) {
        std::string name = "entry_" + std::to_string(i) + std::string(i % 40, 'n');
        std::ofstream(root / "big" / name) << i;
    }
    // Only with 1 KiB blocks is the triple-indirect range small enough to read whole (64 MiB).
    if (options.sparse_triple_indirect && b == 1024) {
        // Data at the start, in the double-indirect range and past the triple-indirect start.
        uint64_t triple = (12ull + p + uint64_t{p} * p) * b;
        uint64_t size = triple + 10ull * b;
        {
            std::ofstream out(root / "sparse", std::ios::binary);
        }
        fs::resize_file(root / "sparse", size);
        std::fstream out(root / "sparse", std::ios::binary | std::ios::in | std::ios::out);
        for (uint64_t offset : {uint64_t{0}, uint64_t{(12ull + p + 3) * b + 17}, uint64_t{triple + 5ull * b + 3}}) {
            auto bytes = pattern(3 * b, static_cast<uint32_t>(offset));
            out.seekp(static_cast<std::streamoff>(offset));
            out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        }
    }
    std::vector<std::string> paths;
    for (auto& entry : fs::recursive_directory_iterator(root))
        paths.push_back("/" + entry.path().lexically_relative(root).string());
    std::sort(paths.begin(), paths.end());
    return paths;
}

void expect_volume_matches_tree(Mounted& m, const fs::path& root, CompareTimes times)
{
    size_t checked = 0;
    for (auto& entry : fs::recursive_directory_iterator(root)) {
        std::string path = "/" + entry.path().lexically_relative(root).string();
        SCOPED_TRACE(path);
        struct stat host;
        ASSERT_EQ(lstat(entry.path().c_str(), &host), 0);
        auto inode = m.resolve(path, PathWalker::Follow::No);
        ASSERT_TRUE(inode) << errno_name(inode.error());
        auto attributes = m.fs->stat(inode.value());
        ASSERT_TRUE(attributes);
        const Attributes& a = attributes.value();
        EXPECT_EQ(a.mode, host.st_mode);
        EXPECT_EQ(a.links, host.st_nlink);
        if (times == CompareTimes::Yes) {
            EXPECT_EQ(a.mtime.seconds, host.st_mtim.tv_sec);
        }
        if (S_ISREG(host.st_mode)) {
            EXPECT_EQ(a.size, static_cast<uint64_t>(host.st_size));
            Errno error = Errno::Ok;
            auto bytes = m.read_all(path, &error);
            EXPECT_EQ(error, Errno::Ok) << errno_name(error);
            EXPECT_TRUE(bytes == read_file(entry.path())) << "contents differ";
        } else if (S_ISLNK(host.st_mode)) {
            EXPECT_EQ(m.read_link(path), fs::read_symlink(entry.path()).string());
        } else if (S_ISDIR(host.st_mode)) {
            std::vector<std::string> expected = {".", ".."};
            for (auto& child : fs::directory_iterator(entry.path()))
                expected.push_back(child.path().filename().string());
            std::sort(expected.begin(), expected.end());
            EXPECT_EQ(m.list(path), expected);
        }
        ++checked;
    }
    EXPECT_GT(checked, 0u);
}

} // namespace tessera::ext2::test

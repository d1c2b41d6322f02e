// Builds a host folder tree of every shape the reader must handle (sizes on each block-map
// boundary, sparse files reaching triple indirect blocks, fast and slow symlinks, hard links,
// thousands of entries in one directory) and checks a mounted volume against it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "image_tools.h"

namespace tessera::ext2::test {

struct TreeOptions {
    uint32_t block_size = 1024;
    size_t big_directory_entries = 3000;
    bool sparse_triple_indirect = true;
};

// Writes the tree under root; returns the paths (relative, with a leading '/') of every entry.
std::vector<std::string> build_tree(const std::filesystem::path& root, const TreeOptions& options);

// Compares every entry of the host tree with the volume: type, size, mode bits, link count,
// mtime seconds, contents (files), targets (symlinks), names (directories). Records failures
// with gtest's EXPECT_*.
enum class CompareTimes { Yes, No };
void expect_volume_matches_tree(Mounted& mounted, const std::filesystem::path& root,
                                CompareTimes times = CompareTimes::Yes);

} // namespace tessera::ext2::test

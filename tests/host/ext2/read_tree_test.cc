// Reading volumes made by `mke2fs -d` from generated trees: every entry read back and compared.
#include <gtest/gtest.h>

#include "tree_builder.h"

namespace tessera::ext2::test {
namespace {

struct Layout {
    uint32_t block_size;
    const char* options;
    size_t big_directory = 300;
};

class Ext2ReadTreeFixture : public ::testing::TestWithParam<Layout> {
protected:
    ScratchDir scratch;
};

TEST_P(Ext2ReadTreeFixture, EveryEntryReadsBackAsWritten)
{
    TreeOptions options;
    options.block_size = GetParam().block_size;
    options.big_directory_entries = GetParam().big_directory;
    build_tree(scratch / "tree", options);
    make_image(scratch / "image", 65536,
               std::string("-b ") + std::to_string(options.block_size) + " " + GetParam().options,
               scratch / "tree");
    MemoryDevice device = MemoryDevice::from_file(scratch / "image");
    Mounted m(device);
    ASSERT_TRUE(m.ok()) << m.report.reason;
    expect_volume_matches_tree(m, scratch / "tree");
    EXPECT_STREQ(m.fs->problem(), "");
    // Reading changes nothing on disk.
    ASSERT_TRUE(m.fs->sync());
    EXPECT_EQ(device.writes, 0u);
}

INSTANTIATE_TEST_SUITE_P(Layouts, Ext2ReadTreeFixture,
                         ::testing::Values(Layout{1024, "", 3000}, Layout{2048, ""}, Layout{4096, "", 3000},
                                           Layout{1024, "-r 0"}, Layout{4096, "-r 0"},
                                           Layout{4096, "-I 128"}, Layout{1024, "-O ^filetype"}),
                         [](const auto& info) {
                             std::string name = "b" + std::to_string(info.param.block_size);
                             for (const char* c = info.param.options; *c; ++c)
                                 if (isalnum(static_cast<unsigned char>(*c)))
                                     name += *c;
                             return name;
                         });

} // namespace
} // namespace tessera::ext2::test

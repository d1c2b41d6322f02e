// Putting a boot image inside the loader: the image becomes the contents of the loader's own
// placeholder segment and its size is patched, and files that are not a loader are refused.
#include <cstring>
#include <fstream>
#include <gtest/gtest.h>

#include "elf.h"
#include "embed.h"
#include "test_support.h"
#include "tessera/spec_reader.h"

namespace tessera::sdf {
namespace {

std::vector<uint8_t> read_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

uint64_t read_u64(const std::vector<uint8_t>& bytes, uint64_t offset)
{
    uint64_t value = 0;
    std::memcpy(&value, bytes.data() + offset, sizeof value);
    return value;
}

TEST(EmbedInLoader, ImageBecomesThePlaceholderSegmentAndSizeIsPatched)
{
    auto built = test::build_example("pingpong");
    ASSERT_TRUE(built);
    std::string why;
    auto loader = embed_in_loader(read_bytes(TESSERA_TEST_LOADER), built->image, why);
    ASSERT_TRUE(loader) << why;
    auto elf = ElfImage::parse(*loader, why);
    ASSERT_TRUE(elf) << why;
    const auto placeholder = elf->symbol(TESSERA_LOADER_IMAGE_SYMBOL);
    ASSERT_TRUE(placeholder);
    const Segment* image_segment = nullptr;
    for (const auto& segment : elf->segments())
        if (segment.vaddr == placeholder->value)
            image_segment = &segment;
    ASSERT_NE(image_segment, nullptr);
    EXPECT_EQ(image_segment->file_size, built->image.size());
    EXPECT_EQ(image_segment->memory_size, built->image.size());
    EXPECT_EQ(image_segment->file_offset % 0x1000, image_segment->vaddr % 0x1000);
    EXPECT_EQ(0, std::memcmp(loader->data() + image_segment->file_offset, built->image.data(),
                             built->image.size()));
    // The loader reads the size from its own data.
    const auto size = elf->symbol(TESSERA_LOADER_IMAGE_SIZE_SYMBOL);
    ASSERT_TRUE(size);
    bool size_found = false;
    for (const auto& segment : elf->segments()) {
        if (size->value < segment.vaddr || size->value >= segment.vaddr + segment.file_size)
            continue;
        size_found = true;
        EXPECT_EQ(read_u64(*loader, segment.file_offset + (size->value - segment.vaddr)),
                  built->image.size());
    }
    EXPECT_TRUE(size_found);
    // And the embedded bytes are still an image the loader's reader accepts.
    auto view = spec::ImageView::open(loader->data() + image_segment->file_offset, built->image.size());
    EXPECT_TRUE(view);
}

TEST(EmbedInLoader, RefusesAProgramThatIsNotALoader)
{
    auto built = test::build_example("pingpong");
    ASSERT_TRUE(built);
    std::string why;
    auto result = embed_in_loader(read_bytes(std::string(TESSERA_TEST_PROGRAMS_DIR) + "/ping.elf"),
                                  built->image, why);
    EXPECT_FALSE(result);
    EXPECT_EQ(why, "is not a Tessera loader (it has no 'tessera_system_image' symbol)");
}

TEST(EmbedInLoader, RefusesAFileThatIsNotElf)
{
    std::string why;
    auto result = embed_in_loader(std::vector<uint8_t>(100, 'x'), {1, 2, 3}, why);
    EXPECT_FALSE(result);
    EXPECT_EQ(why, "is not an ELF file");
}

} // namespace
} // namespace tessera::sdf

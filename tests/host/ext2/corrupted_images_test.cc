// Seeded corruptions of small mke2fs volumes, each run through everything a client can do
// (tests/fuzz/ext2/exercise_volume.cc): nothing may crash (the asan run of this test checks
// memory too), and the runs must cover all three outcomes: refused, read-only, writable.
#include <cstring>
#include <random>

#include "../../fuzz/ext2/exercise_volume.h"
#include "volume_fixture.h"

namespace tessera::ext2::test {
namespace {

namespace fs = std::filesystem;

class Ext2CorruptedImagesFixture : public ::testing::TestWithParam<const char*> {
protected:
    ScratchDir scratch;
};

TEST_P(Ext2CorruptedImagesFixture, EveryMutationMountsReadOnlyFailsCleanlyOrWorks)
{
    fs::create_directories(scratch / "tree" / "d" / "e");
    write_file(scratch / "tree" / "d" / "f", pattern(100, 1));
    write_file(scratch / "tree" / "d" / "e" / "big", pattern(30000, 2));
    fs::create_symlink("d/f", scratch / "tree" / "fast");
    fs::create_symlink(std::string(90, 'y'), scratch / "tree" / "slow");
    make_image(scratch / "image", 256, std::string("-N 32 -m 0 ") + GetParam(), scratch / "tree");
    std::vector<uint8_t> original = read_file(scratch / "image");
    uint32_t block_size = 1024u << original[1024 + 24];
    // Metadata lives in the first blocks of these small volumes: aim most damage there.
    size_t metadata_end = std::min<size_t>(original.size(), 64u * block_size);

    std::mt19937 random(1234);
    int refused = 0, read_only = 0, writable = 0, damaged_while_working = 0;
    for (int run = 0; run < 400; ++run) {
        std::vector<uint8_t> image = original;
        int changes = 1 + static_cast<int>(random() % 8);
        for (int i = 0; i < changes; ++i) {
            size_t at = random() % 4 == 0 ? 1024 + random() % 1024 : random() % metadata_end;
            switch (random() % 3) {
            case 0: image[at] ^= static_cast<uint8_t>(1u << (random() % 8)); break;
            case 1: image[at] = static_cast<uint8_t>(random()); break;
            default:
                if (at + 4 <= image.size()) {
                    uint32_t value = random() % 2 ? static_cast<uint32_t>(random()) : static_cast<uint32_t>(random() % 256);
                    std::memcpy(image.data() + at, &value, 4);
                }
            }
        }
        fuzz::ExerciseReport report = fuzz::exercise_volume(image.data(), image.size());
        if (!report.mounted) {
            ++refused;
            EXPECT_STRNE(report.reason, "") << "a refusal names its reason";
        } else if (!report.writable) {
            ++read_only;
        } else {
            ++writable;
            damaged_while_working += report.became_read_only;
        }
    }
    RecordProperty("refused", refused);
    RecordProperty("read_only", read_only);
    RecordProperty("writable", writable);
    RecordProperty("damaged_while_working", damaged_while_working);
    EXPECT_GT(refused, 0);
    EXPECT_GT(writable, 0);
    EXPECT_GT(read_only + damaged_while_working, 0);
}

INSTANTIATE_TEST_SUITE_P(Layouts, Ext2CorruptedImagesFixture,
                         ::testing::Values("-b 1024", "-b 1024 -r 0", "-b 4096 -O ^resize_inode"),
                         [](const auto& info) { return std::to_string(info.index); });

} // namespace
} // namespace tessera::ext2::test

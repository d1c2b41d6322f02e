// Spec and image round trips, and the reader's verdict on corrupt images.
#include <cstring>
#include <gtest/gtest.h>

#include "spec_writer.h"
#include "tessera/spec_reader.h"
#include "test_support.h"

namespace tessera::sdf {
namespace {

using spec::ImageView;
using spec::ReadError;

void fix_image_checksum(std::vector<uint8_t>& image)
{
    tessera_image_header header;
    std::memcpy(&header, image.data(), sizeof header);
    header.checksum = spec::crc32(image.data(), image.size(), offsetof(tessera_image_header, checksum));
    std::memcpy(image.data(), &header, sizeof header);
}

TEST(SpecRoundTrip, ReadsBackWhatWasWritten)
{
    auto result = test::build_example("pingpong");
    ASSERT_TRUE(result);
    std::vector<uint8_t> kinds(result->spec.object_count());
    auto image = ImageView::open(result->image.data(), result->image.size(), kinds.data(), kinds.size());
    ASSERT_TRUE(image) << image.error().detail;
    const auto& view = image.value();
    ASSERT_EQ(view.entry_count(), result->blobs.size());
    for (uint32_t i = 0; i < view.entry_count(); ++i) {
        EXPECT_EQ(view.entry(i).kind, uint32_t(result->blobs[i].kind));
        EXPECT_EQ(std::string(view.entry(i).name), result->blobs[i].name);
        ASSERT_EQ(view.entry(i).size, result->blobs[i].data.size());
        EXPECT_EQ(std::memcmp(view.entry_data(i), result->blobs[i].data.data(), view.entry(i).size), 0);
    }
    const auto& spec = view.spec();
    ASSERT_EQ(spec.op_count(), result->spec.ops().size());
    EXPECT_EQ(spec.object_count(), result->spec.object_count());
    for (uint32_t i = 0; i < spec.op_count(); ++i) {
        const auto op = spec.op(i);
        EXPECT_EQ(std::memcmp(&op, &result->spec.ops()[i], sizeof op), 0) << "op " << i;
    }
    EXPECT_STREQ(spec.string(result->spec.ops()[0].create_object.name), "ping.tcb");
    EXPECT_EQ(spec.string(TESSERA_NO_NAME), nullptr);
}

TEST(SpecRoundTrip, EmptySpecRoundTrips)
{
    SpecBuilder builder;
    const auto blob = builder.serialise();
    auto spec = spec::SpecView::open(blob.data(), blob.size());
    ASSERT_TRUE(spec);
    EXPECT_EQ(spec.value().op_count(), 0u);
}

ReadError open_error(const std::vector<uint8_t>& image)
{
    auto result = ImageView::open(image.data(), image.size());
    EXPECT_FALSE(result);
    return result ? ReadError::BadHeader : result.error().error;
}

TEST(CorruptImage, TruncatedIsRejected)
{
    auto result = test::build_example("hello");
    ASSERT_TRUE(result);
    std::vector<uint8_t> image = result->image;
    image.resize(image.size() - 1);
    EXPECT_EQ(open_error(image), ReadError::Truncated);
    image.resize(10);
    EXPECT_EQ(open_error(image), ReadError::Truncated);
}

TEST(CorruptImage, BadMagicIsRejected)
{
    auto result = test::build_example("hello");
    ASSERT_TRUE(result);
    std::vector<uint8_t> image = result->image;
    image[0] = 'X';
    EXPECT_EQ(open_error(image), ReadError::BadMagic);
}

TEST(CorruptImage, BadChecksumIsRejected)
{
    auto result = test::build_example("hello");
    ASSERT_TRUE(result);
    std::vector<uint8_t> image = result->image;
    image[image.size() / 2] ^= 0x40;
    EXPECT_EQ(open_error(image), ReadError::BadChecksum);
}

TEST(CorruptImage, EntryOutsideTheImageIsRejectedEvenWithAValidChecksum)
{
    auto result = test::build_example("hello");
    ASSERT_TRUE(result);
    std::vector<uint8_t> image = result->image;
    tessera_image_entry entry;
    const size_t at = sizeof(tessera_image_header) + sizeof entry; // the ELF entry
    std::memcpy(&entry, image.data() + at, sizeof entry);
    entry.size = image.size();
    std::memcpy(image.data() + at, &entry, sizeof entry);
    fix_image_checksum(image);
    auto opened = ImageView::open(image.data(), image.size());
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().error, ReadError::OutOfRange);
    EXPECT_EQ(opened.error().offset, at + 8);
}

TEST(CorruptImage, FillOutsideTheElfIsRejected)
{
    SpecBuilder builder;
    const ObjectId frame = builder.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY, "f");
    union tessera_spec_op op;
    std::memset(&op, 0, sizeof op);
    op.kind = TESSERA_OP_FILL_FRAME;
    op.fill_frame.entry = 1;
    op.fill_frame.frame = static_cast<uint32_t>(frame);
    op.fill_frame.entry_offset = 8;
    op.fill_frame.length = 16; // the ELF entry below has 16 bytes: 8 + 16 is past its end
    builder.add(op);
    auto image = write_image({ImageBlob{TESSERA_ENTRY_SPEC, "spec", builder.serialise()},
                              ImageBlob{TESSERA_ENTRY_ELF, "x", std::vector<uint8_t>(16, 0)}});
    auto opened = ImageView::open(image.data(), image.size());
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().error, ReadError::OutOfRange);
    EXPECT_STREQ(opened.error().detail, "fill_frame: range outside its entry");
}

TEST(CorruptSpec, UndefinedObjectIsRejected)
{
    SpecBuilder builder;
    union tessera_spec_op op;
    std::memset(&op, 0, sizeof op);
    op.kind = TESSERA_OP_TCB_RESUME;
    op.tcb_resume.tcb = 0; // nothing created yet
    builder.add(op);
    const auto blob = builder.serialise();
    auto spec = spec::SpecView::open(blob.data(), blob.size());
    ASSERT_FALSE(spec);
    EXPECT_EQ(spec.error().error, ReadError::BadOperation);
    EXPECT_EQ(spec.error().offset, sizeof(tessera_spec_header));
}

TEST(CorruptSpec, WrongObjectKindIsRejectedWhenKindsAreTracked)
{
    SpecBuilder builder;
    const ObjectId frame = builder.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY, "");
    union tessera_spec_op op;
    std::memset(&op, 0, sizeof op);
    op.kind = TESSERA_OP_TCB_RESUME;
    op.tcb_resume.tcb = static_cast<uint32_t>(frame);
    builder.add(op);
    const auto blob = builder.serialise();
    EXPECT_TRUE(spec::SpecView::open(blob.data(), blob.size())); // without kinds: only defined
    uint8_t kinds[1];
    auto spec = spec::SpecView::open(blob.data(), blob.size(), kinds, 1);
    ASSERT_FALSE(spec);
    EXPECT_STREQ(spec.error().detail, "tcb_resume: undefined tcb");
}

TEST(CorruptSpec, WritePaddrNeedsTwoFramesAndAnOffsetWithinThePage)
{
    SpecBuilder builder;
    const ObjectId page = builder.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY, "");
    const ObjectId tcb = builder.create(TESSERA_OBJECT_TCB, 0, TESSERA_PADDR_ANY, "");
    auto detail = [&](uint32_t source, uint64_t offset) -> std::string {
        SpecBuilder copy = builder;
        union tessera_spec_op op;
        std::memset(&op, 0, sizeof op);
        op.kind = TESSERA_OP_WRITE_PADDR;
        op.write_paddr.frame = static_cast<uint32_t>(page);
        op.write_paddr.source = source;
        op.write_paddr.frame_offset = offset;
        copy.add(op);
        const auto blob = copy.serialise();
        uint8_t kinds[2];
        auto spec = spec::SpecView::open(blob.data(), blob.size(), kinds, 2);
        return spec ? "accepted" : spec.error().detail;
    };
    EXPECT_EQ(detail(static_cast<uint32_t>(page), 0xff8), "accepted");
    EXPECT_EQ(detail(static_cast<uint32_t>(page), 0xff9), "write_paddr: range outside the frame");
    EXPECT_EQ(detail(static_cast<uint32_t>(tcb), 0), "write_paddr: source is not a defined frame");
    EXPECT_EQ(detail(7, 0), "write_paddr: source is not a defined frame");
}

TEST(CorruptSpec, SvmVcpuBindNeedsAVcpuATcbAndAVspace)
{
    SpecBuilder builder;
    const ObjectId vcpu = builder.create(TESSERA_OBJECT_SVM_VCPU, 0, TESSERA_PADDR_ANY, "");
    const ObjectId tcb = builder.create(TESSERA_OBJECT_TCB, 0, TESSERA_PADDR_ANY, "");
    const ObjectId guest = builder.create(TESSERA_OBJECT_VSPACE, 0, TESSERA_PADDR_ANY, "");
    auto detail = [&](ObjectId v, ObjectId t, ObjectId g) -> std::string {
        SpecBuilder copy = builder;
        union tessera_spec_op op;
        std::memset(&op, 0, sizeof op);
        op.kind = TESSERA_OP_SVM_VCPU_BIND;
        op.svm_vcpu_bind.vcpu = static_cast<uint32_t>(v);
        op.svm_vcpu_bind.tcb = static_cast<uint32_t>(t);
        op.svm_vcpu_bind.guest = static_cast<uint32_t>(g);
        copy.add(op);
        const auto blob = copy.serialise();
        uint8_t kinds[3];
        auto spec = spec::SpecView::open(blob.data(), blob.size(), kinds, 3);
        return spec ? "accepted" : spec.error().detail;
    };
    EXPECT_EQ(detail(vcpu, tcb, guest), "accepted");
    EXPECT_EQ(detail(tcb, tcb, guest), "svm_vcpu_bind: undefined vcpu");
    EXPECT_EQ(detail(vcpu, guest, guest), "svm_vcpu_bind: undefined tcb");
    EXPECT_EQ(detail(vcpu, tcb, vcpu), "svm_vcpu_bind: undefined guest vspace");
}

TEST(CorruptSpec, SvmVcpuIsAFixedSizeObject)
{
    SpecBuilder builder;
    union tessera_spec_op op;
    std::memset(&op, 0, sizeof op);
    op.kind = TESSERA_OP_CREATE_OBJECT;
    op.create_object.object_kind = TESSERA_OBJECT_SVM_VCPU;
    op.create_object.size_bits = 14;
    op.create_object.paddr = TESSERA_PADDR_ANY;
    op.create_object.name = TESSERA_NO_NAME;
    builder.add(op);
    const auto blob = builder.serialise();
    auto spec = spec::SpecView::open(blob.data(), blob.size());
    ASSERT_FALSE(spec);
    EXPECT_STREQ(spec.error().detail, "size_bits on a fixed-size object");
}

} // namespace
} // namespace tessera::sdf

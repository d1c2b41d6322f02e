// A file's pages for mappings (core/vm/file_object): filled once from the file's bytes, zero past
// its end, shared by every holder, EFAULT beyond the file, ENOMEM when frames run out, and every
// frame back in the pool when the last holder lets go.
#include <gtest/gtest.h>

#include <vector>

#include "core/vm/file_object.h"
#include "test_memory.h"

namespace tessera::posix {
namespace {

std::vector<uint8_t> pattern(size_t size)
{
    std::vector<uint8_t> bytes(size);
    for (size_t i = 0; i < size; ++i)
        bytes[i] = uint8_t(i * 7 + 1);
    return bytes;
}

TEST(FileObject, PagesAreFilledOnceFromTheBytesAndZeroPastTheEnd)
{
    test::TestPool pool{8};
    const std::vector<uint8_t> bytes = pattern(PageSize + 100);
    Ref<FileObject> object = FileObject::make(pool, bytes.data(), bytes.size(), false);
    ASSERT_TRUE(object);
    EXPECT_EQ(object->mapped_size(), bytes.size());
    EXPECT_EQ(object->filled_pages(), 0u);
    auto last = object->page(1);
    ASSERT_TRUE(last.is_ok());
    EXPECT_EQ(memcmp(last.value()->data, bytes.data() + PageSize, 100), 0);
    for (size_t i = 100; i < PageSize; ++i)
        ASSERT_EQ(last.value()->data[i], 0) << i;
    EXPECT_EQ(object->page(1).value(), last.value()); // the same frame every time
    EXPECT_EQ(object->filled_pages(), 1u);
    EXPECT_EQ(last.value()->references, 1u);          // the object's own
    auto first = object->page(0);
    ASSERT_TRUE(first.is_ok());
    EXPECT_EQ(memcmp(first.value()->data, bytes.data(), PageSize), 0);
    EXPECT_EQ(pool.available(), 6u);
    object.reset();
    EXPECT_EQ(pool.available(), 8u);
}

TEST(FileObject, BeyondTheFileIsFaultAndNoFrameIsNoMem)
{
    test::TestPool pool{1};
    const std::vector<uint8_t> bytes = pattern(3 * PageSize);
    Ref<FileObject> object = FileObject::make(pool, bytes.data(), bytes.size(), false);
    ASSERT_TRUE(object);
    EXPECT_EQ(object->page(3).error(), Errno::Fault);
    EXPECT_TRUE(object->page(0).is_ok());
    EXPECT_EQ(object->page(1).error(), Errno::NoMem);
    EXPECT_EQ(object->filled_pages(), 1u);
}

TEST(FileObject, AFrameHeldElsewhereOutlivesTheObject)
{
    test::TestPool pool{4};
    const std::vector<uint8_t> bytes = pattern(PageSize);
    Ref<FileObject> object = FileObject::make(pool, bytes.data(), bytes.size(), false);
    Frame* frame = object->page(0).value();
    pool.acquire(frame); // a page-table entry of some process
    object.reset();
    EXPECT_EQ(pool.available(), 3u);
    EXPECT_EQ(frame->data[0], bytes[0]);
    pool.release(frame);
    EXPECT_EQ(pool.available(), 4u);
}

TEST(FileObject, OwnedBytesGoWithTheObject)
{
    test::TestPool pool{2};
    auto* copy = new uint8_t[10]{1, 2, 3};
    Ref<FileObject> object = FileObject::make(pool, copy, 10, true);
    ASSERT_TRUE(object);
    EXPECT_EQ(object->bytes(), copy);
    EXPECT_EQ(object->page(0).value()->data[2], 3);
    object.reset(); // ASan's leak check fails the asan twin if the copy stayed
}

} // namespace
} // namespace tessera::posix

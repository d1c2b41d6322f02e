// TLS blocks (user/lib/runtime/tls_layout.cc, tls_image.cc): the layout the x86_64 TLS ABI
// requires, refusals of malformed images and small areas, and, on the host itself, that a block
// laid out from the program's own template puts every thread-local variable where the compiler
// looks for it (FS base + the variable's fixed offset).
#include <tessera/runtime/tls.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace tessera::runtime;

namespace {

thread_local unsigned long initialised_variable = 0x1122334455667788ul;
thread_local char zeroed_variable[24];

uintptr_t current_thread_pointer()
{
    uintptr_t tp;
    asm("mov %%fs:0, %0" : "=r"(tp));
    return tp;
}

} // namespace

TEST(TlsLayout, PutsTheImageBelowAnAlignedSelfPointingThreadPointer)
{
    const char data[] = "tdata!";
    const TlsImage image{data, 6, 20, 4};
    std::vector<unsigned char> area(tls_area_size(image), 0xee);
    const uintptr_t tp = tls_layout(image, area.data() + 1, area.size() - 1);
    ASSERT_NE(tp, 0u);
    EXPECT_EQ(tp % 16, 0u);
    EXPECT_EQ(*reinterpret_cast<uintptr_t*>(tp), tp);
    // The linker's static TLS size is align_up(20, 4) = 20: the image starts 20 bytes below.
    EXPECT_EQ(std::memcmp(reinterpret_cast<const void*>(tp - 20), "tdata!", 6), 0);
    for (uintptr_t at = tp - 14; at < tp; ++at)
        EXPECT_EQ(*reinterpret_cast<unsigned char*>(at), 0) << at - tp;
    for (uintptr_t at = tp + 8; at < tp + ThreadControlBytes; ++at)
        EXPECT_EQ(*reinterpret_cast<unsigned char*>(at), 0) << at - tp;
}

TEST(TlsLayout, HonoursLargeAlignmentsInAnUnalignedArea)
{
    const TlsImage image{nullptr, 0, 100, 256};
    const size_t size = tls_area_size(image);
    std::vector<unsigned char> area(size + 8);
    for (size_t shift = 1; shift < 8; ++shift) {
        const uintptr_t tp = tls_layout(image, area.data() + shift, size);
        ASSERT_NE(tp, 0u) << shift;
        EXPECT_EQ(tp % 256, 0u);
        EXPECT_GE(tp - 256, reinterpret_cast<uintptr_t>(area.data() + shift));
        EXPECT_LE(tp + ThreadControlBytes, reinterpret_cast<uintptr_t>(area.data() + shift + size));
    }
}

TEST(TlsLayout, RefusesMalformedImagesAndSmallAreas)
{
    unsigned char area[256];
    const char data[8] = {};
    EXPECT_EQ(tls_area_size(TlsImage{data, 8, 8, 3}), 0u);
    EXPECT_EQ(tls_layout(TlsImage{data, 8, 8, 3}, area, sizeof(area)), 0u);
    EXPECT_EQ(tls_area_size(TlsImage{data, 9, 8, 8}), 0u);
    EXPECT_EQ(tls_area_size(TlsImage{nullptr, 4, 8, 8}), 0u);
    EXPECT_EQ(tls_layout(TlsImage{data, 8, 8, 8}, nullptr, sizeof(area)), 0u);
    std::memset(area, 0x5a, sizeof(area));
    EXPECT_EQ(tls_layout(TlsImage{data, 8, 200, 8}, area, sizeof(area)), 0u);
    EXPECT_EQ(area[0], 0x5a); // nothing written
    // An image with no TLS at all still gets a thread pointer (libsel4 needs the self pointer).
    const TlsImage empty{};
    ASSERT_NE(tls_area_size(empty), 0u);
    EXPECT_NE(tls_layout(empty, area, sizeof(area)), 0u);
}

TEST(TlsLayout, AFreshBlockOfThisProgramHoldsEveryVariableAtItsCompilerOffset)
{
    const TlsImage image = program_tls_image();
    ASSERT_GT(image.memory_size, 0u);
    // Change this thread's copies, so only a correct copy of the template passes.
    initialised_variable = 1;
    std::memset(zeroed_variable, 0x77, sizeof(zeroed_variable));
    std::vector<unsigned char> area(tls_area_size(image));
    const uintptr_t tp = tls_layout(image, area.data(), area.size());
    ASSERT_NE(tp, 0u);
    const uintptr_t current = current_thread_pointer();
    const auto moved = [&](const void* variable) {
        return reinterpret_cast<const void*>(tp +
                                             (reinterpret_cast<uintptr_t>(variable) - current));
    };
    EXPECT_EQ(*static_cast<const unsigned long*>(moved(&initialised_variable)),
              0x1122334455667788ul);
    EXPECT_EQ(std::string(static_cast<const char*>(moved(zeroed_variable)), 24),
              std::string(24, '\0'));
}

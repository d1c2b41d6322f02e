// The loader on a real executable: the freestanding program the toolchain linked for
// libos2.user_link, parsed and loaded into a fake address space, compared with the file.
#include "fake_kernel.h"

#include <tessera/elf/loader.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

using namespace tessera;
using libos::CPtr;
using libos::VAddr;

TEST(ElfRealImage, LoadsTheToolchainsOwnExecutableByteForByte)
{
    std::ifstream in(LIBOS2_SAMPLE_ELF, std::ios::binary);
    ASSERT_TRUE(in) << LIBOS2_SAMPLE_ELF;
    const std::vector<uint8_t> file{std::istreambuf_iterator<char>(in), {}};
    auto image = elf::Image::parse(file.data(), file.size());
    ASSERT_TRUE(image) << "problem " << image.error().detail;
    ASSERT_GE(image.value().segment_count(), 2u);

    fake::reset();
    fake::kernel.self_is_host_memory = true;
    auto slots = std::make_unique<alloc::SlotAllocator>();
    alloc::UntypedAllocator untypeds{*slots};
    alloc::ObjectAllocator objects{*slots, untypeds};
    ASSERT_TRUE(slots->init(CPtr{seL4_CapInitThreadCNode}, seL4_SlotRegion{100, 60000}));
    fake::add_untyped(10, 0x10000000, 26);
    ASSERT_TRUE(
        untypeds.add(CPtr{10}, libos::PAddr{0x10000000}, alloc::SizeBits{26}, alloc::Memory::Ram));
    void* window_memory = std::aligned_alloc(4096, 4096);
    const VAddr window{reinterpret_cast<seL4_Word>(window_memory)};
    std::vector<vspace::Mapping> self_storage(4), child_storage(4096);
    vspace::VSpace self(objects, CPtr{seL4_CapInitThreadVSpace}, window, window + 4096,
                        self_storage.data(), 4);
    ASSERT_TRUE(self.reserve_at(window, 1));
    auto root = elf::new_address_space(objects, CPtr{seL4_CapInitThreadASIDPool});
    ASSERT_TRUE(root);
    vspace::VSpace child(objects, root.value().cap, VAddr{0x1000}, VAddr{seL4_UserTop},
                         child_storage.data(), 4096);
    auto loaded = elf::load_segments(objects, image.value(), child, self, window);
    std::free(window_memory);
    ASSERT_TRUE(loaded) << loaded.error().what;

    const uint64_t id = fake::kernel.slot(libos::raw(root.value().cap))->id;
    for (unsigned s = 0; s < image.value().segment_count(); ++s) {
        const elf::Segment& segment = image.value().segment(s);
        for (seL4_Word at = 0; at < segment.memory_size; ++at) {
            const seL4_Word vaddr = segment.vaddr.raw() + at;
            const auto page = fake::kernel.page_bytes(id, vaddr);
            ASSERT_EQ(page.size(), 4096u) << std::hex << vaddr;
            const uint8_t expected = at < segment.file_size ? file[segment.file_offset + at] : 0;
            ASSERT_EQ(page[vaddr % 4096], expected) << std::hex << vaddr;
        }
    }
}

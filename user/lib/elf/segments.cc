// Copying segments into the new address space, one page at a time through a window.
#include <tessera/elf/loader.h>
#include <tessera/libos/kernel_calls.h>

namespace tessera::elf {

using libos::check;
using libos::PageSize;
using vspace::Ownership;

Result<Object> new_address_space(alloc::ObjectAllocator& objects, CPtr asid_pool)
{
    auto root = objects.allocate(seL4_X64_PML4Object);
    if (!root)
        return root;
    auto assigned =
        check(seL4_X86_ASIDPool_Assign(libos::raw(asid_pool), libos::raw(root.value().cap)),
              "elf: assign ASID");
    if (!assigned) {
        (void)objects.free(root.value());
        return assigned.error();
    }
    return root;
}

namespace {

// Fills one page of `segment` that starts at `page`, through the window.
void fill_page(const Image& image, const Segment& segment, VAddr page, uint8_t* window)
{
    for (seL4_Word i = 0; i < PageSize; ++i)
        window[i] = 0;
    const seL4_Word file_end = segment.vaddr.raw() + segment.file_size;
    const seL4_Word from = page < segment.vaddr ? segment.vaddr.raw() : page.raw();
    const seL4_Word to = file_end < page.raw() + PageSize ? file_end : page.raw() + PageSize;
    for (seL4_Word at = from; at < to; ++at) {
        window[at - page.raw()] = image.bytes()[segment.file_offset + (at - segment.vaddr.raw())];
    }
}

// Whether any byte of the page at `page` comes from the file (else it is all .bss).
bool has_file_bytes(const Segment& segment, VAddr page)
{
    const seL4_Word file_end = segment.vaddr.raw() + segment.file_size;
    const seL4_Word from = page < segment.vaddr ? segment.vaddr.raw() : page.raw();
    return from < file_end && from < page.raw() + PageSize;
}

// Fills one frame through the window and maps it at `page` of the target. A page without file
// bytes skips the window: the frame is new from RAM untyped memory, which seL4 (and Tessera)
// clear on retype, so it is all zeros already; a child's .bss is most of its pages, and the two
// mapping calls per page were most of a child's start.
Result<void> load_page(alloc::ObjectAllocator& objects, const Image& image, const Segment& segment,
                       VAddr page, vspace::VSpace& target, vspace::VSpace& self, VAddr window)
{
    auto frame = objects.frame();
    if (!frame)
        return frame.error();
    Result<void> opened{};
    if (has_file_bytes(segment, page)) {
        opened = self.map(frame.value(), window, seL4_ReadWrite, Ownership::Borrowed);
        if (opened) {
            fill_page(image, segment, page, reinterpret_cast<uint8_t*>(window.raw()));
            opened = self.unmap(window, 1);
        }
    }
    if (opened) {
        const seL4_CapRights_t rights = (segment.flags & FlagWrite) ? seL4_ReadWrite : seL4_CanRead;
        opened = target.map(frame.value(), page, rights, Ownership::Owned);
    }
    if (!opened) {
        (void)self.unmap(window, 1);
        (void)objects.free(frame.value());
    }
    return opened;
}

} // namespace

Result<void> load_segments(alloc::ObjectAllocator& objects, const Image& image,
                           vspace::VSpace& target, vspace::VSpace& self, VAddr window)
{
    for (unsigned s = 0; s < image.segment_count(); ++s) {
        const Segment& segment = image.segment(s);
        auto reserved = target.reserve_at(segment.first_page(), segment.pages());
        if (!reserved)
            return reserved.error();
        for (seL4_Word p = 0; p < segment.pages(); ++p) {
            auto loaded = load_page(objects, image, segment, segment.first_page() + p * PageSize,
                                    target, self, window);
            if (!loaded)
                return loaded;
        }
    }
    return {};
}

} // namespace tessera::elf

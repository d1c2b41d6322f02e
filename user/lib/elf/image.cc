// ELF64 parsing: every field the loader will use is checked here, with overflow-safe bounds.
#include <tessera/elf/image.h>

namespace tessera::elf {

namespace {

libos::Error refuse(Problem problem)
{
    return libos::make_error(seL4_InvalidArgument, "elf: image refused",
                             static_cast<seL4_Word>(problem));
}

// Copies a header out of the image: the image need not be aligned for the header's type.
template <class T> T read_at(const uint8_t* data, size_t offset)
{
    T value;
    auto* out = reinterpret_cast<uint8_t*>(&value);
    for (size_t i = 0; i < sizeof(T); ++i)
        out[i] = data[offset + i];
    return value;
}

// True when [offset, offset + length) lies inside a file of `size` bytes, without overflow.
bool inside(seL4_Word offset, seL4_Word length, size_t size)
{
    return offset <= size && length <= size - offset;
}

} // namespace

VAddr Image::top() const
{
    seL4_Word top = 0;
    for (unsigned i = 0; i < segment_count_; ++i) {
        const Segment& s = segments_[i];
        const seL4_Word end = s.first_page().raw() + s.pages() * libos::PageSize;
        if (end > top)
            top = end;
    }
    return VAddr{top};
}

Result<Image> Image::parse(const void* data, size_t size)
{
    const auto* bytes = static_cast<const uint8_t*>(data);
    if (data == nullptr || size < sizeof(FileHeader))
        return refuse(Problem::TooSmall);
    const auto header = read_at<FileHeader>(bytes, 0);
    for (int i = 0; i < 4; ++i)
        if (header.ident[i] != Magic[i])
            return refuse(Problem::NotElf);
    if (header.ident[4] != ClassElf64)
        return refuse(Problem::Not64Bit);
    if (header.ident[5] != DataLittleEndian)
        return refuse(Problem::NotLittleEndian);
    if (header.ident[6] != CurrentVersion || header.version != CurrentVersion)
        return refuse(Problem::BadVersion);
    if (header.type != TypeExecutable)
        return refuse(Problem::NotExecutable);
    if (header.machine != MachineX86_64)
        return refuse(Problem::NotX86_64);
    if (header.program_header_size != sizeof(ProgramHeader))
        return refuse(Problem::BadProgramHeaderSize);
    if (!inside(header.program_header_offset,
                seL4_Word{header.program_header_count} * sizeof(ProgramHeader), size))
        return refuse(Problem::ProgramHeadersOutsideFile);

    Image image;
    image.data_ = bytes;
    image.size_ = size;
    image.entry_ = VAddr{header.entry};
    for (unsigned i = 0; i < header.program_header_count; ++i) {
        const auto ph =
            read_at<ProgramHeader>(bytes, header.program_header_offset + i * sizeof(ProgramHeader));
        if (ph.type != SegmentLoad || ph.memory_size == 0)
            continue;
        if (image.segment_count_ == MaxSegments)
            return refuse(Problem::TooManySegments);
        if (!inside(ph.offset, ph.file_size, size))
            return refuse(Problem::SegmentOutsideFile);
        if (ph.file_size > ph.memory_size)
            return refuse(Problem::FileSizeAboveMemorySize);
        if (ph.vaddr < libos::PageSize || ph.vaddr >= seL4_UserTop ||
            ph.memory_size > seL4_UserTop - ph.vaddr)
            return refuse(Problem::SegmentOutsideUserSpace);
        // Pages are copied whole from the file offset's page, so both must share the page offset.
        if (ph.vaddr % libos::PageSize != ph.offset % libos::PageSize)
            return refuse(Problem::MisalignedSegment);
        const Segment segment{VAddr{ph.vaddr}, ph.offset, ph.file_size, ph.memory_size, ph.flags};
        for (unsigned j = 0; j < image.segment_count_; ++j) {
            const Segment& other = image.segments_[j];
            const seL4_Word a = segment.first_page().raw(), b = other.first_page().raw();
            if (a < b + other.pages() * libos::PageSize &&
                b < a + segment.pages() * libos::PageSize)
                return refuse(Problem::SegmentsShareAPage);
        }
        image.segments_[image.segment_count_++] = segment;
    }
    if (image.segment_count_ == 0)
        return refuse(Problem::NoLoadableSegment);
    bool entry_ok = false;
    for (unsigned i = 0; i < image.segment_count_; ++i) {
        const Segment& s = image.segments_[i];
        entry_ok = entry_ok || ((s.flags & FlagExecute) && image.entry_ >= s.vaddr &&
                                image.entry_ - s.vaddr < s.memory_size);
    }
    if (!entry_ok)
        return refuse(Problem::EntryNotExecutable);
    return image;
}

} // namespace tessera::elf

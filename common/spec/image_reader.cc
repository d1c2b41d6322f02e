// Validation of boot images: header, checksum, table of contents, then the spec, then every
// FILL_FRAME op against the ELF or data entry it copies from.
#include "tessera/spec_reader.h"

namespace tessera::spec {
namespace {

constexpr uint64_t EntrySize = sizeof(struct tessera_image_entry);

ReadFailure fail(ReadError error, uint64_t offset, const char* detail)
{
    return ReadFailure{error, offset, detail};
}

bool fits(uint64_t offset, uint64_t length, uint64_t size)
{
    return offset <= size && length <= size - offset;
}

bool name_terminated(const char* name)
{
    for (uint32_t i = 0; i < TESSERA_IMAGE_NAME_BYTES; ++i)
        if (name[i] == 0)
            return true;
    return false;
}

} // namespace

ReadResult<ImageView> ImageView::open(const uint8_t* data, uint64_t size, uint8_t* kinds,
                                      uint64_t kinds_capacity)
{
    tessera_image_header header;
    if (data == nullptr || size < sizeof header)
        return fail(ReadError::Truncated, size, "image shorter than its header");
    __builtin_memcpy(&header, data, sizeof header);
    for (int i = 0; i < 8; ++i)
        if (header.magic[i] != static_cast<uint8_t>(TESSERA_IMAGE_MAGIC[i]))
            return fail(ReadError::BadMagic, 0, "image magic is not TSRIMAGE");
    if (header.version != TESSERA_IMAGE_VERSION)
        return fail(ReadError::BadVersion, 8, "image version is not 1");
    if (header.header_size != sizeof header || header.entry_size != EntrySize)
        return fail(ReadError::BadHeader, 12, "image header_size or entry_size is not 64");
    if (header.image_size != size)
        return fail(header.image_size > size ? ReadError::Truncated : ReadError::BadHeader, 16,
                    "image_size differs from the file size");
    const uint64_t checksum_offset = __builtin_offsetof(tessera_image_header, checksum);
    if (crc32(data, size, checksum_offset) != header.checksum)
        return fail(ReadError::BadChecksum, checksum_offset, "image checksum mismatch");
    if (header.toc_offset % 8 != 0 || header.toc_offset < sizeof header ||
        !fits(header.toc_offset, static_cast<uint64_t>(header.entry_count) * EntrySize, size))
        return fail(ReadError::OutOfRange, 24, "table of contents outside the image");

    ImageView view;
    view.data_ = data;
    view.size_ = size;
    view.toc_offset_ = header.toc_offset;
    view.entry_count_ = header.entry_count;

    uint32_t specs = 0;
    for (uint32_t i = 0; i < header.entry_count; ++i) {
        const tessera_image_entry entry = view.entry(i);
        const uint64_t at = header.toc_offset + i * EntrySize;
        if (entry.kind != TESSERA_ENTRY_SPEC && entry.kind != TESSERA_ENTRY_ELF &&
            entry.kind != TESSERA_ENTRY_DATA)
            return fail(ReadError::BadEntry, at, "entry kind is not spec, ELF or data");
        if (!name_terminated(entry.name))
            return fail(ReadError::BadEntry, at + 24, "entry name is not NUL-terminated");
        if (entry.offset % TESSERA_IMAGE_BLOB_ALIGN != 0 || entry.offset < sizeof header ||
            !fits(entry.offset, entry.size, size))
            return fail(ReadError::OutOfRange, at + 8, "entry blob outside the image");
        if (entry.kind == TESSERA_ENTRY_SPEC) {
            ++specs;
            view.spec_entry_ = i;
        }
    }
    if (specs != 1)
        return fail(ReadError::MissingSpec, header.toc_offset, "image needs exactly one spec");

    const tessera_image_entry spec_entry = view.entry(view.spec_entry_);
    auto spec = SpecView::open(data + spec_entry.offset, spec_entry.size, kinds, kinds_capacity);
    if (!spec) {
        ReadFailure failure = spec.error();
        failure.offset += spec_entry.offset;
        return failure;
    }
    view.spec_ = spec.value();

    for (uint32_t i = 0; i < view.spec_.op_count(); ++i) {
        const union tessera_spec_op op = view.spec_.op(i);
        if (op.kind != TESSERA_OP_FILL_FRAME)
            continue;
        const uint64_t at = spec_entry.offset + sizeof(tessera_spec_header) + i * 64ull;
        if (op.fill_frame.entry >= header.entry_count)
            return fail(ReadError::BadOperation, at, "fill_frame: entry index out of range");
        const tessera_image_entry source = view.entry(op.fill_frame.entry);
        if (source.kind != TESSERA_ENTRY_ELF && source.kind != TESSERA_ENTRY_DATA)
            return fail(ReadError::BadOperation, at, "fill_frame: entry is not an ELF or data");
        if (!fits(op.fill_frame.entry_offset, op.fill_frame.length, source.size))
            return fail(ReadError::OutOfRange, at, "fill_frame: range outside its entry");
    }
    return view;
}

ReadResult<ImageView> ImageView::check_references(uint8_t* kinds, uint64_t kinds_capacity) const
{
    auto checked = spec_.check_references(kinds, kinds_capacity);
    if (!checked) {
        ReadFailure failure = checked.error();
        failure.offset += entry(spec_entry_).offset;
        return failure;
    }
    return *this;
}

struct tessera_image_entry ImageView::entry(uint32_t index) const
{
    tessera_image_entry entry;
    __builtin_memcpy(&entry, data_ + toc_offset_ + index * EntrySize, EntrySize);
    return entry;
}

const uint8_t* ImageView::entry_data(uint32_t index) const
{
    return data_ + entry(index).offset;
}

} // namespace tessera::spec

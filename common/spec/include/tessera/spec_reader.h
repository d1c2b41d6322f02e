// Reads and validates a boot image and the spec inside it without allocating, so the host tool,
// its tests and the freestanding boot-time loader share one checked reader.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/base/result.h>

#include "tessera/spec.h"

namespace tessera::spec {

enum class ReadError : uint8_t {
    Truncated,       // the data ends before a header, table or record does
    BadMagic,        // not an image (or not a spec)
    BadVersion,      // a version this reader does not know
    BadHeader,       // a size or count field contradicts the layout
    BadChecksum,     // CRC-32 mismatch
    OutOfRange,      // an offset or length points outside its container
    BadEntry,        // a table-of-contents entry is malformed
    BadOperation,    // an op record is malformed or refers to something undefined
    MissingSpec,     // an image without exactly one spec entry
};

// What went wrong and where (byte offset in the blob being read); detail is a static string.
struct ReadFailure {
    ReadError error;
    uint64_t offset;
    const char* detail;
};

const char* read_error_name(ReadError error);

// CRC-32 (IEEE, reflected) of data, with the four bytes at skip_offset read as zero.
uint32_t crc32(const uint8_t* data, uint64_t size, uint64_t skip_offset);

// A reader's answer: the view, or what went wrong and where (read with error()).
template <class T> using ReadResult = base::Result<T, ReadFailure>;

// The objects an op uses (not the one it creates), at most MaxOpReferences of them, written to
// `out`; returns how many. Lets a loader create each object just before its first use and give
// its capability away after its last.
inline constexpr uint32_t MaxOpReferences = 4;
uint32_t op_references(const union tessera_spec_op& op, uint32_t (&out)[MaxOpReferences]);

// A validated spec blob. Every op's kind and fields are checked, every object reference points
// to an object created earlier, and strings lie inside the string table.
class SpecView {
public:
    SpecView() = default;

    // kinds: optional scratch of at least object_count bytes; when given, references are also
    // checked for the right object kind (a frame where a frame is expected, ...).
    static ReadResult<SpecView> open(const uint8_t* data, uint64_t size, uint8_t* kinds = nullptr,
                                     uint64_t kinds_capacity = 0);
    // The ops checked again, now with `kinds` (as open does when given them), for a view opened
    // without: the caller learns object_count from the first open to size `kinds`, and the
    // checksum, the costliest check of a boot, runs once.
    ReadResult<SpecView> check_references(uint8_t* kinds, uint64_t kinds_capacity) const;

    uint32_t op_count() const { return op_count_; }
    uint32_t object_count() const { return object_count_; }
    union tessera_spec_op op(uint32_t index) const;
    // The NUL-terminated string at offset, or nullptr for TESSERA_NO_NAME.
    const char* string(uint32_t offset) const;
    const uint8_t* data() const { return data_; }
    uint64_t size() const { return size_; }

private:
    const uint8_t* data_ = nullptr;
    uint64_t size_ = 0;
    uint64_t ops_offset_ = 0;
    uint32_t op_count_ = 0;
    uint32_t object_count_ = 0;
    uint64_t strings_offset_ = 0;
    uint64_t strings_size_ = 0;
};

// A validated boot image: header, table of contents, blobs inside the file, exactly one spec,
// and every FILL_FRAME op reading inside an ELF entry.
class ImageView {
public:
    ImageView() = default;

    static ReadResult<ImageView> open(const uint8_t* data, uint64_t size, uint8_t* kinds = nullptr,
                                      uint64_t kinds_capacity = 0);
    // SpecView::check_references for the image's spec; failures at offsets in the image.
    ReadResult<ImageView> check_references(uint8_t* kinds, uint64_t kinds_capacity) const;

    uint32_t entry_count() const { return entry_count_; }
    struct tessera_image_entry entry(uint32_t index) const;
    const uint8_t* entry_data(uint32_t index) const;
    const SpecView& spec() const { return spec_; }
    uint32_t spec_entry() const { return spec_entry_; }

private:
    const uint8_t* data_ = nullptr;
    uint64_t size_ = 0;
    uint64_t toc_offset_ = 0;
    uint32_t entry_count_ = 0;
    uint32_t spec_entry_ = 0;
    SpecView spec_;
};

} // namespace tessera::spec

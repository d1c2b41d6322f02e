// The AML encoder (aml.h).
#include "aml.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

// AML opcodes and prefixes (ACPI 6.4, 20.3 and 20.2.5).
constexpr uint8_t ZeroOp = 0x00, OneOp = 0x01, NameOp = 0x08, BytePrefix = 0x0a, WordPrefix = 0x0b,
                  DWordPrefix = 0x0c, QWordPrefix = 0x0e, ScopeOp = 0x10, BufferOp = 0x11,
                  PackageOp = 0x12, ExtOpPrefix = 0x5b, DeviceOp = 0x82, RootChar = '\\',
                  DualNamePrefix = 0x2e, MultiNamePrefix = 0x2f;
constexpr size_t NameSegBytes = 4;
constexpr unsigned MaxNameSegs = 16;

template <class T> void put_le(uint8_t* at, T value)
{
    for (size_t i = 0; i < sizeof(T); ++i)
        at[i] = static_cast<uint8_t>(static_cast<uint64_t>(value) >> (8 * i));
}

// General flags of an address space descriptor: _MAF and _MIF set (fixed window), positive
// decode, resource producer (bit 0 clear).
constexpr uint8_t FixedProducerWindow = (1u << 3) | (1u << 2);

size_t word_address(uint8_t* out, uint8_t type, uint8_t type_flags, uint16_t first, uint16_t last)
{
    out[0] = 0x88;
    put_le<uint16_t>(out + 1, WordAddressBytes - 3);
    out[3] = type;
    out[4] = FixedProducerWindow;
    out[5] = type_flags;
    put_le<uint16_t>(out + 6, 0); // granularity
    put_le<uint16_t>(out + 8, first);
    put_le<uint16_t>(out + 10, last);
    put_le<uint16_t>(out + 12, 0); // translation offset
    put_le<uint16_t>(out + 14, static_cast<uint16_t>(last - first + 1));
    return WordAddressBytes;
}

} // namespace

void AmlWriter::byte(uint8_t value)
{
    if (at_ >= capacity_) {
        failed_ = true;
        return;
    }
    out_[at_++] = value;
}

void AmlWriter::raw(const uint8_t* bytes, size_t count)
{
    for (size_t i = 0; i < count; ++i)
        byte(bytes[i]);
}

void AmlWriter::name_seg(const char* seg)
{
    size_t length = strnlen(seg, NameSegBytes + 1);
    if (length == 0 || length > NameSegBytes) {
        failed_ = true;
        return;
    }
    for (size_t i = 0; i < NameSegBytes; ++i)
        byte(i < length ? static_cast<uint8_t>(seg[i]) : '_');
}

void AmlWriter::name_string(const char* path)
{
    if (*path == RootChar) {
        byte(RootChar);
        ++path;
    }
    // Split on '.' into segments first: the prefix depends on how many there are.
    char segs[MaxNameSegs][NameSegBytes + 1] = {};
    unsigned count = 0;
    size_t length = 0;
    for (const char* c = path;; ++c) {
        if (*c == '.' || *c == '\0') {
            if (length == 0 || count == MaxNameSegs) {
                failed_ = true;
                return;
            }
            segs[count++][length] = '\0';
            length = 0;
            if (*c == '\0')
                break;
        } else if (length == NameSegBytes) {
            failed_ = true;
            return;
        } else {
            segs[count][length++] = *c;
        }
    }
    if (count == 2)
        byte(DualNamePrefix);
    else if (count > 2) {
        byte(MultiNamePrefix);
        byte(static_cast<uint8_t>(count));
    }
    for (unsigned i = 0; i < count; ++i)
        name_seg(segs[i]);
}

void AmlWriter::integer(uint64_t value)
{
    uint8_t bytes[8];
    put_le<uint64_t>(bytes, value);
    if (value == 0) {
        byte(ZeroOp);
    } else if (value == 1) {
        byte(OneOp);
    } else if (value <= 0xff) {
        byte(BytePrefix);
        raw(bytes, 1);
    } else if (value <= 0xffff) {
        byte(WordPrefix);
        raw(bytes, 2);
    } else if (value <= 0xffffffff) {
        byte(DWordPrefix);
        raw(bytes, 4);
    } else {
        byte(QWordPrefix);
        raw(bytes, 8);
    }
}

void AmlWriter::eisa_id(const char* id)
{
    // Three upper-case letters in 5 bits each (A = 1), then four hex digits; the 32-bit result is
    // stored most significant byte first, so the DWordConst holds it byte-swapped.
    if (strnlen(id, 8) != 7) {
        failed_ = true;
        return;
    }
    uint32_t value = 0;
    for (int i = 0; i < 3; ++i) {
        if (id[i] < 'A' || id[i] > 'Z') {
            failed_ = true;
            return;
        }
        value = (value << 5) | static_cast<uint32_t>(id[i] - '@');
    }
    for (int i = 3; i < 7; ++i) {
        char c = id[i];
        uint32_t digit;
        if (c >= '0' && c <= '9')
            digit = static_cast<uint32_t>(c - '0');
        else if (c >= 'A' && c <= 'F')
            digit = static_cast<uint32_t>(c - 'A' + 10);
        else {
            failed_ = true;
            return;
        }
        value = (value << 4) | digit;
    }
    byte(DWordPrefix);
    const uint8_t bytes[] = {static_cast<uint8_t>(value >> 24), static_cast<uint8_t>(value >> 16),
                             static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value)};
    raw(bytes, sizeof bytes);
}

void AmlWriter::name(const char* path)
{
    byte(NameOp);
    name_string(path);
}

void AmlWriter::open()
{
    if (depth_ == MaxDepth) {
        failed_ = true;
        return;
    }
    open_at_[depth_++] = at_;
}

void AmlWriter::open_scope(const char* path)
{
    byte(ScopeOp);
    open();
    name_string(path);
}

void AmlWriter::open_device(const char* name)
{
    byte(ExtOpPrefix);
    byte(DeviceOp);
    open();
    name_string(name);
}

void AmlWriter::open_package(uint8_t elements)
{
    byte(PackageOp);
    open();
    byte(elements);
}

void AmlWriter::buffer(const uint8_t* bytes, size_t count)
{
    byte(BufferOp);
    open();
    integer(count);
    raw(bytes, count);
    close();
}

void AmlWriter::close()
{
    if (depth_ == 0) {
        failed_ = true;
        return;
    }
    const size_t start = open_at_[--depth_];
    if (failed_)
        return;
    // PkgLength counts its own bytes (20.2.4): one byte holds up to 63, then a lead byte with the
    // low nibble and the count of following bytes, which carry the rest 8 bits at a time.
    const size_t body = at_ - start;
    size_t encoding = 1;
    while (encoding < 4 &&
           body + encoding > (encoding == 1 ? 0x3fu : (1u << (4 + 8 * (encoding - 1))) - 1))
        ++encoding;
    const size_t total = body + encoding;
    if (total > 0x0fffffff || at_ + encoding > capacity_) {
        failed_ = true;
        return;
    }
    memmove(out_ + start + encoding, out_ + start, body);
    if (encoding == 1) {
        out_[start] = static_cast<uint8_t>(total);
    } else {
        out_[start] = static_cast<uint8_t>(((encoding - 1) << 6) | (total & 0x0f));
        for (size_t i = 1; i < encoding; ++i)
            out_[start + i] = static_cast<uint8_t>(total >> (4 + 8 * (i - 1)));
    }
    at_ += encoding;
}

size_t aml_io_port(uint8_t* out, uint16_t first, uint8_t count)
{
    out[0] = 0x47; // small item, I/O port, 7 bytes follow
    out[1] = 1;    // 16-bit decode
    put_le<uint16_t>(out + 2, first);
    put_le<uint16_t>(out + 4, first);
    out[6] = 1; // alignment
    out[7] = count;
    return IoPortBytes;
}

size_t aml_word_bus_range(uint8_t* out, uint16_t first, uint16_t last)
{
    return word_address(out, 2, 0, first, last);
}

size_t aml_word_io_window(uint8_t* out, uint16_t first, uint16_t last)
{
    return word_address(out, 1, 3 /* entire range: ISA and non-ISA ports */, first, last);
}

size_t aml_dword_memory_window(uint8_t* out, uint32_t first, uint32_t last)
{
    out[0] = 0x87;
    put_le<uint16_t>(out + 1, DWordAddressBytes - 3);
    out[3] = 0; // memory
    out[4] = FixedProducerWindow;
    out[5] = 1; // read-write, non-cacheable
    put_le<uint32_t>(out + 6, 0);
    put_le<uint32_t>(out + 10, first);
    put_le<uint32_t>(out + 14, last);
    put_le<uint32_t>(out + 18, 0);
    put_le<uint32_t>(out + 22, last - first + 1);
    return DWordAddressBytes;
}

size_t aml_end_tag(uint8_t* out)
{
    out[0] = 0x79;
    out[1] = 0;
    return EndTagBytes;
}

} // namespace tessera::services::vmm

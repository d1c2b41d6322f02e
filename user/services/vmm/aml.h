// A small AML encoder for the guest's DSDT (acpi_tables.cc): the few ACPI Machine Language terms
// a static description needs (names, scopes, devices, integers, EISA IDs, packages, buffers) and
// the resource descriptors of a PCI root bridge's _CRS. Written from the ACPI 6.4 specification:
// 20.2 (AML grammar: NameOp 0x08, ScopeOp 0x10, PackageOp 0x12, BufferOp 0x11, DeviceOp 5B 82,
// the integer prefixes, PkgLength), 6.4 (resource data types). There is no iasl here, so the
// bytes are made by this encoder and its tests pin them.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::services::vmm {

// Writes AML into a caller's buffer. Terms with a PkgLength (scopes, devices, packages, buffers)
// are opened and closed: close() measures the body and inserts the shortest PkgLength encoding
// in front of it. Running out of room, closing what is not open or nesting too deep sets a
// sticky failure; nothing is written past `capacity`.
class AmlWriter {
public:
    AmlWriter(uint8_t* out, size_t capacity) : out_(out), capacity_(capacity) {}

    // A 4-character name segment ("_HID", "PCI0"); names shorter than 4 are padded with '_'.
    void name_seg(const char* seg);
    // A NameString: "\\" roots it, '.' separates segments ("\\_SB.PCI0").
    void name_string(const char* path);
    // The smallest integer encoding: Zero, One, ByteConst, WordConst, DWordConst, QWordConst.
    void integer(uint64_t value);
    // A compressed EISA ID ("PNP0A03"), as ASL's EISAID() makes it: a DWordConst.
    void eisa_id(const char* id);
    void raw(const uint8_t* bytes, size_t count);

    // Name(path, <the object written next>).
    void name(const char* path);
    // Scope(path) { ... }, Device(name) { ... }, Package(count) { ... }: close() each.
    void open_scope(const char* path);
    void open_device(const char* name);
    void open_package(uint8_t elements);
    // Buffer() { bytes }: a whole buffer, its size as an integer, then the bytes.
    void buffer(const uint8_t* bytes, size_t count);
    void close();

    bool ok() const { return !failed_ && depth_ == 0; }
    size_t size() const { return at_; }

private:
    void byte(uint8_t value);
    void open(); // marks where a PkgLength goes

    static constexpr unsigned MaxDepth = 8;
    uint8_t* out_;
    size_t capacity_;
    size_t at_ = 0;
    size_t open_at_[MaxDepth] = {};
    unsigned depth_ = 0;
    bool failed_ = false;
};

// Resource descriptors for a _CRS buffer (ACPI 6.4, 6.4.2.5 I/O port, 6.4.3.5.2 DWord and
// 6.4.3.5.3 Word address space, 6.4.2.9 end tag). Each writes its bytes at `out` and returns how
// many: IoPortBytes, WordAddressBytes, DWordAddressBytes, EndTagBytes.
constexpr size_t IoPortBytes = 8;
constexpr size_t WordAddressBytes = 16;
constexpr size_t DWordAddressBytes = 26;
constexpr size_t EndTagBytes = 2;

// IO(Decode16, first, first, 1, count): ports the device itself decodes (consumed).
size_t aml_io_port(uint8_t* out, uint16_t first, uint8_t count);
// WordBusNumber(ResourceProducer, MinFixed, MaxFixed, PosDecode, ...): the buses below a bridge.
size_t aml_word_bus_range(uint8_t* out, uint16_t first, uint16_t last);
// WordIO(ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, ...): an I/O window.
size_t aml_word_io_window(uint8_t* out, uint16_t first, uint16_t last);
// DWordMemory(ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite, ...).
size_t aml_dword_memory_window(uint8_t* out, uint32_t first, uint32_t last);
// EndTag with checksum 0 ("treated as if the checksum operation succeeded", 6.4.2.9).
size_t aml_end_tag(uint8_t* out);

} // namespace tessera::services::vmm

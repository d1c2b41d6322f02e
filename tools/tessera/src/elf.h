// Reads program images: checks that a file is an ELF64 x86_64 executable and exposes its
// loadable segments and symbols, and patches symbol values (Microkit's setvar).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tessera::sdf {

struct Segment {
    uint64_t vaddr = 0;
    uint64_t file_offset = 0;
    uint64_t file_size = 0;
    uint64_t memory_size = 0;
    uint8_t perms = 0; // model.h Perm bits
    uint16_t header_index = 0; // its entry in the program header table
};

struct Symbol {
    uint64_t value = 0;
    uint64_t size = 0;
};

class ElfImage {
public:
    // Parses bytes; on failure returns nullopt and sets why ("is not an ELF file", ...).
    static std::optional<ElfImage> parse(std::vector<uint8_t> bytes, std::string& why);

    uint64_t entry() const { return entry_; }
    const std::vector<Segment>& segments() const { return segments_; }
    std::optional<Symbol> symbol(const std::string& name) const;
    // The names of the symbols that start with prefix, in order.
    std::vector<std::string> symbols_with_prefix(const std::string& prefix) const;
    const std::vector<uint8_t>& bytes() const { return bytes_; }
    // The 4 KiB pages its loadable segments touch, each counted once (as a loader maps them):
    // `skip`'s segment left out when given (a placeholder about to be replaced).
    uint64_t page_count(std::optional<uint64_t> skip = std::nullopt) const;

    // Writes size bytes of value (little endian) at the symbol's address, in .data or .bss (a
    // segment's file part grows to cover a .bss variable); false with why set when the symbol is
    // missing, too small or outside every loadable segment.
    bool patch(const std::string& symbol, uint64_t value, uint64_t size, std::string& why);
    bool patch_bytes(const std::string& symbol, const std::vector<uint8_t>& data, std::string& why);

    // A copy holding only what loading needs: the file header, the loadable and TLS program
    // headers and the loadable segments' bytes, packed (no sections, symbols or debug data).
    // Same entry and segments, so a loader sees the same program in a fraction of the bytes.
    // Compact: each segment's bytes 16-byte aligned (the loader's spec image). PageCongruent:
    // each at a file offset equal to its address modulo the page size, as the ELF format asks of
    // a file that a general loader maps (a manager's template program, user/lib/elf).
    enum class Packing { Compact, PageCongruent };
    ElfImage loadable_only(Packing packing = Packing::Compact) const;

    // Looks symbols up in `other` from now on (Microkit's path_for_symbols: an unstripped copy
    // of a stripped program).
    void use_symbols_of(const ElfImage& other);

    // Replaces the contents of the loadable segment that starts at vaddr with `contents`, stored
    // page-aligned at the end of the file (the segment grows or shrinks to fit). False with why
    // set when no segment starts there or the grown segment would overlap another one.
    bool replace_segment(uint64_t vaddr, const std::vector<uint8_t>& contents, std::string& why);

private:
    void extend_file_part(Segment& segment, uint64_t file_size);

    std::vector<uint8_t> bytes_;
    uint64_t entry_ = 0;
    uint64_t program_headers_ = 0; // file offset of the program header table
    std::vector<Segment> segments_;
    std::map<std::string, Symbol> symbols_;
};

} // namespace tessera::sdf

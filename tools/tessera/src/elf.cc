// ELF64 parsing with every offset bounds-checked: program images come from users and a broken
// one must produce an error, never a crash.
#include "elf.h"

#include <algorithm>
#include <cstring>

#include <tessera/elf/elf64.h>

#include "model.h"
#include "number.h"

namespace tessera::sdf {
namespace {

using elf::FileHeader;
using elf::ProgramHeader;
using elf::SectionHeader;
using elf::SegmentLoad;
using elf::SegmentTls;
using elf::FlagExecute;
using elf::FlagRead;
using elf::FlagWrite;

template <class T> bool read(const std::vector<uint8_t>& bytes, uint64_t offset, T& out)
{
    if (offset > bytes.size() || sizeof(T) > bytes.size() - offset)
        return false;
    std::memcpy(&out, bytes.data() + offset, sizeof(T));
    return true;
}

} // namespace

std::optional<ElfImage> ElfImage::parse(std::vector<uint8_t> bytes, std::string& why)
{
    FileHeader header;
    if (!read(bytes, 0, header) || std::memcmp(header.ident, elf::Magic, 4) != 0) {
        why = "is not an ELF file";
        return std::nullopt;
    }
    if (header.ident[4] != elf::ClassElf64) {
        why = "is not a 64-bit ELF file";
        return std::nullopt;
    }
    if (header.ident[5] != elf::DataLittleEndian) {
        why = "is not a little-endian ELF file";
        return std::nullopt;
    }
    if (header.machine != elf::MachineX86_64) {
        why = "is not an x86_64 program (ELF machine " + std::to_string(header.machine) + ")";
        return std::nullopt;
    }
    if (header.type != elf::TypeExecutable) {
        why = "is not a static executable (ELF type " + std::to_string(header.type) +
              "; position-independent and relocatable files are not loaded)";
        return std::nullopt;
    }
    ElfImage image;
    image.entry_ = header.entry;
    image.program_headers_ = header.program_header_offset;
    for (uint16_t i = 0; i < header.program_header_count; ++i) {
        ProgramHeader ph;
        if (header.program_header_size != sizeof ph || !read(bytes, header.program_header_offset + i * uint64_t(sizeof ph), ph)) {
            why = "has a program header table outside the file";
            return std::nullopt;
        }
        if (ph.type != SegmentLoad || ph.memory_size == 0)
            continue;
        if (ph.offset > bytes.size() || ph.file_size > bytes.size() - ph.offset ||
            ph.file_size > ph.memory_size || ph.vaddr + ph.memory_size < ph.vaddr || ph.vaddr + ph.memory_size > StackTop) {
            why = "has a loadable segment outside the file or the user address range";
            return std::nullopt;
        }
        Segment segment{ph.vaddr, ph.offset, ph.file_size, ph.memory_size, 0, i};
        segment.perms = uint8_t((ph.flags & FlagRead ? PermRead : 0) |
                                (ph.flags & FlagWrite ? PermWrite : 0) |
                                (ph.flags & FlagExecute ? PermExecute : 0));
        image.segments_.push_back(segment);
    }
    if (image.segments_.empty()) {
        why = "has no loadable segment";
        return std::nullopt;
    }
    // Symbols are optional (a stripped program simply has no setvar targets).
    for (uint16_t i = 0; i < header.section_header_count && header.section_header_size == sizeof(SectionHeader); ++i) {
        SectionHeader section, strings;
        if (!read(bytes, header.section_header_offset + i * uint64_t(sizeof section), section) ||
            section.type != elf::SectionSymbolTable ||
            !read(bytes, header.section_header_offset + section.link * uint64_t(sizeof strings), strings))
            continue;
        for (uint64_t at = 0; at + sizeof(elf::Symbol) <= section.size; at += sizeof(elf::Symbol)) {
            elf::Symbol symbol;
            if (!read(bytes, section.offset + at, symbol) || symbol.name >= strings.size)
                continue;
            const uint64_t name_at = strings.offset + symbol.name;
            if (name_at >= bytes.size())
                continue;
            const size_t limit = std::min<uint64_t>(bytes.size() - name_at, strings.size - symbol.name);
            const char* name = reinterpret_cast<const char*>(bytes.data() + name_at);
            const size_t length = strnlen(name, limit);
            if (length == 0 || length == limit)
                continue;
            image.symbols_[std::string(name, length)] = Symbol{symbol.value, symbol.size};
        }
    }
    image.bytes_ = std::move(bytes);
    return image;
}

std::vector<std::string> ElfImage::symbols_with_prefix(const std::string& prefix) const
{
    std::vector<std::string> names;
    for (auto it = symbols_.lower_bound(prefix); it != symbols_.end() && it->first.rfind(prefix, 0) == 0; ++it)
        names.push_back(it->first);
    return names;
}

std::optional<Symbol> ElfImage::symbol(const std::string& name) const
{
    auto found = symbols_.find(name);
    if (found == symbols_.end())
        return std::nullopt;
    return found->second;
}

bool ElfImage::patch_bytes(const std::string& name, const std::vector<uint8_t>& data, std::string& why)
{
    auto symbol = this->symbol(name);
    if (!symbol) {
        why = "symbol '" + name + "' is not in the program image";
        return false;
    }
    if (symbol->size != 0 && symbol->size < data.size()) {
        why = "symbol '" + name + "' has " + std::to_string(symbol->size) + " bytes, needs " +
              std::to_string(data.size());
        return false;
    }
    for (auto& segment : segments_) {
        if (symbol->value < segment.vaddr || symbol->value - segment.vaddr >= segment.memory_size)
            continue;
        const uint64_t offset = symbol->value - segment.vaddr;
        if (data.size() > segment.memory_size - offset) {
            why = "symbol '" + name + "' runs past the end of its segment";
            return false;
        }
        // A variable in .bss has no bytes in the file: the segment's file part grows to cover it
        // (as Microkit's tool does), so the loader copies the value in.
        if (offset + data.size() > segment.file_size)
            extend_file_part(segment, offset + data.size());
        std::memcpy(bytes_.data() + segment.file_offset + offset, data.data(), data.size());
        return true;
    }
    why = "symbol '" + name + "' is not inside a loadable segment";
    return false;
}

void ElfImage::extend_file_part(Segment& segment, uint64_t file_size)
{
    std::vector<uint8_t> contents(bytes_.begin() + long(segment.file_offset),
                                  bytes_.begin() + long(segment.file_offset + segment.file_size));
    contents.resize(file_size, 0);
    // Moved to the end of the file, at an offset congruent to vaddr modulo the page size.
    const uint64_t offset =
        (bytes_.size() + PageSize4K - 1) / PageSize4K * PageSize4K + segment.vaddr % PageSize4K;
    bytes_.resize(offset, 0);
    bytes_.insert(bytes_.end(), contents.begin(), contents.end());
    segment.file_offset = offset;
    segment.file_size = file_size;
    ProgramHeader ph;
    const uint64_t at = program_headers_ + segment.header_index * uint64_t(sizeof ph);
    if (read(bytes_, at, ph)) { // parse() has checked the table
        ph.offset = offset;
        ph.file_size = file_size;
        std::memcpy(bytes_.data() + at, &ph, sizeof ph);
    }
}

void ElfImage::use_symbols_of(const ElfImage& other)
{
    symbols_ = other.symbols_;
}

bool ElfImage::patch(const std::string& name, uint64_t value, uint64_t size, std::string& why)
{
    std::vector<uint8_t> data(size);
    for (uint64_t i = 0; i < size; ++i)
        data[i] = uint8_t(i < 8 ? value >> (8 * i) : 0);
    return patch_bytes(name, data, why);
}

ElfImage ElfImage::loadable_only(Packing packing) const
{
    FileHeader header{};
    (void)read(bytes_, 0, header); // parse() has checked it
    std::vector<ProgramHeader> kept;
    for (uint16_t i = 0; i < header.program_header_count; ++i) {
        ProgramHeader ph;
        if (read(bytes_, program_headers_ + i * uint64_t(sizeof ph), ph) &&
            ((ph.type == SegmentLoad && ph.memory_size != 0) || ph.type == SegmentTls))
            kept.push_back(ph);
    }
    ElfImage packed = *this;
    packed.symbols_.clear();
    packed.program_headers_ = sizeof(FileHeader);
    header.program_header_offset = sizeof(FileHeader);
    header.program_header_count = uint16_t(kept.size());
    header.section_header_offset = 0;
    header.section_header_count = 0;
    header.section_name_index = 0;
    std::vector<uint8_t> out(sizeof header + kept.size() * sizeof(ProgramHeader), 0);
    // Loadable bytes follow, each segment 16-byte aligned; a TLS header points into the
    // loadable segment that holds its initial image.
    for (auto& ph : kept) {
        if (ph.type != SegmentLoad)
            continue;
        const uint64_t page = 4096;
        const uint64_t offset = packing == Packing::Compact
                                    ? (out.size() + 15) / 16 * 16
                                    : out.size() + (ph.vaddr % page + page - out.size() % page) % page;
        out.resize(offset, 0);
        out.insert(out.end(), bytes_.begin() + long(ph.offset), bytes_.begin() + long(ph.offset + ph.file_size));
        for (auto& segment : packed.segments_)
            if (segment.file_offset == ph.offset && segment.vaddr == ph.vaddr)
                segment.file_offset = offset;
        ph.offset = offset;
    }
    for (auto& ph : kept) {
        if (ph.type != SegmentTls)
            continue;
        for (size_t i = 0; i < kept.size(); ++i)
            if (kept[i].type == SegmentLoad && ph.vaddr >= kept[i].vaddr &&
                ph.vaddr < kept[i].vaddr + std::max<uint64_t>(kept[i].memory_size, 1))
                ph.offset = kept[i].offset + (ph.vaddr - kept[i].vaddr);
    }
    for (size_t i = 0; i < kept.size(); ++i) {
        std::memcpy(out.data() + sizeof header + i * sizeof(ProgramHeader), &kept[i], sizeof(ProgramHeader));
        if (kept[i].type == SegmentLoad)
            for (auto& segment : packed.segments_)
                if (segment.vaddr == kept[i].vaddr)
                    segment.header_index = uint16_t(i);
    }
    std::memcpy(out.data(), &header, sizeof header);
    packed.bytes_ = std::move(out);
    return packed;
}

uint64_t ElfImage::page_count(std::optional<uint64_t> skip) const
{
    std::vector<std::pair<uint64_t, uint64_t>> ranges; // page-aligned [first, end)
    for (const auto& segment : segments_)
        if (segment.memory_size != 0 && segment.vaddr != skip)
            ranges.emplace_back(segment.vaddr / PageSize4K * PageSize4K,
                                (segment.vaddr + segment.memory_size + PageSize4K - 1) / PageSize4K * PageSize4K);
    std::sort(ranges.begin(), ranges.end());
    uint64_t pages = 0, covered = 0; // covered: the end of the pages counted so far
    for (const auto& [first, end] : ranges) {
        const uint64_t from = std::max(first, covered);
        if (end > from)
            pages += (end - from) / PageSize4K;
        covered = std::max(covered, end);
    }
    return pages;
}

bool ElfImage::replace_segment(uint64_t vaddr, const std::vector<uint8_t>& contents, std::string& why)
{
    Segment* target = nullptr;
    for (auto& segment : segments_)
        if (segment.vaddr == vaddr)
            target = &segment;
    if (target == nullptr) {
        why = "has no loadable segment at " + hex(vaddr);
        return false;
    }
    const uint64_t size = std::max<uint64_t>(contents.size(), 1);
    for (const auto& segment : segments_)
        if (&segment != target && segment.vaddr < vaddr + size && vaddr < segment.vaddr + segment.memory_size) {
            why = "cannot grow the segment at " + hex(vaddr) + " to " + std::to_string(size) +
                  " bytes: it would overlap the segment at " + hex(segment.vaddr);
            return false;
        }
    // The file offset must be congruent to vaddr modulo the page size (the segment is mapped).
    const uint64_t offset = (bytes_.size() + PageSize4K - 1) / PageSize4K * PageSize4K + vaddr % PageSize4K;
    bytes_.resize(offset, 0);
    bytes_.insert(bytes_.end(), contents.begin(), contents.end());
    target->file_offset = offset;
    target->file_size = target->memory_size = contents.size();
    ProgramHeader ph;
    const uint64_t at = program_headers_ + target->header_index * uint64_t(sizeof ph);
    if (!read(bytes_, at, ph)) {
        why = "has a program header table outside the file";
        return false;
    }
    ph.offset = offset;
    ph.file_size = ph.memory_size = contents.size();
    std::memcpy(bytes_.data() + at, &ph, sizeof ph);
    return true;
}

} // namespace tessera::sdf

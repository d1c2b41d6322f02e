// MBR (primary partitions) and GPT (UEFI 2.10, 5.3) reading.
#include "partition_table.h"

#include <string.h>

#include <tessera/spec_reader.h>

namespace tessera::services::blk_virt {
namespace {

constexpr uint64_t SectorBytes = 512, BlockBytes = 4096, SectorsPerBlock = 8;
constexpr uint8_t ProtectiveType = 0xee;
constexpr uint64_t NoSkip = ~uint64_t(0);

uint32_t u32(const uint8_t* p) { uint32_t v; memcpy(&v, p, 4); return v; }
uint64_t u64(const uint8_t* p) { uint64_t v; memcpy(&v, p, 8); return v; }

bool is_extended(uint8_t type) { return type == 0x05 || type == 0x0f || type == 0x85; }

// The reason a region cannot be a client's disk, or nullptr.
const char* usability(uint64_t first, uint64_t sectors, uint64_t disk_sectors)
{
    if (first == 0)
        return "starts at sector 0, over the partition table";
    if (first >= disk_sectors || sectors > disk_sectors - first)
        return "runs past the end of the disk";
    if (first % SectorsPerBlock != 0)
        return "does not start on a 4 KiB boundary";
    if (sectors < SectorsPerBlock)
        return "is smaller than one 4 KiB block";
    return nullptr;
}

} // namespace

PartitionReader::Need PartitionReader::start(uint64_t disk_blocks)
{
    table_ = PartitionTable{};
    disk_blocks_ = disk_blocks;
    disk_sectors_ = disk_blocks * SectorsPerBlock;
    trying_backup_ = false;
    if (disk_blocks == 0)
        return finish("the disk is empty");
    stage_ = Stage::Mbr;
    return Need{false, 0, 1};
}

PartitionReader::Need PartitionReader::finish(const char* problem)
{
    if (problem != nullptr) {
        table_.problem = problem;
        table_.count = 0;
        table_.scheme = Scheme::None;
    }
    stage_ = Stage::Done;
    return Need{true, 0, 0};
}

void PartitionReader::read_failed()
{
    finish("the partition table could not be read (I/O error)");
}

PartitionReader::Need PartitionReader::feed(const uint8_t* bytes, uint64_t first_block, uint32_t blocks)
{
    (void)blocks;
    switch (stage_) {
    case Stage::Mbr: return parse_mbr(bytes);
    case Stage::BackupHeader: {
        const uint64_t last_lba = disk_sectors_ - 1;
        return parse_gpt_header(bytes + (last_lba * SectorBytes - first_block * BlockBytes), last_lba);
    }
    case Stage::Entries: return parse_gpt_entries(bytes, first_block);
    default: return Need{true, 0, 0};
    }
}

PartitionReader::Need PartitionReader::parse_mbr(const uint8_t* sector0)
{
    if (sector0[510] != 0x55 || sector0[511] != 0xaa)
        return finish("no partition table (no MBR signature)");
    const uint8_t* entries = sector0 + 446;
    for (unsigned i = 0; i < 4; ++i) {
        const uint8_t status = entries[16 * i];
        if (status != 0x00 && status != 0x80)
            return finish("no partition table (MBR boot flags are not 0x00 or 0x80)");
    }
    for (unsigned i = 0; i < 4; ++i)
        if (entries[16 * i + 4] == ProtectiveType)
            return parse_gpt_header(sector0 + SectorBytes, 1);
    table_.scheme = Scheme::Mbr;
    for (unsigned i = 0; i < 4; ++i) {
        const uint8_t* entry = entries + 16 * i;
        const uint8_t type = entry[4];
        if (type == 0)
            continue;
        Partition& p = table_.partitions[table_.count++];
        p = Partition{i + 1, u32(entry + 8), u32(entry + 12), {}, type, nullptr};
        p.unusable = is_extended(type) ? "is an extended partition (logical partitions are not supported)"
                                       : usability(p.first_sector, p.sectors, disk_sectors_);
    }
    check_overlaps();
    return finish(nullptr);
}

PartitionReader::Need PartitionReader::parse_gpt_header(const uint8_t* header, uint64_t header_lba)
{
    const char* problem = nullptr;
    const uint32_t header_size = u32(header + 12);
    if (memcmp(header, "EFI PART", 8) != 0)
        problem = "GPT header signature missing";
    else if (u32(header + 8) != 0x00010000u)
        problem = "GPT revision is not 1.0";
    else if (header_size < 92 || header_size > SectorBytes)
        problem = "GPT header size out of range";
    else if (spec::crc32(header, header_size, 16) != u32(header + 16))
        problem = "GPT header checksum mismatch";
    else if (u64(header + 24) != header_lba)
        problem = "GPT header does not name its own sector";
    if (problem == nullptr) {
        first_usable_ = u64(header + 40);
        last_usable_ = u64(header + 48);
        entries_lba_ = u64(header + 72);
        entry_count_ = u32(header + 80);
        entry_size_ = u32(header + 84);
        entries_crc_ = u32(header + 88);
        const uint64_t array_bytes = uint64_t(entry_count_) * entry_size_;
        const uint64_t array_sectors = (array_bytes + SectorBytes - 1) / SectorBytes;
        if (first_usable_ > last_usable_ || last_usable_ >= disk_sectors_)
            problem = "GPT usable area lies outside the disk";
        else if (entry_size_ < 128 || entry_size_ % 8 != 0 || entry_count_ == 0)
            problem = "GPT entry size or count invalid";
        else if (array_bytes > MaxEntryArrayBytes)
            problem = "GPT entry array larger than 64 KiB";
        else if (entries_lba_ < 2 || entries_lba_ >= disk_sectors_ || array_sectors > disk_sectors_ - entries_lba_)
            problem = "GPT entry array lies outside the disk";
        else if (entries_lba_ <= last_usable_ && entries_lba_ + array_sectors > first_usable_)
            problem = "GPT entry array overlaps the usable area";
    }
    if (problem != nullptr) {
        if (!trying_backup_) {
            // The primary is unusable: the backup header is the disk's last sector.
            trying_backup_ = true;
            table_.used_backup = true;
            stage_ = Stage::BackupHeader;
            return Need{false, (disk_sectors_ - 1) / SectorsPerBlock, 1};
        }
        return finish(problem);
    }
    stage_ = Stage::Entries;
    const uint64_t first_byte = entries_lba_ * SectorBytes;
    const uint64_t last_byte = first_byte + uint64_t(entry_count_) * entry_size_ - 1;
    return Need{false, first_byte / BlockBytes, uint32_t(last_byte / BlockBytes - first_byte / BlockBytes + 1)};
}

PartitionReader::Need PartitionReader::parse_gpt_entries(const uint8_t* bytes, uint64_t first_block)
{
    const uint8_t* array = bytes + (entries_lba_ * SectorBytes - first_block * BlockBytes);
    const uint64_t array_bytes = uint64_t(entry_count_) * entry_size_;
    if (spec::crc32(array, array_bytes, NoSkip) != entries_crc_) {
        if (!trying_backup_) {
            trying_backup_ = true;
            table_.used_backup = true;
            stage_ = Stage::BackupHeader;
            return Need{false, (disk_sectors_ - 1) / SectorsPerBlock, 1};
        }
        return finish("GPT entry array checksum mismatch (primary and backup)");
    }
    table_.scheme = Scheme::Gpt;
    static const uint8_t unused[16] = {};
    for (uint32_t i = 0; i < entry_count_; ++i) {
        const uint8_t* entry = array + uint64_t(i) * entry_size_;
        if (memcmp(entry, unused, 16) == 0)
            continue;
        if (table_.count == MaxPartitions)
            break;
        const uint64_t first = u64(entry + 32), last = u64(entry + 40);
        Partition& p = table_.partitions[table_.count++];
        p = Partition{i + 1, first, last >= first ? last - first + 1 : 0, {}, 0, nullptr};
        // The name: UTF-16LE, 36 units, NUL-terminated if shorter; only ASCII is kept as is.
        unsigned length = 0;
        for (; length < PartitionNameBytes - 1; ++length) {
            const uint16_t unit = uint16_t(entry[56 + 2 * length] | entry[57 + 2 * length] << 8);
            if (unit == 0)
                break;
            p.name[length] = unit >= 0x20 && unit < 0x7f ? char(unit) : '?';
        }
        p.name[length] = '\0';
        if (last < first)
            p.unusable = "ends before it starts";
        else if (first < first_usable_ || last > last_usable_)
            p.unusable = "lies outside the GPT's usable area";
        else
            p.unusable = usability(p.first_sector, p.sectors, disk_sectors_);
    }
    check_overlaps();
    return finish(nullptr);
}

void PartitionReader::check_overlaps()
{
    // Two clients on overlapping partitions would share sectors: neither gets one.
    for (unsigned a = 0; a < table_.count; ++a)
        for (unsigned b = a + 1; b < table_.count; ++b) {
            Partition& x = table_.partitions[a];
            Partition& y = table_.partitions[b];
            if (x.sectors == 0 || y.sectors == 0 || is_extended(x.mbr_type) || is_extended(y.mbr_type))
                continue;
            if (x.first_sector < y.first_sector + y.sectors && y.first_sector < x.first_sector + x.sectors) {
                x.unusable = x.unusable ? x.unusable : "overlaps another partition";
                y.unusable = y.unusable ? y.unusable : "overlaps another partition";
            }
        }
}

const Partition* PartitionReader::find(const char* selector, Partition& whole, const char** why) const
{
    auto fail = [&](const char* reason) -> const Partition* {
        if (why != nullptr)
            *why = reason;
        return nullptr;
    };
    if (selector == nullptr || selector[0] == '\0')
        return fail("no partition named");
    if (strcmp(selector, "disk") == 0) {
        whole = Partition{0, 0, disk_sectors_, "disk", 0, nullptr};
        return &whole;
    }
    const char* number_text = nullptr;
    Scheme wanted = Scheme::Mbr;
    if (strncmp(selector, "mbr:", 4) == 0)
        number_text = selector + 4;
    else if (selector[0] >= '0' && selector[0] <= '9')
        number_text = selector;
    else if (strncmp(selector, "gpt#", 4) == 0) {
        number_text = selector + 4;
        wanted = Scheme::Gpt;
    } else if (strncmp(selector, "gpt:", 4) != 0)
        return fail("expected 'disk', 'mbr:N', 'gpt:NAME' or 'gpt#N'");
    if (table_.scheme != (number_text ? wanted : Scheme::Gpt))
        return fail(table_.problem != nullptr ? table_.problem : "the disk has the other kind of partition table");
    const Partition* found = nullptr;
    if (number_text != nullptr) {
        uint32_t number = 0;
        for (const char* p = number_text; *p; ++p) {
            if (*p < '0' || *p > '9' || number > 100000)
                return fail("partition number is not a decimal number");
            number = number * 10 + uint32_t(*p - '0');
        }
        for (unsigned i = 0; i < table_.count; ++i)
            if (table_.partitions[i].number == number)
                found = &table_.partitions[i];
    } else {
        for (unsigned i = 0; i < table_.count; ++i)
            if (strcmp(table_.partitions[i].name, selector + 4) == 0) {
                if (found != nullptr)
                    return fail("two GPT partitions have that name");
                found = &table_.partitions[i];
            }
    }
    if (found == nullptr)
        return fail("no such partition");
    if (found->unusable != nullptr)
        return fail(found->unusable);
    return found;
}

} // namespace tessera::services::blk_virt

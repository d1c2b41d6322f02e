// Reading a disk's partition table (MBR primary partitions, or GPT behind a protective MBR)
// from blocks the caller fetches: the reader says which blocks it needs next, the caller reads
// them and feeds them back, until the table is known. Every field is checked, because the
// table is data on a disk anyone may have written: a partition that runs off the disk,
// overlaps another or is not aligned to the 4 KiB transfer unit is listed but not usable, and
// a corrupt GPT falls back to its backup copy at the end of the disk.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::services::blk_virt {

constexpr unsigned MaxPartitions = 128;
constexpr unsigned PartitionNameBytes = 37; // GPT names are 36 UTF-16 units; kept as ASCII
// The GPT entry array may be at most this large (128 entries of 128 bytes is the norm).
constexpr uint32_t MaxEntryArrayBytes = 64 * 1024;

enum class Scheme : uint8_t { None, Mbr, Gpt };

struct Partition {
    uint32_t number;          // MBR slot 1-4, or GPT entry index + 1
    uint64_t first_sector;    // 512-byte sectors
    uint64_t sectors;
    char name[PartitionNameBytes]; // GPT name (non-ASCII as '?'); empty for MBR
    uint8_t mbr_type;         // MBR system ID (0 for GPT)
    const char* unusable;     // why a client cannot have it, or nullptr

    uint64_t first_block() const { return first_sector / 8; }
    uint64_t blocks() const { return sectors / 8; }
};

struct PartitionTable {
    Scheme scheme = Scheme::None;
    bool used_backup = false; // the primary GPT was corrupt; the backup was used
    const char* problem = nullptr; // why no table was found, or nullptr
    Partition partitions[MaxPartitions];
    unsigned count = 0;
};

class PartitionReader {
public:
    struct Need {
        bool done;
        uint64_t first_block; // 4 KiB blocks to read next, when not done
        uint32_t blocks;
    };

    // `disk_blocks` is the disk's size in 4 KiB blocks (the driver's capacity).
    Need start(uint64_t disk_blocks);
    // `bytes` holds `blocks` blocks starting at `first_block`, as asked for.
    Need feed(const uint8_t* bytes, uint64_t first_block, uint32_t blocks);
    // The device failed a read: the table is unknown.
    void read_failed();

    const PartitionTable& table() const { return table_; }

    // Finds a partition by the name a system description gives: "disk" (the whole disk),
    // "mbr:N" / "N" (MBR slot N, 1-4), "gpt:NAME" (a GPT partition's name) or "gpt#N" (entry
    // N). Returns nullptr with a reason when there is none or it is unusable; for "disk"
    // `whole` is filled instead.
    const Partition* find(const char* selector, Partition& whole, const char** why) const;

private:
    Need finish(const char* problem);
    Need parse_mbr(const uint8_t* sector0);
    Need parse_gpt_header(const uint8_t* header, uint64_t header_lba);
    Need parse_gpt_entries(const uint8_t* bytes, uint64_t first_block);
    void check_overlaps();

    enum class Stage : uint8_t { Idle, Mbr, BackupHeader, Entries, Done } stage_ = Stage::Idle;
    uint64_t disk_blocks_ = 0;
    uint64_t disk_sectors_ = 0;
    PartitionTable table_;
    // From the GPT header being used.
    uint64_t first_usable_ = 0, last_usable_ = 0, entries_lba_ = 0;
    uint32_t entry_count_ = 0, entry_size_ = 0, entries_crc_ = 0;
    bool trying_backup_ = false;
};

} // namespace tessera::services::blk_virt

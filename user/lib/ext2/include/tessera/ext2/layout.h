// The on-disk layout of ext2: superblock, group descriptor, inode, directory entry and extended-
// attribute block header, with their feature bits. Offsets follow the ext2/ext4 disk-layout
// documentation (Documentation/filesystems/ext4 in Linux, "The Second Extended File System" by
// Dave Poirier); every offset is pinned by a static_assert. Little-endian, like the disk format.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::ext2::disk {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the structures below are the disk format only on a little-endian machine");

constexpr uint64_t SuperblockOffset = 1024; // bytes from the start of the volume
constexpr uint16_t Magic = 0xEF53;
constexpr uint32_t GoodOldRevision = 0;
constexpr uint32_t DynamicRevision = 1;
constexpr uint32_t GoodOldFirstInode = 11;
constexpr uint16_t GoodOldInodeSize = 128;

// s_state
constexpr uint16_t StateValid = 0x1;  // cleanly unmounted
constexpr uint16_t StateErrors = 0x2; // errors detected

struct Superblock {
    uint32_t inodes_count;        // 0
    uint32_t blocks_count;        // 4
    uint32_t r_blocks_count;      // 8   reserved for the superuser
    uint32_t free_blocks_count;   // 12
    uint32_t free_inodes_count;   // 16
    uint32_t first_data_block;    // 20
    uint32_t log_block_size;      // 24  block size = 1024 << this
    uint32_t log_frag_size;       // 28
    uint32_t blocks_per_group;    // 32
    uint32_t frags_per_group;     // 36
    uint32_t inodes_per_group;    // 40
    uint32_t mtime;               // 44  last mount
    uint32_t wtime;               // 48  last write
    uint16_t mnt_count;           // 52
    int16_t max_mnt_count;        // 54
    uint16_t magic;               // 56
    uint16_t state;               // 58
    uint16_t errors;              // 60
    uint16_t minor_rev_level;     // 62
    uint32_t lastcheck;           // 64
    uint32_t checkinterval;       // 68
    uint32_t creator_os;          // 72
    uint32_t rev_level;           // 76
    uint16_t def_resuid;          // 80
    uint16_t def_resgid;          // 82
    // Revision 1 (dynamic) only:
    uint32_t first_ino;           // 84
    uint16_t inode_size;          // 88
    uint16_t block_group_nr;      // 90
    uint32_t feature_compat;      // 92
    uint32_t feature_incompat;    // 96
    uint32_t feature_ro_compat;   // 100
    uint8_t uuid[16];             // 104
    char volume_name[16];         // 120
    char last_mounted[64];        // 136
    uint32_t algorithm_usage_bitmap; // 200
    uint8_t prealloc_blocks;      // 204
    uint8_t prealloc_dir_blocks;  // 205
    uint16_t reserved_gdt_blocks; // 206
    uint8_t journal_uuid[16];     // 208
    uint32_t journal_inum;        // 224
    uint32_t journal_dev;         // 228
    uint32_t last_orphan;         // 232
    uint32_t hash_seed[4];        // 236
    uint8_t def_hash_version;     // 252
    uint8_t jnl_backup_type;      // 253
    uint16_t desc_size;           // 254
    uint32_t default_mount_opts;  // 256
    uint32_t first_meta_bg;       // 260
    uint32_t mkfs_time;           // 264
    uint32_t jnl_blocks[17];      // 268
    uint8_t rest[1024 - 336];     // 336: the 64-bit and ext4 fields, kept as they are
};
static_assert(sizeof(Superblock) == 1024);
static_assert(offsetof(Superblock, magic) == 56);
static_assert(offsetof(Superblock, rev_level) == 76);
static_assert(offsetof(Superblock, feature_compat) == 92);
static_assert(offsetof(Superblock, uuid) == 104);
static_assert(offsetof(Superblock, reserved_gdt_blocks) == 206);
static_assert(offsetof(Superblock, desc_size) == 254);
static_assert(offsetof(Superblock, jnl_blocks) == 268);

// Offsets inside Superblock::rest of the fields a revision-1 ext2 volume may carry.
constexpr size_t SuperblockMinExtraIsize = 348;  // s_min_extra_isize, u16
constexpr size_t SuperblockWantExtraIsize = 350; // s_want_extra_isize, u16

// Compatible features: unknown ones may be ignored.
constexpr uint32_t CompatDirPrealloc = 0x0001;
constexpr uint32_t CompatImagicInodes = 0x0002;
constexpr uint32_t CompatHasJournal = 0x0004;
constexpr uint32_t CompatExtAttr = 0x0008;
constexpr uint32_t CompatResizeInode = 0x0010;
constexpr uint32_t CompatDirIndex = 0x0020;
constexpr uint32_t CompatSparseSuper2 = 0x0200;

// Read-only compatible features: an unknown one still allows reading.
constexpr uint32_t RoCompatSparseSuper = 0x0001;
constexpr uint32_t RoCompatLargeFile = 0x0002;
constexpr uint32_t RoCompatBtreeDir = 0x0004;
constexpr uint32_t RoCompatHugeFile = 0x0008;
constexpr uint32_t RoCompatGdtCsum = 0x0010;
constexpr uint32_t RoCompatDirNlink = 0x0020;
constexpr uint32_t RoCompatExtraIsize = 0x0040;
constexpr uint32_t RoCompatQuota = 0x0100;
constexpr uint32_t RoCompatBigalloc = 0x0200;
constexpr uint32_t RoCompatMetadataCsum = 0x0400;
constexpr uint32_t RoCompatReadonly = 0x1000;
constexpr uint32_t RoCompatProject = 0x2000;
constexpr uint32_t RoCompatVerity = 0x8000;
constexpr uint32_t RoCompatOrphanPresent = 0x10000;

// Incompatible features: an unknown one forbids mounting at all.
constexpr uint32_t IncompatCompression = 0x0001;
constexpr uint32_t IncompatFiletype = 0x0002;
constexpr uint32_t IncompatRecover = 0x0004;
constexpr uint32_t IncompatJournalDev = 0x0008;
constexpr uint32_t IncompatMetaBg = 0x0010;
constexpr uint32_t IncompatExtents = 0x0040;
constexpr uint32_t Incompat64Bit = 0x0080;
constexpr uint32_t IncompatMmp = 0x0100;
constexpr uint32_t IncompatFlexBg = 0x0200;
constexpr uint32_t IncompatEaInode = 0x0400;
constexpr uint32_t IncompatDirData = 0x1000;
constexpr uint32_t IncompatCsumSeed = 0x2000;
constexpr uint32_t IncompatLargeDir = 0x4000;
constexpr uint32_t IncompatInlineData = 0x8000;
constexpr uint32_t IncompatEncrypt = 0x10000;
constexpr uint32_t IncompatCasefold = 0x20000;

// What this implementation reads and writes in full.
constexpr uint32_t SupportedIncompat = IncompatFiletype;
constexpr uint32_t SupportedRoCompat = RoCompatSparseSuper | RoCompatLargeFile | RoCompatBtreeDir;

// A 32-byte group descriptor (no 64bit feature).
struct GroupDescriptor {
    uint32_t block_bitmap;      // 0
    uint32_t inode_bitmap;      // 4
    uint32_t inode_table;       // 8
    uint16_t free_blocks_count; // 12
    uint16_t free_inodes_count; // 14
    uint16_t used_dirs_count;   // 16
    uint16_t flags;             // 18  ext4's uninit flags, valid only with gdt_csum
    uint32_t reserved[3];       // 20
};
static_assert(sizeof(GroupDescriptor) == 32);

constexpr uint32_t DirectBlocks = 12;
constexpr uint32_t SingleIndirect = 12; // indexes into Inode::block
constexpr uint32_t DoubleIndirect = 13;
constexpr uint32_t TripleIndirect = 14;
constexpr uint32_t BlockPointers = 15;
constexpr size_t FastSymlinkMax = BlockPointers * 4; // a target shorter than this lives in block[]

// The first 128 bytes of an inode (every revision).
struct Inode {
    uint16_t mode;        // 0
    uint16_t uid;         // 2   low 16 bits
    uint32_t size;        // 4   low 32 bits
    uint32_t atime;       // 8
    uint32_t ctime;       // 12
    uint32_t mtime;       // 16
    uint32_t dtime;       // 20
    uint16_t gid;         // 24  low 16 bits
    uint16_t links_count; // 26
    uint32_t blocks;      // 28  in 512-byte units
    uint32_t flags;       // 32
    uint32_t osd1;        // 36
    uint32_t block[BlockPointers]; // 40
    uint32_t generation;  // 100
    uint32_t file_acl;    // 104 extended-attribute block
    uint32_t size_high;   // 108 regular files of rev 1: high 32 bits of the size
    uint32_t faddr;       // 112
    uint16_t blocks_high; // 116 (Linux osd2) with huge_file only
    uint16_t file_acl_high; // 118
    uint16_t uid_high;    // 120
    uint16_t gid_high;    // 122
    uint16_t checksum_lo; // 124
    uint16_t reserved;    // 126
};
static_assert(sizeof(Inode) == 128);
static_assert(offsetof(Inode, block) == 40);
static_assert(offsetof(Inode, generation) == 100);
static_assert(offsetof(Inode, uid_high) == 120);

// The extra fields of large inodes (inode_size > 128), valid up to 128 + extra_isize.
struct InodeExtra {
    uint16_t extra_isize;  // 128
    uint16_t checksum_hi;  // 130
    uint32_t ctime_extra;  // 132 (nanoseconds << 2) | epoch bits
    uint32_t mtime_extra;  // 136
    uint32_t atime_extra;  // 140
    uint32_t crtime;       // 144
    uint32_t crtime_extra; // 148
};
static_assert(sizeof(InodeExtra) == 24);
constexpr uint16_t NewInodeExtraIsize = 32; // what mke2fs and Linux give new large inodes

// i_flags this implementation acts on.
constexpr uint32_t FlagIndex = 0x1000;     // hashed-indexed directory (dir_index)
constexpr uint32_t FlagImmutable = 0x10;
constexpr uint32_t FlagAppend = 0x20;
constexpr uint32_t FlagExtents = 0x80000;  // ext4 extents: not readable here
constexpr uint32_t FlagInlineData = 0x10000000;

// Reserved inode numbers.
constexpr uint32_t BadBlocksInode = 1;
constexpr uint32_t RootDirectoryInode = 2;
constexpr uint32_t ResizeInode = 7;

// A directory entry's fixed part; the name follows. rec_len covers the name and padding.
struct DirEntryHeader {
    uint32_t inode;
    uint16_t rec_len;
    uint8_t name_len;  // the high byte of a 16-bit length without the filetype feature
    uint8_t file_type; // with the filetype feature
};
static_assert(sizeof(DirEntryHeader) == 8);

constexpr size_t dir_entry_size(size_t name_length) { return (8 + name_length + 3) & ~size_t{3}; }

// Directory-entry file types (filetype feature).
constexpr uint8_t DirTypeUnknown = 0;
constexpr uint8_t DirTypeRegular = 1;
constexpr uint8_t DirTypeDirectory = 2;
constexpr uint8_t DirTypeCharDevice = 3;
constexpr uint8_t DirTypeBlockDevice = 4;
constexpr uint8_t DirTypeFifo = 5;
constexpr uint8_t DirTypeSocket = 6;
constexpr uint8_t DirTypeSymlink = 7;

// The header of an extended-attribute block (ext_attr): magic, then the reference count.
struct XattrBlockHeader {
    uint32_t magic;
    uint32_t refcount;
    uint32_t blocks;
    uint32_t hash;
};
constexpr uint32_t XattrMagic = 0xEA020000;

// Linux's ext2 link limit.
constexpr uint16_t LinkMax = 32000;

} // namespace tessera::ext2::disk

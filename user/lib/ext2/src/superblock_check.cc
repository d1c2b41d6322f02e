// Superblock and group-descriptor checks: the limits Linux's ext2 applies at mount, and the
// feature policy (unknown incompatible features refuse, unknown read-only-compatible features
// allow reading only).
#include "superblock_check.h"

#include <stdarg.h>
#include <string.h>

#include <tessera/format.h>

namespace tessera::ext2 {

namespace {

struct FeatureName {
    uint32_t bit;
    const char* name;
};

// e2fsprogs' names (lib/e2p/feature.c), so reasons read like `dumpe2fs -h`.
constexpr FeatureName CompatNames[] = {
    {disk::CompatDirPrealloc, "dir_prealloc"}, {disk::CompatImagicInodes, "imagic_inodes"},
    {disk::CompatHasJournal, "has_journal"},   {disk::CompatExtAttr, "ext_attr"},
    {disk::CompatResizeInode, "resize_inode"}, {disk::CompatDirIndex, "dir_index"},
    {disk::CompatSparseSuper2, "sparse_super2"},
};
constexpr FeatureName IncompatNames[] = {
    {disk::IncompatCompression, "compression"}, {disk::IncompatFiletype, "filetype"},
    {disk::IncompatRecover, "needs_recovery"},  {disk::IncompatJournalDev, "journal_dev"},
    {disk::IncompatMetaBg, "meta_bg"},          {disk::IncompatExtents, "extent"},
    {disk::Incompat64Bit, "64bit"},             {disk::IncompatMmp, "mmp"},
    {disk::IncompatFlexBg, "flex_bg"},          {disk::IncompatEaInode, "ea_inode"},
    {disk::IncompatDirData, "dirdata"},         {disk::IncompatCsumSeed, "metadata_csum_seed"},
    {disk::IncompatLargeDir, "large_dir"},      {disk::IncompatInlineData, "inline_data"},
    {disk::IncompatEncrypt, "encrypt"},         {disk::IncompatCasefold, "casefold"},
};
constexpr FeatureName RoCompatNames[] = {
    {disk::RoCompatSparseSuper, "sparse_super"},   {disk::RoCompatLargeFile, "large_file"},
    {disk::RoCompatBtreeDir, "btree_dir"},         {disk::RoCompatHugeFile, "huge_file"},
    {disk::RoCompatGdtCsum, "uninit_bg"},          {disk::RoCompatDirNlink, "dir_nlink"},
    {disk::RoCompatExtraIsize, "extra_isize"},     {disk::RoCompatQuota, "quota"},
    {disk::RoCompatBigalloc, "bigalloc"},          {disk::RoCompatMetadataCsum, "metadata_csum"},
    {disk::RoCompatReadonly, "read-only"},         {disk::RoCompatProject, "project"},
    {disk::RoCompatVerity, "verity"},              {disk::RoCompatOrphanPresent, "orphan_present"},
};

template <size_t N>
void append_names(const FeatureName (&table)[N], uint32_t bits, char* buffer, size_t capacity)
{
    size_t used = strlen(buffer);
    for (uint32_t bit = 1; bit != 0; bit <<= 1) {
        if ((bits & bit) == 0)
            continue;
        const char* name = nullptr;
        for (const FeatureName& entry : table)
            if (entry.bit == bit)
                name = entry.name;
        int written = name != nullptr
                          ? tessera_snprintf(buffer + used, capacity - used, "%s%s",
                                             used == 0 ? "" : ", ", name)
                          : tessera_snprintf(buffer + used, capacity - used, "%sunknown 0x%x",
                                             used == 0 ? "" : ", ", bit);
        used += static_cast<size_t>(written);
        if (used >= capacity) {
            buffer[capacity - 1] = '\0';
            return;
        }
    }
}

Result<MountPlan> refuse(MountReport& report, const char* format, ...)
    __attribute__((format(printf, 2, 3)));

Result<MountPlan> refuse(MountReport& report, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    tessera_vsnprintf(report.reason, sizeof report.reason, format, args);
    va_end(args);
    return Errno::Inval;
}

bool is_power_of_two(uint32_t value) { return value != 0 && (value & (value - 1)) == 0; }

// Largest file: what the block map addresses, and what i_blocks (512-byte units, 32 bits) can
// count once the indirect blocks are counted too; revision 0 has no high size word.
uint64_t max_file_size(uint32_t block_size, uint32_t revision)
{
    uint64_t pointers = block_size / 4;
    uint64_t addressable = disk::DirectBlocks + pointers + pointers * pointers +
                           pointers * pointers * pointers;
    uint64_t countable = (uint64_t{0xFFFFFFFF} * 512) / block_size;
    uint64_t indirect = 1 + (1 + pointers) + (1 + pointers + pointers * pointers);
    uint64_t data_blocks = countable - indirect;
    uint64_t blocks = addressable < data_blocks ? addressable : data_blocks;
    uint64_t bytes = blocks * block_size;
    if (revision == disk::GoodOldRevision && bytes > 0x7FFFFFFF)
        bytes = 0x7FFFFFFF;
    return bytes;
}

} // namespace

void feature_names(FeatureKind kind, uint32_t bits, char* buffer, size_t capacity)
{
    if (capacity == 0)
        return;
    buffer[0] = '\0';
    switch (kind) {
    case FeatureKind::Compat:
        append_names(CompatNames, bits, buffer, capacity);
        break;
    case FeatureKind::Incompat:
        append_names(IncompatNames, bits, buffer, capacity);
        break;
    case FeatureKind::RoCompat:
        append_names(RoCompatNames, bits, buffer, capacity);
        break;
    }
}

Result<MountPlan> check_superblock(const disk::Superblock& s, uint64_t device_bytes,
                                   Access requested, MountReport& report)
{
    report.reason[0] = '\0';
    if (s.magic != disk::Magic)
        return refuse(report, "not an ext2 volume: magic 0x%04x, expected 0xef53", s.magic);
    if (s.rev_level > disk::DynamicRevision)
        return refuse(report, "revision %u unsupported (0 and 1 are)", s.rev_level);
    if (s.log_block_size > 2)
        return refuse(report, "block size 2^%u KiB unsupported (1, 2 and 4 KiB are)",
                      s.log_block_size);

    MountPlan plan;
    Geometry& g = plan.geometry;
    g.revision = s.rev_level;
    g.block_size = 1024u << s.log_block_size;
    bool dynamic = g.revision == disk::DynamicRevision;
    uint32_t incompat = dynamic ? s.feature_incompat : 0;
    uint32_t ro_compat = dynamic ? s.feature_ro_compat : 0;
    uint32_t compat = dynamic ? s.feature_compat : 0;

    char names[120];
    if ((incompat & ~disk::SupportedIncompat) != 0) {
        feature_names(FeatureKind::Incompat, incompat & ~disk::SupportedIncompat, names, sizeof names);
        return refuse(report, "unsupported incompatible features: %s", names);
    }

    g.inode_size = dynamic ? s.inode_size : disk::GoodOldInodeSize;
    g.first_inode = dynamic ? s.first_ino : disk::GoodOldFirstInode;
    if (!is_power_of_two(g.inode_size) || g.inode_size < disk::GoodOldInodeSize ||
        g.inode_size > g.block_size)
        return refuse(report, "inode size %u invalid", g.inode_size);
    g.large_inodes = g.inode_size > disk::GoodOldInodeSize;
    g.blocks_count = s.blocks_count;
    g.first_data_block = s.first_data_block;
    g.blocks_per_group = s.blocks_per_group;
    g.inodes_per_group = s.inodes_per_group;
    g.inodes_count = s.inodes_count;
    g.inodes_per_block = g.block_size / g.inode_size;
    g.pointers_per_block = g.block_size / 4;
    g.filetype = (incompat & disk::IncompatFiletype) != 0;
    g.sparse_super = (ro_compat & disk::RoCompatSparseSuper) != 0;
    g.reserved_gdt_blocks = (compat & disk::CompatResizeInode) ? s.reserved_gdt_blocks : 0;

    uint32_t expected_first = g.block_size == 1024 ? 1 : 0;
    if (g.first_data_block != expected_first)
        return refuse(report, "first data block %u, expected %u", g.first_data_block, expected_first);
    if (g.blocks_per_group < 8 || g.blocks_per_group > 8 * g.block_size ||
        g.blocks_per_group % 8 != 0)
        return refuse(report, "%u blocks per group invalid", g.blocks_per_group);
    if (g.inodes_per_group < g.inodes_per_block || g.inodes_per_group > 8 * g.block_size ||
        g.inodes_per_group % g.inodes_per_block != 0)
        return refuse(report, "%u inodes per group invalid", g.inodes_per_group);
    if (g.blocks_count <= g.first_data_block + 1)
        return refuse(report, "%u blocks: too few", g.blocks_count);
    if (uint64_t{g.blocks_count} * g.block_size > device_bytes)
        return refuse(report, "volume of %u blocks of %u bytes is larger than the device (%llu bytes)",
                      g.blocks_count, g.block_size, static_cast<unsigned long long>(device_bytes));
    uint64_t groups = (uint64_t{g.blocks_count} - g.first_data_block + g.blocks_per_group - 1) /
                      g.blocks_per_group;
    if (groups * g.inodes_per_group != g.inodes_count)
        return refuse(report, "%u inodes, but %llu groups of %u", g.inodes_count,
                      static_cast<unsigned long long>(groups), g.inodes_per_group);
    g.group_count = static_cast<uint32_t>(groups);
    if (g.first_inode < disk::GoodOldFirstInode || g.first_inode > g.inodes_count)
        return refuse(report, "first inode %u invalid", g.first_inode);
    if (g.reserved_gdt_blocks > g.block_size / 4)
        return refuse(report, "%u reserved descriptor blocks: too many", g.reserved_gdt_blocks);
    g.inode_table_blocks = g.inodes_per_group / g.inodes_per_block;
    g.descriptor_blocks = static_cast<uint32_t>(
        (groups * sizeof(disk::GroupDescriptor) + g.block_size - 1) / g.block_size);
    // Group 0 holds the superblock, the descriptors, the reserved ones, two bitmaps and the table.
    uint64_t group0 = uint64_t{1} + g.descriptor_blocks + g.reserved_gdt_blocks + 2 + g.inode_table_blocks;
    if (group0 > g.blocks_per_group || group0 > g.blocks_count - g.first_data_block)
        return refuse(report, "group 0 cannot hold its metadata (%llu blocks)",
                      static_cast<unsigned long long>(group0));
    if (s.r_blocks_count > g.blocks_count)
        return refuse(report, "%u reserved blocks of %u", s.r_blocks_count, g.blocks_count);
    g.max_file_size = max_file_size(g.block_size, g.revision);

    plan.access = requested;
    if (requested == Access::ReadWrite) {
        if ((ro_compat & ~disk::SupportedRoCompat) != 0) {
            feature_names(FeatureKind::RoCompat, ro_compat & ~disk::SupportedRoCompat, names,
                          sizeof names);
            tessera_snprintf(report.reason, sizeof report.reason,
                             "read-only: unsupported read-only-compatible features: %s", names);
            plan.access = Access::ReadOnly;
        } else if ((s.state & disk::StateErrors) != 0) {
            tessera_snprintf(report.reason, sizeof report.reason,
                             "read-only: the volume is marked as having errors (run e2fsck)");
            plan.access = Access::ReadOnly;
        }
    }
    return plan;
}

Result<void> check_descriptors(const Geometry& g, const disk::GroupDescriptor* groups,
                               MountReport& report)
{
    for (uint32_t group = 0; group < g.group_count; ++group) {
        const disk::GroupDescriptor& d = groups[group];
        uint64_t first = g.group_first_block(group);
        uint64_t end = first + g.blocks_in_group(group);
        uint64_t metadata_end = first + g.superblock_overhead(group);
        auto inside = [&](uint64_t block, uint64_t count) {
            return block >= metadata_end && block + count <= end;
        };
        const char* what = nullptr;
        if (!inside(d.block_bitmap, 1))
            what = "block bitmap";
        else if (!inside(d.inode_bitmap, 1))
            what = "inode bitmap";
        else if (!inside(d.inode_table, g.inode_table_blocks))
            what = "inode table";
        else if (d.block_bitmap == d.inode_bitmap ||
                 (d.block_bitmap >= d.inode_table && d.block_bitmap < d.inode_table + g.inode_table_blocks) ||
                 (d.inode_bitmap >= d.inode_table && d.inode_bitmap < d.inode_table + g.inode_table_blocks))
            what = "bitmaps overlapping";
        if (what != nullptr) {
            tessera_snprintf(report.reason, sizeof report.reason,
                             "group %u: %s misplaced (bitmaps %u, %u, table %u; group %llu-%llu)",
                             group, what, d.block_bitmap, d.inode_bitmap, d.inode_table,
                             static_cast<unsigned long long>(first),
                             static_cast<unsigned long long>(end - 1));
            return Errno::Inval;
        }
        if (d.free_blocks_count > g.blocks_in_group(group) ||
            d.free_inodes_count > g.inodes_per_group || d.used_dirs_count > g.inodes_per_group) {
            tessera_snprintf(report.reason, sizeof report.reason,
                             "group %u: counts larger than the group (%u free blocks, %u free "
                             "inodes, %u directories)",
                             group, d.free_blocks_count, d.free_inodes_count, d.used_dirs_count);
            return Errno::Inval;
        }
    }
    return {};
}

} // namespace tessera::ext2

// The block cache: a fixed number of block buffers from the arena, found by block number,
// evicted least recently used first, written back when evicted or flushed (adjacent dirty blocks
// in one device request). Callers hold a BlockRef while they use a buffer; a held buffer is
// never evicted.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/ext2/arena.h>
#include <tessera/ext2/block_device.h>
#include <tessera/ext2/errno.h>
#include <tessera/ext2/types.h>

namespace tessera::ext2 {

class BlockCache;

struct CacheStatistics {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t device_reads = 0;   // requests
    uint64_t device_writes = 0;  // requests
    uint64_t blocks_read = 0;
    uint64_t blocks_written = 0;
};

namespace cache_detail {
struct Entry {
    uint32_t block = 0;
    uint32_t pins = 0;
    bool valid = false;
    bool dirty = false;
    bool checked = false; // its contents passed a structure check since they were read
    bool listed = false;  // in the cache's dirty list
    uint8_t* data = nullptr;
    Entry* hash_next = nullptr;
    Entry* older = nullptr; // towards the least recently used end
    Entry* newer = nullptr;
};
} // namespace cache_detail

// A pinned cache buffer. Move-only; unpins when destroyed.
class BlockRef {
public:
    BlockRef() = default;
    BlockRef(BlockRef&& other) : entry_(other.entry_), cache_(other.cache_) { other.entry_ = nullptr; }
    BlockRef& operator=(BlockRef&& other);
    BlockRef(const BlockRef&) = delete;
    BlockRef& operator=(const BlockRef&) = delete;
    ~BlockRef() { release(); }

    uint8_t* data() const { return entry_->data; }
    BlockNumber block() const { return BlockNumber{entry_->block}; }
    // The buffer differs from the disk: write it back before it is evicted or at the next flush.
    // Also forgets that the block was checked: whoever changed it may not keep its structure.
    void mark_dirty() const;
    // A caller that checks a block's structure (a directory block, say) does it once, not at
    // every use: until the block is read again or changed, the check holds. A caller whose
    // change keeps the structure marks it checked again after mark_dirty().
    bool is_checked() const { return entry_->checked; }
    void mark_checked() const { entry_->checked = true; }
    bool is_held() const { return entry_ != nullptr; }
    void release();

private:
    friend class BlockCache;
    BlockRef(cache_detail::Entry* entry, BlockCache* cache) : entry_(entry), cache_(cache) {}
    cache_detail::Entry* entry_ = nullptr;
    BlockCache* cache_ = nullptr;
};

class BlockCache {
public:
    // At least MinimumBuffers: the deepest operation holds about ten blocks at once.
    static constexpr uint32_t MinimumBuffers = 16;

    // A cache of `buffers` blocks of block_size bytes carved from arena; nullptr if it does not fit.
    static BlockCache* create(Arena& arena, BlockDevice& device, uint32_t block_size,
                              uint32_t buffers);

    enum class Fill { Read, Zero, Overwrite };
    // The buffer of block, pinned: read from the device (Fill::Read) unless cached, or zeroed
    // (Fill::Zero, for a block just allocated, whose old contents do not matter), or left as it
    // is (Fill::Overwrite: the caller writes every byte before anyone reads it).
    // Errno::Io on a device error, Errno::NoMem if every buffer is pinned.
    Result<BlockRef> get(BlockNumber block, Fill fill);

    // Copies count blocks from first into destination: cached blocks from the cache, each run of
    // uncached ones by one device read straight into destination (the cache is not filled: a
    // bulk read would only evict what is worth keeping).
    Result<void> read_through(BlockNumber first, uint32_t count, uint8_t* destination);

    // Writes every dirty buffer back, in block order, adjacent blocks in one request.
    Result<void> flush();
    // The block was freed: its buffer, dirty or not, is dropped (it must not be held).
    void forget(BlockNumber block);
    // Flushes, then drops every buffer not held: the next reads come from the device.
    Result<void> empty();

    uint32_t block_size() const { return block_size_; }
    uint32_t buffer_count() const { return count_; }
    uint32_t dirty_count() const;
    const CacheStatistics& statistics() const { return statistics_; }
    BlockDevice& device() { return device_; }

private:
    friend class BlockRef;
    using Entry = cache_detail::Entry;

    BlockCache(BlockDevice& device, uint32_t block_size) : device_(device), block_size_(block_size) {}
    Entry* find(uint32_t block) const;
    void unhash(Entry* entry);
    void rehash(Entry* entry, uint32_t block);
    void touch(Entry* entry);
    void unlink_lru(Entry* entry);
    void push_newest(Entry* entry);
    Result<Entry*> victim();
    void unpin(Entry* entry);
    void note_dirty(Entry* entry);
    void compact_dirty_list();
    uint64_t offset_of(uint32_t block) const { return uint64_t{block} * block_size_; }

    BlockDevice& device_;
    uint32_t block_size_;
    uint32_t count_ = 0;
    Entry* entries_ = nullptr;
    Entry** buckets_ = nullptr;
    uint32_t bucket_mask_ = 0;
    Entry* newest_ = nullptr;
    Entry* oldest_ = nullptr;
    Entry** dirty_ = nullptr;            // the dirty buffers (and some that no longer are)
    uint32_t dirty_listed_ = 0;
    const uint8_t** gather_ = nullptr;   // flush's run of buffers, count_ entries
    CacheStatistics statistics_;
};

} // namespace tessera::ext2

// The block cache: hash lookup, LRU eviction, write-back in block order.
#include <tessera/ext2/block_cache.h>

#include <new>
#include <stdlib.h>
#include <string.h>

namespace tessera::ext2 {

BlockRef& BlockRef::operator=(BlockRef&& other)
{
    if (this != &other) {
        release();
        entry_ = other.entry_;
        cache_ = other.cache_;
        other.entry_ = nullptr;
    }
    return *this;
}

void BlockRef::mark_dirty() const
{
    if (!entry_->listed)
        cache_->note_dirty(entry_);
    entry_->dirty = true;
    entry_->checked = false;
}

void BlockRef::release()
{
    if (entry_ != nullptr) {
        cache_->unpin(entry_);
        entry_ = nullptr;
    }
}

BlockCache* BlockCache::create(Arena& arena, BlockDevice& device, uint32_t block_size,
                               uint32_t buffers)
{
    if (buffers < MinimumBuffers)
        return nullptr;
    void* place = arena.allocate(sizeof(BlockCache), alignof(BlockCache));
    if (place == nullptr)
        return nullptr;
    BlockCache* cache = new (place) BlockCache(device, block_size);
    uint32_t bucket_count = 1;
    while (bucket_count < buffers)
        bucket_count <<= 1;
    cache->entries_ = arena.allocate_array<Entry>(buffers);
    cache->buckets_ = arena.allocate_array<Entry*>(bucket_count);
    cache->dirty_ = arena.allocate_array<Entry*>(buffers);
    cache->gather_ = arena.allocate_array<const uint8_t*>(buffers);
    // Buffers page-aligned when the block is a page or more, so a device may map them.
    uint8_t* data = static_cast<uint8_t*>(
        arena.allocate(size_t{block_size} * buffers, block_size >= 4096 ? 4096 : block_size));
    if (cache->entries_ == nullptr || cache->buckets_ == nullptr || cache->dirty_ == nullptr ||
        cache->gather_ == nullptr || data == nullptr)
        return nullptr;
    cache->count_ = buffers;
    cache->bucket_mask_ = bucket_count - 1;
    for (uint32_t i = 0; i < bucket_count; ++i)
        cache->buckets_[i] = nullptr;
    for (uint32_t i = 0; i < buffers; ++i) {
        Entry* entry = new (&cache->entries_[i]) Entry{};
        entry->data = data + size_t{i} * block_size;
        cache->push_newest(entry);
    }
    return cache;
}

BlockCache::Entry* BlockCache::find(uint32_t block) const
{
    for (Entry* entry = buckets_[block & bucket_mask_]; entry != nullptr; entry = entry->hash_next)
        if (entry->block == block)
            return entry;
    return nullptr;
}

void BlockCache::unhash(Entry* entry)
{
    if (!entry->valid)
        return;
    Entry** link = &buckets_[entry->block & bucket_mask_];
    while (*link != entry)
        link = &(*link)->hash_next;
    *link = entry->hash_next;
    entry->hash_next = nullptr;
    entry->valid = false;
    entry->dirty = false;
    entry->checked = false;
}

void BlockCache::rehash(Entry* entry, uint32_t block)
{
    unhash(entry);
    entry->block = block;
    entry->valid = true;
    Entry** bucket = &buckets_[block & bucket_mask_];
    entry->hash_next = *bucket;
    *bucket = entry;
}

void BlockCache::unlink_lru(Entry* entry)
{
    if (entry->older != nullptr)
        entry->older->newer = entry->newer;
    else
        oldest_ = entry->newer;
    if (entry->newer != nullptr)
        entry->newer->older = entry->older;
    else
        newest_ = entry->older;
    entry->older = entry->newer = nullptr;
}

void BlockCache::push_newest(Entry* entry)
{
    entry->older = newest_;
    entry->newer = nullptr;
    if (newest_ != nullptr)
        newest_->newer = entry;
    else
        oldest_ = entry;
    newest_ = entry;
}

void BlockCache::touch(Entry* entry)
{
    if (newest_ == entry)
        return;
    unlink_lru(entry);
    push_newest(entry);
}

void BlockCache::unpin(Entry* entry)
{
    if (entry->pins > 0)
        --entry->pins;
}

// The dirty list holds each buffer that became dirty since the last flush, at most once (its
// `listed` flag); a buffer forgotten while listed stays listed but no longer dirty, so a full
// list is first cleared of those. Each entry is listed once at most, so count_ slots suffice.
void BlockCache::note_dirty(Entry* entry)
{
    if (dirty_listed_ == count_)
        compact_dirty_list();
    entry->listed = true;
    dirty_[dirty_listed_++] = entry;
}

void BlockCache::compact_dirty_list()
{
    uint32_t kept = 0;
    for (uint32_t i = 0; i < dirty_listed_; ++i) {
        if (dirty_[i]->valid && dirty_[i]->dirty)
            dirty_[kept++] = dirty_[i];
        else
            dirty_[i]->listed = false;
    }
    dirty_listed_ = kept;
}

// The least recently used buffer nobody holds: an empty one if any, a clean one next; a dirty
// one only after writing everything back (one flush serves many evictions).
Result<BlockCache::Entry*> BlockCache::victim()
{
    Entry* dirty_candidate = nullptr;
    for (Entry* entry = oldest_; entry != nullptr; entry = entry->newer) {
        if (entry->pins != 0)
            continue;
        if (!entry->dirty)
            return entry;
        if (dirty_candidate == nullptr)
            dirty_candidate = entry;
    }
    if (dirty_candidate == nullptr)
        return Errno::NoMem;
    Result<void> written = flush();
    if (!written)
        return written.error();
    return dirty_candidate;
}

Result<BlockRef> BlockCache::get(BlockNumber block, Fill fill)
{
    Entry* entry = find(raw(block));
    if (entry != nullptr) {
        ++statistics_.hits;
        if (fill == Fill::Zero)
            memset(entry->data, 0, block_size_);
        if (fill != Fill::Read)
            entry->checked = false;
    } else {
        ++statistics_.misses;
        Result<Entry*> chosen = victim();
        if (!chosen)
            return chosen.error();
        entry = chosen.value();
        unhash(entry);
        if (fill == Fill::Read) {
            ++statistics_.device_reads;
            ++statistics_.blocks_read;
            Result<void> read = device_.read(offset_of(raw(block)), entry->data, block_size_);
            if (!read)
                return read.error();
        } else if (fill == Fill::Zero) {
            memset(entry->data, 0, block_size_);
        }
        rehash(entry, raw(block));
    }
    ++entry->pins;
    touch(entry);
    return BlockRef(entry, this);
}

Result<void> BlockCache::read_through(BlockNumber first, uint32_t count, uint8_t* destination)
{
    uint32_t done = 0;
    while (done < count) {
        Entry* cached = find(raw(first) + done);
        if (cached != nullptr) {
            ++statistics_.hits;
            memcpy(destination + size_t{done} * block_size_, cached->data, block_size_);
            ++done;
            continue;
        }
        uint32_t run = 1;
        while (done + run < count && find(raw(first) + done + run) == nullptr)
            ++run;
        statistics_.misses += run;
        ++statistics_.device_reads;
        statistics_.blocks_read += run;
        Result<void> read = device_.read(offset_of(raw(first) + done),
                                         destination + size_t{done} * block_size_,
                                         size_t{run} * block_size_);
        if (!read)
            return read.error();
        done += run;
    }
    return {};
}

namespace {
int by_block(const void* left, const void* right)
{
    uint32_t a = (*static_cast<cache_detail::Entry* const*>(left))->block;
    uint32_t b = (*static_cast<cache_detail::Entry* const*>(right))->block;
    return a < b ? -1 : a > b ? 1 : 0;
}
} // namespace

Result<void> BlockCache::flush()
{
    compact_dirty_list();
    uint32_t dirty = dirty_listed_;
    qsort(dirty_, dirty, sizeof(Entry*), by_block);
    uint32_t start = 0;
    while (start < dirty) {
        uint32_t run = 1;
        while (start + run < dirty && dirty_[start + run]->block == dirty_[start]->block + run)
            ++run;
        for (uint32_t i = 0; i < run; ++i)
            gather_[i] = dirty_[start + i]->data;
        ++statistics_.device_writes;
        statistics_.blocks_written += run;
        Result<void> written =
            device_.write_gather(offset_of(dirty_[start]->block), gather_, run, block_size_);
        if (!written) {
            compact_dirty_list(); // what was written leaves the list; the rest waits
            return written.error();
        }
        for (uint32_t i = 0; i < run; ++i) {
            dirty_[start + i]->dirty = false;
            dirty_[start + i]->listed = false;
        }
        start += run;
    }
    dirty_listed_ = 0;
    return {};
}

void BlockCache::forget(BlockNumber block)
{
    Entry* entry = find(raw(block));
    if (entry != nullptr && entry->pins == 0) {
        unhash(entry);
        unlink_lru(entry);
        // Oldest end: the first buffer to be reused.
        entry->newer = oldest_;
        entry->older = nullptr;
        if (oldest_ != nullptr)
            oldest_->older = entry;
        else
            newest_ = entry;
        oldest_ = entry;
    }
}

Result<void> BlockCache::empty()
{
    Result<void> written = flush();
    if (!written)
        return written;
    for (uint32_t i = 0; i < count_; ++i)
        if (entries_[i].pins == 0)
            unhash(&entries_[i]);
    return {};
}

uint32_t BlockCache::dirty_count() const
{
    uint32_t dirty = 0;
    for (uint32_t i = 0; i < dirty_listed_; ++i)
        dirty += dirty_[i]->valid && dirty_[i]->dirty;
    return dirty;
}

} // namespace tessera::ext2

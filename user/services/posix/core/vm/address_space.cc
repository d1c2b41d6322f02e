// Regions are kept sorted and non-overlapping; a page has a frame only inside a region. Every
// change to a range first splits the regions at its ends, so each operation works on whole
// regions, and adjacent private anonymous regions with equal attributes are merged again.
#include "core/vm/address_space.h"

#include <string.h>

#include "linux/constants.h"

namespace tessera::posix {

namespace mman = linux::mman;

namespace {

constexpr uint64_t MmapTop = 0x7f0000000000; // mmap's top-down search starts here
constexpr uint64_t StackGuardGap = 256 * PageSize;
constexpr uint64_t StackLimit = 8 << 20;     // RLIMIT_STACK's default: how far the stack grows

bool readable(uint32_t protection)
{
    return (protection & (mman::ProtRead | mman::ProtWrite | mman::ProtExec)) != 0;
}

bool allows(uint32_t protection, Access access)
{
    switch (access) {
    case Access::Read:
        return readable(protection);
    case Access::Write:
        return (protection & mman::ProtWrite) != 0;
    case Access::Execute:
        return (protection & (mman::ProtExec | mman::ProtRead)) != 0;
    }
    return false;
}

bool can_merge(const Region& a, const Region& b)
{
    return a.end == b.start && a.protection == b.protection && !a.shared && !b.shared &&
           !a.object && !b.object && a.grows_down == b.grows_down && a.tag == b.tag;
}

} // namespace

AddressSpace::AddressSpace(FramePool& frames, MappingBackend& backend, HardwareSpace* hardware)
    : frames_(frames), backend_(backend), hardware_(hardware)
{
}

AddressSpace::~AddressSpace()
{
    clear();
    backend_.destroy_space(hardware_);
}

size_t AddressSpace::find_index(uint64_t vaddr) const
{
    size_t low = 0, high = regions_.size();
    while (low < high) {
        const size_t middle = (low + high) / 2;
        if (regions_[middle].end <= vaddr)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

const Region* AddressSpace::region_at(uint64_t vaddr) const
{
    const size_t i = find_index(vaddr);
    if (i < regions_.size() && regions_[i].start <= vaddr)
        return &regions_[i];
    return nullptr;
}

bool AddressSpace::range_is_free(uint64_t start, uint64_t end) const
{
    const size_t i = find_index(start);
    return i == regions_.size() || regions_[i].start >= end;
}

Result<uint64_t> AddressSpace::find_free(uint64_t hint, uint64_t length) const
{
    if (hint != 0 && is_page_aligned(hint) && hint >= MmapLowest && hint <= UserTop - length &&
        range_is_free(hint, hint + length))
        return hint;
    // Top down from MmapTop, below every region that lies in the way (Linux's layout).
    uint64_t top = MmapTop;
    size_t i = find_index(top);
    for (;;) {
        // Regions at or above `top` do not matter; look at the gap below `top`.
        while (i > 0 && regions_[i - 1].end > top)
            --i;
        const uint64_t floor = i == 0 ? MmapLowest : regions_[i - 1].end;
        uint64_t gap_top = top;
        if (i < regions_.size() && regions_[i].grows_down && regions_[i].start <= top + StackGuardGap)
            gap_top = regions_[i].start > StackGuardGap ? regions_[i].start - StackGuardGap : 0;
        if (gap_top >= floor && gap_top - floor >= length)
            return gap_top - length;
        if (i == 0)
            break;
        top = regions_[i - 1].start;
        --i;
        if (top < MmapLowest + length)
            break;
    }
    // Nothing below MmapTop: try above it, bottom up.
    uint64_t candidate = MmapTop;
    for (size_t j = find_index(candidate); candidate + length <= UserTop; ++j) {
        const uint64_t next = j < regions_.size() ? regions_[j].start : UserTop;
        if (next >= candidate + length)
            return candidate;
        if (j >= regions_.size())
            break;
        candidate = regions_[j].end;
    }
    return Errno::NoMem;
}

bool AddressSpace::split_at(uint64_t at)
{
    const size_t i = find_index(at);
    if (i >= regions_.size() || regions_[i].start >= at)
        return true; // already a boundary, or inside no region
    Region upper;
    upper.start = at;
    upper.end = regions_[i].end;
    upper.protection = regions_[i].protection;
    upper.shared = regions_[i].shared;
    upper.grows_down = regions_[i].grows_down;
    upper.object = regions_[i].object;
    upper.offset = regions_[i].offset + (at - regions_[i].start);
    upper.tag = regions_[i].tag;
    if (!regions_.insert(i + 1, std::move(upper)))
        return false;
    regions_[i].end = at;
    return true;
}

void AddressSpace::drop_page(uint64_t vaddr, PageEntry& entry)
{
    if (entry.mapping != 0)
        backend_.unmap(hardware_, vaddr, entry.mapping);
    frames_.release(entry.frame);
    entry = PageEntry{};
    --resident_;
}

void AddressSpace::make_read_only(uint64_t vaddr, PageEntry& entry)
{
    // When the rights cannot be changed in place the page is unmapped: the next access faults
    // and maps it again with the rights its region has then.
    if (!backend_.protect(hardware_, vaddr, *entry.frame, entry.mapping, Writable::No)) {
        backend_.unmap(hardware_, vaddr, entry.mapping);
        entry.mapping = 0;
    }
    entry.mapped_writable = false;
}

void AddressSpace::remove_range(uint64_t start, uint64_t end)
{
    pages_.for_each(start, end, [&](uint64_t vaddr, PageEntry& entry) { drop_page(vaddr, entry); });
    size_t i = find_index(start);
    while (i < regions_.size() && regions_[i].start < end)
        regions_.erase(i); // split_at made [start, end) whole regions
}

void AddressSpace::merge_neighbours()
{
    for (size_t i = 0; i + 1 < regions_.size();) {
        if (can_merge(regions_[i], regions_[i + 1])) {
            regions_[i].end = regions_[i + 1].end;
            regions_.erase(i + 1);
        } else {
            ++i;
        }
    }
}

Result<uint64_t> AddressSpace::map(uint64_t hint, uint64_t length, uint32_t protection, bool shared,
                                   Ref<MemoryObject> object, uint64_t offset, Placement placement,
                                   uint32_t tag)
{
    if (length == 0 || !is_page_aligned(offset))
        return Errno::Inval;
    if (length > UserTop)
        return Errno::NoMem;
    length = page_up(length);
    if (object && offset + length < offset)
        return Errno::Overflow;
    uint64_t start;
    if (placement == Placement::Hint) {
        auto found = find_free(hint, length);
        if (!found)
            return found.error();
        start = found.value();
    } else {
        if (!is_page_aligned(hint))
            return Errno::Inval;
        if (hint < MmapLowest || hint > UserTop - length)
            return placement == Placement::Fixed && hint < MmapLowest ? Errno::Perm : Errno::NoMem;
        start = hint;
        if (placement == Placement::FixedNoReplace && !range_is_free(start, start + length))
            return Errno::Exist;
    }
    if (regions_.size() + 2 >= MaxRegions)
        return Errno::NoMem;
    const uint64_t end = start + length;
    if (!split_at(start) || !split_at(end))
        return Errno::NoMem;
    remove_range(start, end);
    Region region;
    region.start = start;
    region.end = end;
    region.protection = protection;
    region.shared = shared;
    region.object = object;
    region.offset = offset;
    region.tag = tag;
    if (!regions_.insert(find_index(start), std::move(region)))
        return Errno::NoMem;
    merge_neighbours();
    return start;
}

Result<void> AddressSpace::unmap(uint64_t start, uint64_t length)
{
    if (!is_page_aligned(start) || length == 0)
        return Errno::Inval;
    length = page_up(length);
    if (start >= UserTop || length > UserTop - start)
        return Errno::Inval;
    if (!split_at(start) || !split_at(start + length))
        return Errno::NoMem;
    remove_range(start, start + length);
    return {};
}

Result<void> AddressSpace::protect(uint64_t start, uint64_t length, uint32_t protection)
{
    if (!is_page_aligned(start))
        return Errno::Inval;
    length = page_up(length);
    if (length == 0)
        return {};
    const uint64_t end = start + length;
    if (end < start || end > UserTop)
        return Errno::NoMem;
    // Every page of the range must be mapped (Linux: ENOMEM otherwise, nothing changed).
    for (uint64_t at = start; at < end;) {
        const Region* r = region_at(at);
        if (r == nullptr)
            return Errno::NoMem;
        at = r->end;
    }
    if (!split_at(start) || !split_at(end))
        return Errno::NoMem;
    for (size_t i = find_index(start); i < regions_.size() && regions_[i].start < end; ++i)
        regions_[i].protection = protection;
    pages_.for_each(start, end, [&](uint64_t vaddr, PageEntry& entry) {
        if (entry.mapping == 0)
            return;
        if (!readable(protection)) {
            backend_.unmap(hardware_, vaddr, entry.mapping);
            entry.mapping = 0;
            entry.mapped_writable = false;
        } else if (entry.mapped_writable && (protection & mman::ProtWrite) == 0) {
            make_read_only(vaddr, entry);
        }
        // Gaining write access maps writable at the next write fault, which is where
        // copy-on-write decides whether the frame can be written in place.
    });
    merge_neighbours();
    return {};
}

Result<void> AddressSpace::discard(uint64_t start, uint64_t length)
{
    if (!is_page_aligned(start))
        return Errno::Inval;
    const uint64_t end = start + page_up(length);
    if (end < start)
        return Errno::Inval;
    for (uint64_t at = start; at < end;) {
        const Region* r = region_at(at);
        if (r == nullptr)
            return Errno::NoMem;
        const uint64_t stop = r->end < end ? r->end : end;
        if (!r->shared)
            pages_.for_each(at, stop, [&](uint64_t vaddr, PageEntry& e) { drop_page(vaddr, e); });
        at = stop;
    }
    return {};
}

Result<uint64_t> AddressSpace::remap(uint64_t old_start, uint64_t old_length, uint64_t new_length,
                                     uint32_t flags, uint64_t new_start)
{
    if (!is_page_aligned(old_start) || new_length == 0 ||
        (flags & ~(mman::RemapMayMove | mman::RemapFixed)) != 0 ||
        ((flags & mman::RemapFixed) && !(flags & mman::RemapMayMove)))
        return Errno::Inval;
    old_length = page_up(old_length);
    new_length = page_up(new_length);
    if (new_length > UserTop)
        return Errno::NoMem;
    const Region* region = region_at(old_start);
    if (region == nullptr || old_start + old_length > region->end)
        return Errno::Fault;
    const bool fixed = (flags & mman::RemapFixed) != 0;
    if (!fixed && new_length <= old_length) {
        if (new_length < old_length)
            POSIX_CHECK(unmap(old_start + new_length, old_length - new_length));
        return old_start;
    }
    // Grow in place when the pages above are free and this is the region's end.
    if (!fixed && old_start + old_length == region->end &&
        range_is_free(region->end, old_start + new_length) &&
        old_start + new_length <= UserTop) {
        const size_t i = find_index(old_start);
        regions_[i].end = old_start + new_length;
        merge_neighbours();
        return old_start;
    }
    if ((flags & mman::RemapMayMove) == 0)
        return Errno::NoMem;
    uint64_t target;
    if (fixed) {
        if (!is_page_aligned(new_start) || new_start < MmapLowest ||
            new_start > UserTop - new_length ||
            (new_start < old_start + old_length && old_start < new_start + new_length))
            return Errno::Inval;
        POSIX_CHECK(unmap(new_start, new_length));
        target = new_start;
    } else {
        auto found = find_free(0, new_length);
        if (!found)
            return found.error();
        target = found.value();
    }
    region = region_at(old_start); // the unmap above may have moved the vector
    if (region == nullptr)
        return Errno::Fault;
    Region moved;
    moved.start = target;
    moved.end = target + new_length;
    moved.protection = region->protection;
    moved.shared = region->shared;
    moved.object = region->object;
    moved.offset = region->offset + (old_start - region->start);
    moved.tag = region->tag;
    if (!regions_.insert(find_index(target), std::move(moved)))
        return Errno::NoMem;
    // Carry the pages over: the frames move, their hardware mappings are made again.
    const uint64_t carried = old_length < new_length ? old_length : new_length;
    pages_.for_each(old_start, old_start + carried, [&](uint64_t vaddr, PageEntry& entry) {
        PageEntry* destination = pages_.make(target + (vaddr - old_start));
        if (destination == nullptr)
            return; // the page is lost to the move: it reads as zero or as the file again
        if (entry.mapping != 0)
            backend_.unmap(hardware_, vaddr, entry.mapping);
        destination->frame = entry.frame;
        destination->private_copy = entry.private_copy;
        destination->mapping = 0;
        destination->mapped_writable = false;
        entry = PageEntry{};
    });
    if (!split_at(old_start) || !split_at(old_start + old_length))
        return Errno::NoMem;
    remove_range(old_start, old_start + old_length);
    merge_neighbours();
    return target;
}

void AddressSpace::set_break_start(uint64_t start)
{
    break_start_ = break_end_ = start;
}

uint64_t AddressSpace::set_break(uint64_t requested)
{
    if (requested < break_start_ || requested > UserTop)
        return break_end_;
    const uint64_t old_top = page_up(break_end_);
    const uint64_t new_top = page_up(requested);
    if (new_top > old_top) {
        if (!range_is_free(old_top, new_top))
            return break_end_;
        auto mapped = map(old_top, new_top - old_top, mman::ProtRead | mman::ProtWrite, false,
                          nullptr, 0, Placement::Fixed, TagHeap);
        if (!mapped)
            return break_end_;
    } else if (new_top < old_top) {
        (void)unmap(new_top, old_top - new_top);
    }
    break_end_ = requested;
    return break_end_;
}

Result<void> AddressSpace::install(uint64_t vaddr, PageEntry& entry, Frame* frame, bool private_copy,
                                   Writable writable)
{
    auto mapping = backend_.map(hardware_, vaddr, *frame, writable);
    if (!mapping)
        return mapping.error();
    frames_.acquire(frame); // before the old one goes: it may be the same frame
    if (entry.frame == nullptr)
        ++resident_;
    else
        frames_.release(entry.frame);
    entry.frame = frame;
    entry.mapping = mapping.value();
    entry.mapped_writable = writable == Writable::Yes;
    entry.private_copy = private_copy;
    return {};
}

FaultResult AddressSpace::break_copy_on_write(uint64_t vaddr, PageEntry& entry, const Region& region)
{
    (void)region;
    if (entry.private_copy && entry.frame->references == 1) {
        // Nobody else holds the frame: write it in place.
        if (entry.mapping != 0 &&
            backend_.protect(hardware_, vaddr, *entry.frame, entry.mapping, Writable::Yes)) {
            entry.mapped_writable = true;
            return FaultResult::Resolved;
        }
        if (entry.mapping != 0)
            backend_.unmap(hardware_, vaddr, entry.mapping);
        entry.mapping = 0;
        Frame* same = entry.frame;
        auto done = backend_.map(hardware_, vaddr, *same, Writable::Yes);
        if (!done)
            return FaultResult::OutOfMemory;
        entry.mapping = done.value();
        entry.mapped_writable = true;
        return FaultResult::Resolved;
    }
    Frame* copy = frames_.allocate();
    if (copy == nullptr)
        return FaultResult::OutOfMemory;
    memcpy(copy->data, entry.frame->data, PageSize);
    if (entry.mapping != 0)
        backend_.unmap(hardware_, vaddr, entry.mapping);
    entry.mapping = 0;
    entry.mapped_writable = false;
    if (!install(vaddr, entry, copy, true, Writable::Yes)) {
        frames_.acquire(copy); // install did not take it: give it back through release
        frames_.release(copy);
        return FaultResult::OutOfMemory;
    }
    return FaultResult::Resolved;
}

FaultResult AddressSpace::fault(uint64_t vaddr, Access access)
{
    if (vaddr >= UserTop)
        return FaultResult::NotMapped;
    const uint64_t page = page_down(vaddr);
    size_t index = find_index(page);
    if (index >= regions_.size() || regions_[index].start > page) {
        // Just below a stack region: the stack grows, up to its limit.
        if (index < regions_.size() && regions_[index].grows_down &&
            regions_[index].start - page <= StackLimit &&
            (index == 0 || regions_[index - 1].end + StackGuardGap <= page)) {
            regions_[index].start = page;
        } else {
            return FaultResult::NotMapped;
        }
    }
    const Region& region = regions_[index];
    if (!allows(region.protection, access))
        return FaultResult::AccessDenied;
    PageEntry* entry = pages_.make(page);
    if (entry == nullptr)
        return FaultResult::OutOfMemory;
    const bool may_write = (region.protection & mman::ProtWrite) != 0;

    if (entry->frame == nullptr) {
        if (region.object) {
            const uint64_t offset = region.offset + (page - region.start);
            if (offset >= page_up(region.object->mapped_size()))
                return FaultResult::BeyondObject;
            auto frame = region.object->page(offset / PageSize);
            if (!frame)
                return frame.error() == Errno::NoMem ? FaultResult::OutOfMemory
                                                     : FaultResult::BeyondObject;
            if (region.shared) {
                if (!install(page, *entry, frame.value(), false, may_write ? Writable::Yes : Writable::No))
                    return FaultResult::OutOfMemory;
                if (access == Access::Write)
                    region.object->page_written(offset / PageSize);
                return FaultResult::Resolved;
            }
            if (!install(page, *entry, frame.value(), false, Writable::No))
                return FaultResult::OutOfMemory;
            if (access != Access::Write)
                return FaultResult::Resolved;
            return break_copy_on_write(page, *entry, region);
        }
        Frame* fresh = frames_.allocate();
        if (fresh == nullptr)
            return FaultResult::OutOfMemory;
        if (!install(page, *entry, fresh, true, may_write ? Writable::Yes : Writable::No)) {
            frames_.acquire(fresh);
            frames_.release(fresh);
            return FaultResult::OutOfMemory;
        }
        return FaultResult::Resolved;
    }

    if (access == Access::Write && !entry->mapped_writable) {
        if (region.shared) {
            if (entry->mapping != 0 &&
                backend_.protect(hardware_, page, *entry->frame, entry->mapping, Writable::Yes)) {
                entry->mapped_writable = true;
            } else {
                Frame* same = entry->frame;
                if (entry->mapping != 0)
                    backend_.unmap(hardware_, page, entry->mapping);
                entry->mapping = 0;
                auto done = backend_.map(hardware_, page, *same, Writable::Yes);
                if (!done)
                    return FaultResult::OutOfMemory;
                entry->mapping = done.value();
                entry->mapped_writable = true;
            }
            if (region.object)
                region.object->page_written((region.offset + (page - region.start)) / PageSize);
            return FaultResult::Resolved;
        }
        return break_copy_on_write(page, *entry, region);
    }
    if (entry->mapping == 0) {
        // A page kept while its region was PROT_NONE, mapped again.
        const bool writable = may_write && (region.shared ||
                                            (entry->private_copy && entry->frame->references == 1));
        auto done = backend_.map(hardware_, page, *entry->frame, writable ? Writable::Yes : Writable::No);
        if (!done)
            return FaultResult::OutOfMemory;
        entry->mapping = done.value();
        entry->mapped_writable = writable;
    }
    return FaultResult::Resolved;
}

uint8_t* AddressSpace::page_bytes(uint64_t address, Access access)
{
    PageEntry* entry = pages_.find(page_down(address));
    const bool ready = entry != nullptr && entry->frame != nullptr && entry->mapping != 0 &&
                       (access != Access::Write || entry->mapped_writable);
    if (!ready) {
        if (fault(address, access) != FaultResult::Resolved)
            return nullptr;
        entry = pages_.find(page_down(address));
    } else {
        const Region* r = region_at(address);
        if (r == nullptr || !allows(r->protection, access))
            return nullptr;
    }
    return entry->frame->data + (address & PageMask);
}

template <class F> Result<void> AddressSpace::each_chunk(uint64_t address, size_t length, Access access, F&& f)
{
    if (address + length < address)
        return Errno::Fault;
    while (length > 0) {
        uint8_t* bytes = page_bytes(address, access);
        if (bytes == nullptr)
            return Errno::Fault;
        size_t chunk = PageSize - (address & PageMask);
        chunk = chunk < length ? chunk : length;
        f(bytes, chunk);
        address += chunk;
        length -= chunk;
    }
    return {};
}

Result<void> AddressSpace::read(uint64_t address, void* destination, size_t length)
{
    auto* out = static_cast<uint8_t*>(destination);
    return each_chunk(address, length, Access::Read, [&](uint8_t* bytes, size_t chunk) {
        memcpy(out, bytes, chunk);
        out += chunk;
    });
}

Result<void> AddressSpace::write(uint64_t address, const void* source, size_t length)
{
    const auto* in = static_cast<const uint8_t*>(source);
    return each_chunk(address, length, Access::Write, [&](uint8_t* bytes, size_t chunk) {
        memcpy(bytes, in, chunk);
        in += chunk;
    });
}

Result<void> AddressSpace::fill(uint64_t address, uint8_t value, size_t length)
{
    return each_chunk(address, length, Access::Write,
                      [&](uint8_t* bytes, size_t chunk) { memset(bytes, value, chunk); });
}

Result<size_t> AddressSpace::read_string(uint64_t address, char* destination, size_t capacity)
{
    size_t length = 0;
    while (length < capacity) {
        const uint8_t* bytes = page_bytes(address, Access::Read);
        if (bytes == nullptr)
            return Errno::Fault;
        const size_t room = PageSize - (address & PageMask);
        for (size_t i = 0; i < room && length < capacity; ++i) {
            destination[length] = static_cast<char>(bytes[i]);
            if (bytes[i] == 0)
                return length;
            ++length;
        }
        address += room;
    }
    return Errno::NameTooLong;
}

Result<void> AddressSpace::duplicate_into(AddressSpace& child)
{
    for (const Region& r : regions_) {
        Region copy;
        copy.start = r.start;
        copy.end = r.end;
        copy.protection = r.protection;
        copy.shared = r.shared;
        copy.grows_down = r.grows_down;
        copy.object = r.object;
        copy.offset = r.offset;
        copy.tag = r.tag;
        if (!child.regions_.push_back(std::move(copy)))
            return Errno::NoMem;
    }
    child.break_start_ = break_start_;
    child.break_end_ = break_end_;
    bool failed = false;
    for (const Region& r : regions_) {
        pages_.for_each(r.start, r.end, [&](uint64_t vaddr, PageEntry& entry) {
            if (failed)
                return;
            PageEntry* theirs = child.pages_.make(vaddr);
            if (theirs == nullptr) {
                failed = true;
                return;
            }
            if (!r.shared && entry.mapped_writable) {
                // Both sides now read the frame until one of them writes.
                make_read_only(vaddr, entry);
            }
            if (entry.mapping == 0) {
                // Unmapped in hardware (PROT_NONE): the child keeps the frame the same way.
                frames_.acquire(entry.frame);
                theirs->frame = entry.frame;
                theirs->private_copy = entry.private_copy;
                ++child.resident_;
                return;
            }
            const Writable writable = r.shared && entry.mapped_writable ? Writable::Yes : Writable::No;
            if (!child.install(vaddr, *theirs, entry.frame, entry.private_copy, writable))
                failed = true;
        });
        if (failed)
            return Errno::NoMem;
    }
    return {};
}

void AddressSpace::clear()
{
    pages_.for_each(0, UserTop, [&](uint64_t vaddr, PageEntry& entry) { drop_page(vaddr, entry); });
    pages_.clear();
    regions_.clear();
    break_start_ = break_end_ = 0;
}

uint64_t AddressSpace::mapped_bytes() const
{
    uint64_t total = 0;
    for (const Region& r : regions_)
        total += r.end - r.start;
    return total;
}

} // namespace tessera::posix

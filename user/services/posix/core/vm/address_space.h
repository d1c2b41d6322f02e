// One process's memory as Linux describes it: regions (mmap's VMAs) with their protections and
// backing, the pages that have frames, and the program break. Faults, mmap, munmap, mprotect,
// mremap, brk, fork's copy-on-write and the server's own access to user memory all go through
// here; the hardware mapping is the backend's job (mapping_backend.h).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/ref.h"
#include "core/result.h"
#include "core/vector.h"
#include "core/vm/mapping_backend.h"
#include "core/vm/memory_object.h"
#include "core/vm/page_table.h"

namespace tessera::posix {

enum class Access : uint8_t { Read, Write, Execute };

enum class FaultResult : uint8_t {
    Resolved,        // the page is mapped now; restart the instruction
    NotMapped,       // no region: SIGSEGV, SEGV_MAPERR
    AccessDenied,    // a region that forbids this access: SIGSEGV, SEGV_ACCERR
    BeyondObject,    // a file mapping past the file's end: SIGBUS
    OutOfMemory,     // no frame left: the process is killed, as Linux's OOM killer would
};

struct Region {
    uint64_t start = 0; // page-aligned, inclusive
    uint64_t end = 0;   // page-aligned, exclusive
    uint32_t protection = 0; // PROT_* bits
    bool shared = false;     // MAP_SHARED: writes reach the object
    bool grows_down = false; // the stack: faults just below extend it
    Ref<MemoryObject> object; // null: private anonymous memory
    uint64_t offset = 0;      // byte offset in `object` of `start`
    uint32_t tag = 0;         // what /proc/self/maps names it (RegionTag)
};

enum RegionTag : uint32_t { TagNone = 0, TagHeap = 1, TagStack = 2 };

class AddressSpace : public RefCounted {
public:
    // The lowest address mmap hands out and the top below which it places mappings.
    static constexpr uint64_t MmapLowest = 0x10000;
    static constexpr uint64_t UserTop = 0x7ffffffff000; // seL4_UserTop, Linux's TASK_SIZE
    static constexpr uint64_t MaxRegions = 65530;       // Linux's vm.max_map_count

    AddressSpace(FramePool& frames, MappingBackend& backend, HardwareSpace* hardware);
    ~AddressSpace() override;

    // mmap: `length` bytes at `hint` (exactly there with `fixed`, replacing what is there; as
    // near as possible otherwise) backed by `object` from `offset` or by fresh zeroed memory.
    // EINVAL for bad arguments, ENOMEM when no room or too many regions, EEXIST for
    // fixed_noreplace over a mapping.
    enum class Placement : uint8_t { Hint, Fixed, FixedNoReplace };
    Result<uint64_t> map(uint64_t hint, uint64_t length, uint32_t protection, bool shared,
                         Ref<MemoryObject> object, uint64_t offset, Placement placement,
                         uint32_t tag = TagNone);
    // munmap (EINVAL for a misaligned start or length 0; nothing mapped there is fine).
    Result<void> unmap(uint64_t start, uint64_t length);
    // mprotect: ENOMEM when part of the range is unmapped.
    Result<void> protect(uint64_t start, uint64_t length, uint32_t protection);
    // mremap with Linux's rules for MREMAP_MAYMOVE and MREMAP_FIXED.
    Result<uint64_t> remap(uint64_t old_start, uint64_t old_length, uint64_t new_length,
                           uint32_t flags, uint64_t new_start);
    // madvise(MADV_DONTNEED): private pages go back to zero (or to the file's contents).
    Result<void> discard(uint64_t start, uint64_t length);

    // brk: the program break; `requested` 0 asks. A break below the start or where it would
    // collide with a mapping is refused by returning the old break, as Linux does.
    void set_break_start(uint64_t start);
    uint64_t set_break(uint64_t requested);
    uint64_t break_start() const { return break_start_; }
    uint64_t break_end() const { return break_end_; }

    // A page fault at `vaddr`, or the server's own access on the program's behalf.
    FaultResult fault(uint64_t vaddr, Access access);

    // The server's access to user memory: EFAULT when any byte is not accessible as asked.
    Result<void> read(uint64_t address, void* destination, size_t length);
    Result<void> write(uint64_t address, const void* source, size_t length);
    Result<void> fill(uint64_t address, uint8_t value, size_t length);
    // A NUL-terminated string of at most `capacity` - 1 bytes: ENAMETOOLONG when longer.
    Result<size_t> read_string(uint64_t address, char* destination, size_t capacity);
    // The bytes of the page containing `address` for direct access (after a successful fault).
    uint8_t* page_bytes(uint64_t address, Access access);

    // fork: `child` (empty) gets every region; private pages are shared copy-on-write, shared
    // pages are shared. ENOMEM when the child's tables or mappings cannot be made.
    Result<void> duplicate_into(AddressSpace& child);
    // Removes every region and page (execve's old image, exit).
    void clear();

    const Vector<Region>& regions() const { return regions_; }
    const Region* region_at(uint64_t vaddr) const;
    HardwareSpace* hardware() const { return hardware_; }
    size_t resident_pages() const { return resident_; }
    // Bytes of private writable memory (what /proc/meminfo calls committed).
    uint64_t mapped_bytes() const;

private:
    size_t find_index(uint64_t vaddr) const; // first region with end > vaddr
    Result<uint64_t> find_free(uint64_t hint, uint64_t length) const;
    bool range_is_free(uint64_t start, uint64_t end) const;
    // Splits regions so that `at` is a boundary; false when memory for the split runs out.
    bool split_at(uint64_t at);
    void remove_range(uint64_t start, uint64_t end);
    void drop_page(uint64_t vaddr, PageEntry& entry);
    // Takes write access away from a mapped page (protect, or unmap when that fails).
    void make_read_only(uint64_t vaddr, PageEntry& entry);
    Result<void> install(uint64_t vaddr, PageEntry& entry, Frame* frame, bool private_copy,
                         Writable writable);
    // Calls f(bytes, length) for each page-sized piece of [address, address + length) once the
    // page allows `access`; EFAULT at the first that does not (or when the range wraps).
    template <class F> Result<void> each_chunk(uint64_t address, size_t length, Access access, F&& f);
    FaultResult break_copy_on_write(uint64_t vaddr, PageEntry& entry, const Region& region);
    void merge_neighbours();

    FramePool& frames_;
    MappingBackend& backend_;
    HardwareSpace* hardware_;
    Vector<Region> regions_;
    PageTable pages_;
    size_t resident_ = 0;
    uint64_t break_start_ = 0;
    uint64_t break_end_ = 0;
};

} // namespace tessera::posix

// The server's record of one process's pages: for each virtual page that has a frame, the frame,
// the hardware mapping's handle and what the entry allows. A four-level radix tree over the
// 47-bit user half, nodes made on demand, so lookups cost four loads and sparse spaces stay small.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/vm/frame.h"

namespace tessera::posix {

struct PageEntry {
    Frame* frame = nullptr;
    uint64_t mapping = 0;      // the hardware mapping; 0 while the page is not mapped
    bool mapped_writable = false;
    // The frame is this address space's own copy (anonymous memory, or a private page written
    // since): a write may reuse it when nobody else holds it. Otherwise it is a file's page.
    bool private_copy = false;
};

class PageTable {
public:
    static constexpr uint64_t UserTop = uint64_t{1} << 47;

    PageTable() = default;
    PageTable(const PageTable&) = delete;
    PageTable& operator=(const PageTable&) = delete;
    ~PageTable();

    // The entry for `vaddr`, or nullptr when none was ever made.
    PageEntry* find(uint64_t vaddr) const;
    // The entry for `vaddr`, made if needed; nullptr when memory for the tree runs out.
    PageEntry* make(uint64_t vaddr);

    // Calls f(vaddr, entry) for each entry with a frame in [start, end), in address order.
    template <class F> void for_each(uint64_t start, uint64_t end, F&& f)
    {
        walk(root_, 3, 0, start, end, [](void* context, uint64_t vaddr, PageEntry& entry) {
            (*static_cast<F*>(context))(vaddr, entry);
        }, &f);
    }
    // Frees the tree's nodes (the frames must have been released already).
    void clear();
    size_t node_count() const { return nodes_; }

private:
    using Visit = void (*)(void* context, uint64_t vaddr, PageEntry& entry);
    struct Node;
    void walk(Node* node, int level, uint64_t base, uint64_t start, uint64_t end, Visit visit,
              void* context);
    void free_node(Node* node, int level);

    Node* root_ = nullptr;
    size_t nodes_ = 0;
};

} // namespace tessera::posix

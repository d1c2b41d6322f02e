// Four levels of 512 slots (bits 39..47, 30..38, 21..29, 12..20 of the address), as x86_64's own
// tables, so the tree has the shape of the hardware's and the same locality.
#include "core/vm/page_table.h"

#include <stdlib.h>

#include <new>

namespace tessera::posix {

namespace {
constexpr unsigned Fanout = 512;
constexpr unsigned index_at(uint64_t vaddr, int level) { return (vaddr >> (12 + 9 * level)) & 511; }
constexpr uint64_t span_of(int level) { return uint64_t{1} << (12 + 9 * level); }
} // namespace

struct PageTable::Node {
    union Slot {
        Node* child;
        PageEntry* leaf;
    } slots[Fanout];
};

PageTable::~PageTable() { clear(); }

PageEntry* PageTable::find(uint64_t vaddr) const
{
    if (vaddr >= UserTop || root_ == nullptr)
        return nullptr;
    Node* node = root_;
    for (int level = 3; level > 1; --level) {
        node = node->slots[index_at(vaddr, level)].child;
        if (node == nullptr)
            return nullptr;
    }
    PageEntry* leaf = node->slots[index_at(vaddr, 1)].leaf;
    return leaf == nullptr ? nullptr : &leaf[index_at(vaddr, 0)];
}

PageEntry* PageTable::make(uint64_t vaddr)
{
    if (vaddr >= UserTop)
        return nullptr;
    if (root_ == nullptr) {
        root_ = static_cast<Node*>(calloc(1, sizeof(Node)));
        if (root_ == nullptr)
            return nullptr;
        ++nodes_;
    }
    Node* node = root_;
    for (int level = 3; level > 1; --level) {
        Node*& child = node->slots[index_at(vaddr, level)].child;
        if (child == nullptr) {
            child = static_cast<Node*>(calloc(1, sizeof(Node)));
            if (child == nullptr)
                return nullptr;
            ++nodes_;
        }
        node = child;
    }
    PageEntry*& leaf = node->slots[index_at(vaddr, 1)].leaf;
    if (leaf == nullptr) {
        leaf = new (std::nothrow) PageEntry[Fanout];
        if (leaf == nullptr)
            return nullptr;
        ++nodes_;
    }
    return &leaf[index_at(vaddr, 0)];
}

void PageTable::walk(Node* node, int level, uint64_t base, uint64_t start, uint64_t end,
                     Visit visit, void* context)
{
    if (node == nullptr)
        return;
    for (unsigned i = 0; i < Fanout; ++i) {
        const uint64_t low = base + i * span_of(level);
        const uint64_t high = low + span_of(level);
        if (high <= start || low >= end || node->slots[i].child == nullptr)
            continue;
        if (level > 1) {
            walk(node->slots[i].child, level - 1, low, start, end, visit, context);
            continue;
        }
        PageEntry* leaf = node->slots[i].leaf;
        for (unsigned j = 0; j < Fanout; ++j) {
            const uint64_t vaddr = low + j * PageSize;
            if (vaddr >= start && vaddr < end && leaf[j].frame != nullptr)
                visit(context, vaddr, leaf[j]);
        }
    }
}

void PageTable::free_node(Node* node, int level)
{
    if (node == nullptr)
        return;
    for (unsigned i = 0; i < Fanout; ++i) {
        if (node->slots[i].child == nullptr)
            continue;
        if (level > 1)
            free_node(node->slots[i].child, level - 1);
        else
            delete[] node->slots[i].leaf;
    }
    free(node);
}

void PageTable::clear()
{
    free_node(root_, 3);
    root_ = nullptr;
    nodes_ = 0;
}

} // namespace tessera::posix

// The open-inode table: a small array searched linearly (a service holds tens of inodes).
#include "open_table.h"

#include <new>

namespace tessera::ext2 {

OpenTable* OpenTable::create(Arena& arena, uint32_t capacity)
{
    void* place = arena.allocate(sizeof(OpenTable), alignof(OpenTable));
    Slot* slots = arena.allocate_array<Slot>(capacity);
    if (place == nullptr || slots == nullptr)
        return nullptr;
    OpenTable* table = new (place) OpenTable;
    for (uint32_t i = 0; i < capacity; ++i)
        new (&slots[i]) Slot{};
    table->slots_ = slots;
    table->capacity_ = capacity;
    return table;
}

OpenTable::Slot* OpenTable::find(InodeNumber inode) const
{
    for (uint32_t i = 0; i < capacity_; ++i)
        if (slots_[i].inode == raw(inode))
            return &slots_[i];
    return nullptr;
}

Result<void> OpenTable::hold(InodeNumber inode)
{
    Slot* slot = find(inode);
    if (slot == nullptr)
        slot = find(InodeNumber{0});
    if (slot == nullptr)
        return Errno::NFile;
    slot->inode = raw(inode);
    ++slot->holds;
    return {};
}

Result<OpenTable::Last> OpenTable::release(InodeNumber inode)
{
    Slot* slot = find(inode);
    if (slot == nullptr || raw(inode) == 0)
        return Errno::BadF;
    if (--slot->holds > 0)
        return Last::No;
    bool orphan = slot->orphan;
    *slot = Slot{};
    return orphan ? Last::Orphan : Last::Yes;
}

void OpenTable::mark_orphan(InodeNumber inode)
{
    Slot* slot = find(inode);
    if (slot != nullptr)
        slot->orphan = true;
}

bool OpenTable::is_orphan(InodeNumber inode) const
{
    Slot* slot = find(inode);
    return slot != nullptr && slot->orphan;
}

uint32_t OpenTable::held_count() const
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < capacity_; ++i)
        count += slots_[i].inode != 0;
    return count;
}

} // namespace tessera::ext2

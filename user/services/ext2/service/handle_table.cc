#include "handle_table.h"

namespace tessera::services::ext2 {

int64_t HandleTable::add(tessera::ext2::InodeNumber inode, uint32_t generation, uint32_t flags)
{
    for (unsigned i = 0; i < Capacity; ++i) {
        if (slots_[i].inode == 0) {
            slots_[i] = HandleSlot{raw(inode), generation, flags, 0};
            return i;
        }
    }
    return -1;
}

HandleSlot* HandleTable::find(uint64_t handle)
{
    if (handle >= Capacity || slots_[handle].inode == 0)
        return nullptr;
    return &slots_[handle];
}

} // namespace tessera::services::ext2

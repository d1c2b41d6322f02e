// A fixed-capacity set of object pointers that remembers insertion order: the checker's only
// storage, since the kernel has no heap. Open addressing keeps membership tests O(1).
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/types.h"

namespace tessera::core {

enum class Insertion { Added, AlreadyPresent, Full };

template <class T, size_t Capacity> class PointerSet {
    static_assert((Capacity & (Capacity - 1)) == 0, "capacity is a power of two");

public:
    static constexpr size_t capacity = Capacity;
    static constexpr size_t NotFound = ~size_t{0};

    void clear()
    {
        count_ = 0;
        for (auto& entry : table_)
            entry = 0;
    }
    size_t size() const { return count_; }
    T* at(size_t index) const { return items_[index]; }

    Insertion insert(T* item)
    {
        size_t position = home(item);
        while (table_[position] != 0) {
            if (items_[table_[position] - 1] == item)
                return Insertion::AlreadyPresent;
            position = (position + 1) & (TableSize - 1);
        }
        if (count_ == Capacity)
            return Insertion::Full;
        items_[count_] = item;
        table_[position] = static_cast<uint32_t>(++count_);
        return Insertion::Added;
    }

    size_t index_of(const T* item) const
    {
        size_t position = home(item);
        while (table_[position] != 0) {
            if (items_[table_[position] - 1] == item)
                return table_[position] - 1;
            position = (position + 1) & (TableSize - 1);
        }
        return NotFound;
    }
    bool contains(const T* item) const { return index_of(item) != NotFound; }

private:
    // Twice the capacity keeps probe runs short even when the set is full.
    static constexpr size_t TableSize = 2 * Capacity;
    static size_t home(const T* item)
    {
        // Objects are at least 16-byte aligned; Fibonacci hashing spreads the remaining bits.
        Word key = reinterpret_cast<Word>(item) >> 4;
        return static_cast<size_t>((key * 0x9e3779b97f4a7c15ull) >> 32) & (TableSize - 1);
    }

    T* items_[Capacity];
    uint32_t table_[TableSize] = {}; // 0 = empty, otherwise index + 1 into items_
    size_t count_ = 0;
};

} // namespace tessera::core

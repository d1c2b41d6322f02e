// qsort and bsearch on random arrays of several element sizes.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "tessera/libc/sort.h"

namespace libc = tessera::libc;

namespace {

// A 12-byte element: the sort must move whole elements, not words.
struct Record {
    int key;
    int serial;
    int check;
};

int compare_records(const void* left, const void* right)
{
    const int a = static_cast<const Record*>(left)->key;
    const int b = static_cast<const Record*>(right)->key;
    return (a > b) - (a < b);
}

int compare_bytes(const void* left, const void* right)
{
    return *static_cast<const unsigned char*>(left) - *static_cast<const unsigned char*>(right);
}

TEST(Sort, SortsRecordsKeepingEachRecordWhole)
{
    std::mt19937 random(5);
    for (size_t count : {0u, 1u, 2u, 3u, 10u, 100u, 1000u, 4097u}) {
        std::vector<Record> records(count);
        for (size_t i = 0; i < count; ++i) {
            const int key = static_cast<int>(random() % 50) - 25; // many duplicates
            records[i] = Record{key, static_cast<int>(i), key * 7 + 1};
        }
        std::vector<Record> sorted = records;
        libc::qsort(sorted.data(), count, sizeof(Record), compare_records);
        for (size_t i = 1; i < count; ++i)
            ASSERT_LE(sorted[i - 1].key, sorted[i].key);
        // Same multiset of records: every serial exactly once, and still matching its key.
        std::vector<bool> seen(count, false);
        for (const Record& record : sorted) {
            ASSERT_EQ(record.check, record.key * 7 + 1);
            ASSERT_EQ(records[static_cast<size_t>(record.serial)].key, record.key);
            ASSERT_FALSE(seen[static_cast<size_t>(record.serial)]);
            seen[static_cast<size_t>(record.serial)] = true;
        }
    }
}

TEST(Sort, SortsSingleBytesLikeTheStandardLibrary)
{
    std::mt19937 random(6);
    std::vector<unsigned char> bytes(3000);
    for (auto& byte : bytes)
        byte = static_cast<unsigned char>(random());
    std::vector<unsigned char> expected = bytes;
    std::sort(expected.begin(), expected.end());
    libc::qsort(bytes.data(), bytes.size(), 1, compare_bytes);
    EXPECT_EQ(bytes, expected);
}

TEST(Sort, BsearchFindsPresentKeysAndRejectsAbsentOnes)
{
    std::vector<Record> records;
    for (int key = 0; key < 200; key += 2)
        records.push_back(Record{key, key, 0});
    for (int key = -1; key <= 201; ++key) {
        const Record probe{key, 0, 0};
        auto* found = static_cast<Record*>(
            libc::bsearch(&probe, records.data(), records.size(), sizeof(Record), compare_records));
        if (key >= 0 && key < 200 && key % 2 == 0) {
            ASSERT_NE(found, nullptr) << key;
            EXPECT_EQ(found->key, key);
        } else {
            EXPECT_EQ(found, nullptr) << key;
        }
    }
    const Record probe{4, 0, 0};
    EXPECT_EQ(libc::bsearch(&probe, records.data(), 0, sizeof(Record), compare_records), nullptr);
}

} // namespace

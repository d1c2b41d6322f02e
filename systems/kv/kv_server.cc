// The key-value store (systems/kv.system), a provider of interface kv written in C++ against the
// generated kv.hpp: one member function per method, dispatched by kv::kvstore_dispatch. After
// every change it signals the event "changed" to both users.
#include <microkit.h>
#include <stdio.h>
#include <string.h>

#include "kv.hpp"

namespace {

constexpr size_t Capacity = 16;

struct Entry {
    bool used;
    char key[KV_PUT_KEY_BOUND + 1];
    kv::Kind kind;
    uint64_t number;
    uint8_t blob[KV_PUT_BLOB_DATA_BOUND];
    size_t blob_length;
};

class Store {
public:
    kv::Status put(microkit_channel, const char* key, uint64_t value, bool replace)
    {
        Entry* entry = find(key);
        if (entry != nullptr && !replace)
            return kv::Status::exists;
        if (entry == nullptr && (entry = make(key)) == nullptr)
            return kv::Status::full;
        entry->kind = kv::Kind::number;
        entry->number = value;
        changed();
        return kv::Status::ok;
    }

    kv::Status get(microkit_channel, const char* key, uint64_t& value)
    {
        const Entry* entry = find(key);
        if (entry == nullptr)
            return kv::Status::not_found;
        if (entry->kind != kv::Kind::number)
            return kv::Status::wrong_kind;
        value = entry->number;
        return kv::Status::ok;
    }

    kv::Status remove(microkit_channel, const char* key)
    {
        Entry* entry = find(key);
        if (entry == nullptr)
            return kv::Status::not_found;
        entry->used = false;
        changed();
        return kv::Status::ok;
    }

    kv::Status count(microkit_channel, uint32_t& result)
    {
        result = 0;
        for (const Entry& entry : entries_)
            result += entry.used ? 1 : 0;
        return kv::Status::ok;
    }

    kv::Status describe(microkit_channel, const char* key, kv::Kind& kind, uint32_t& result)
    {
        const Entry* entry = find(key);
        if (entry == nullptr)
            return kv::Status::not_found;
        kind = entry->kind;
        result = static_cast<uint32_t>(entry->kind == kv::Kind::number ? sizeof entry->number : entry->blob_length);
        return kv::Status::ok;
    }

    kv::Status add(microkit_channel, const char* key, int64_t delta, int64_t& result)
    {
        Entry* entry = find(key);
        if (entry == nullptr)
            return kv::Status::not_found;
        if (entry->kind != kv::Kind::number)
            return kv::Status::wrong_kind;
        entry->number += static_cast<uint64_t>(delta);
        result = static_cast<int64_t>(entry->number);
        changed();
        return kv::Status::ok;
    }

    kv::Status put_blob(microkit_channel, uint8_t*, const char* key, const uint8_t* data, size_t data_length)
    {
        Entry* entry = find(key);
        if (entry == nullptr && (entry = make(key)) == nullptr)
            return kv::Status::full;
        entry->kind = kv::Kind::blob;
        memcpy(entry->blob, data, data_length);
        entry->blob_length = data_length;
        changed();
        return kv::Status::ok;
    }

    kv::Status get_blob(microkit_channel, uint8_t*, const char* key, uint8_t (&data)[KV_GET_BLOB_DATA_BOUND],
                        size_t& data_length)
    {
        const Entry* entry = find(key);
        if (entry == nullptr)
            return kv::Status::not_found;
        if (entry->kind != kv::Kind::blob)
            return kv::Status::wrong_kind;
        memcpy(data, entry->blob, entry->blob_length);
        data_length = entry->blob_length;
        return kv::Status::ok;
    }

private:
    Entry* find(const char* key)
    {
        for (Entry& entry : entries_)
            if (entry.used && strcmp(entry.key, key) == 0)
                return &entry;
        return nullptr;
    }

    Entry* make(const char* key)
    {
        for (Entry& entry : entries_)
            if (!entry.used) {
                entry.used = true;
                strcpy(entry.key, key); // the dispatcher checked it fits
                return &entry;
            }
        return nullptr;
    }

    // Both users learn of the change when they next run; a notification carries no data.
    void changed() { kv::kvstore_broadcast_changed(); }

    Entry entries_[Capacity];
};

Store store;

} // namespace

void init(void)
{
    printf("kvstore: serving interface kv on channels %#lx (%zu keys)\n",
           static_cast<unsigned long>(KV_KVSTORE_CHANNELS), Capacity);
}

void notified(microkit_channel)
{
}

// `protected` is a C++ keyword: the entry point gets its C name through an asm label.
extern "C" microkit_msginfo protected_procedure(microkit_channel ch, microkit_msginfo msginfo) __asm__("protected");

microkit_msginfo protected_procedure(microkit_channel ch, microkit_msginfo msginfo)
{
    return kv::kvstore_dispatch(store, ch, msginfo);
}

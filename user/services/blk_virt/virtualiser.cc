// The block virtualiser.
#include "virtualiser.h"

#include <string.h>

namespace tessera::services::blk_virt {
namespace {

using queue::BlockClientEnd;
using queue::BlockServerEnd;
using queue::QueueStatus;

constexpr uint64_t BlockBytes = TESSERA_BLK_BLOCK_SIZE;
constexpr uint64_t ScratchBytes = MaxEntryArrayBytes + 2 * BlockBytes;

uint32_t load_acquire(const uint32_t* word) { return __atomic_load_n(word, __ATOMIC_ACQUIRE); }
void store_release(uint32_t* word, uint32_t value) { __atomic_store_n(word, value, __ATOMIC_RELEASE); }

} // namespace

bool Virtualiser::init(const ClientConfig* clients, unsigned count, void* driver_queue_region,
                       uint32_t driver_capacity, const DmaBuffer& scratch, Signal signal, void* context,
                       const char** why)
{
    auto fail = [&](const char* reason) {
        if (why != nullptr)
            *why = reason;
        return false;
    };
    if (count > MaxClients)
        return fail("more clients than the virtualiser serves (16)");
    if (!queue::is_valid_block_capacity(driver_capacity) || driver_capacity > MaxDriverSlots)
        return fail("the driver queue capacity is not a power of two from 4 to 1024");
    if (scratch.base == nullptr || scratch.bytes < ScratchBytes)
        return fail("the scratch buffer for the partition table is smaller than 72 KiB");
    for (unsigned i = 0; i < count; ++i)
        if (clients[i].queue_region == nullptr || !queue::is_valid_block_capacity(clients[i].capacity))
            return fail("a client's queue region is missing or its capacity is not a power of two >= 4");
    client_count_ = count;
    driver_ = queue::BlockQueueLayout(driver_queue_region, driver_capacity);
    slot_count_ = driver_capacity;
    slots_used_ = 0;
    memset(slots_, 0, sizeof slots_);
    scratch_ = scratch;
    signal_ = signal;
    context_ = context;
    phase_ = Phase::WaitingForDriver;
    driver_generation_ = 0;
    driver_restarts_ = 0;
    resent_ = 0;
    next_client_ = 0;
    for (unsigned i = 0; i < count; ++i) {
        clients_[i] = Client{};
        clients_[i].config = clients[i];
        clients_[i].layout = queue::BlockQueueLayout(clients[i].queue_region, clients[i].capacity);
        publish_client_info(clients_[i], TESSERA_BLK_STATE_STARTING, "", 0);
    }
    return true;
}

void Virtualiser::publish_client_info(Client& client, uint32_t state, const char* name, uint64_t blocks)
{
    tessera_blk_info* info = client.layout.info;
    store_release(&info->state, TESSERA_BLK_STATE_STARTING);
    info->capacity = blocks;
    info->max_count = max_count_;
    info->flags = client.read_only ? TESSERA_BLK_FLAG_READ_ONLY : 0;
    memset(info->name, 0, sizeof info->name);
    strncpy(info->name, name, sizeof info->name - 1);
    // A new disk starts a new generation; a failed one keeps the last (nothing to resend).
    if (state == TESSERA_BLK_STATE_READY) {
        client.generation = info->server_generation + 1;
        if (client.generation == info->client_generation)
            ++client.generation;
        store_release(&info->server_generation, client.generation);
        client.acknowledged = false;
    }
    store_release(&info->magic, TESSERA_BLK_INFO_MAGIC);
    store_release(&info->state, state);
}

int Virtualiser::free_slot() const
{
    for (uint32_t i = 0; i < slot_count_; ++i)
        if (!slots_[i].used)
            return int(i);
    return -1;
}

bool Virtualiser::send(const tessera_blk_request& request, uint32_t slot)
{
    BlockClientEnd driver(driver_);
    tessera_blk_request sent = request;
    sent.id = slot;
    // Never full: at most slot_count_ requests are outstanding and the queue holds that many.
    return driver.requests.push(sent) == QueueStatus::Ok;
}

bool Virtualiser::driver_handshake()
{
    tessera_blk_info* info = driver_.info;
    if (load_acquire(&info->magic) != TESSERA_BLK_INFO_MAGIC)
        return false;
    const uint32_t state = load_acquire(&info->state);
    if (state == TESSERA_BLK_STATE_STARTING)
        return false;
    const uint32_t generation = load_acquire(&info->server_generation);
    if (generation != driver_generation_) {
        const bool restart = driver_generation_ != 0;
        // Answers the previous instance gave before it stopped are real: use them first.
        if (restart)
            take_driver_responses();
        queue::reset_block_queues(driver_);
        driver_generation_ = generation;
        store_release(&info->client_generation, generation);
        acknowledge_driver_ = true;
        if (state == TESSERA_BLK_STATE_FAILED) {
            fail_everything();
            return false;
        }
        if (!restart) {
            disk_blocks_ = info->capacity;
            max_count_ = info->max_count;
            disk_read_only_ = (info->flags & TESSERA_BLK_FLAG_READ_ONLY) != 0;
            phase_ = Phase::ReadingTable;
            need_ = reader_.start(disk_blocks_);
            if (need_.done)
                start_serving();
            else
                read_table_blocks();
        } else {
            // Everything the lost instance held goes to the new one, in slot order.
            ++driver_restarts_;
            for (uint32_t i = 0; i < slot_count_; ++i)
                if (slots_[i].used && send(slots_[i].request, i))
                    ++resent_;
        }
    }
    return phase_ != Phase::DriverFailed;
}

void Virtualiser::fail_everything()
{
    phase_ = Phase::DriverFailed;
    for (uint32_t i = 0; i < slot_count_; ++i)
        if (slots_[i].used)
            finish_slot(i, TESSERA_BLK_ERROR_NO_DEVICE, 0);
    for (unsigned i = 0; i < client_count_; ++i) {
        clients_[i].problem = "the disk failed";
        clients_[i].ready = false;
        publish_client_info(clients_[i], TESSERA_BLK_STATE_FAILED, "the disk failed", 0);
        wake_client_[i] = true;
    }
}

void Virtualiser::read_table_blocks()
{
    // The table's blocks in as few requests as max_count allows, into the scratch buffer.
    table_read_failed_ = false;
    const uint32_t per_request = max_count_ == 0 ? 1 : max_count_;
    for (uint32_t done = 0; done < need_.blocks;) {
        const uint32_t count = need_.blocks - done < per_request ? need_.blocks - done : per_request;
        const int slot = free_slot();
        if (slot < 0)
            return; // cannot happen: the table needs at most 18 blocks, few requests
        const tessera_blk_request request{TESSERA_BLK_READ, count, need_.first_block + done,
                                          scratch_.bus + done * BlockBytes, 0, 0};
        slots_[slot] = Slot{true, true, 0, 0, request};
        ++slots_used_;
            (void)send(request, uint32_t(slot));
        ++table_reads_pending_;
        done += count;
    }
}

void Virtualiser::start_serving()
{
    unsigned with_disk = 0;
    for (unsigned i = 0; i < client_count_; ++i) {
        Client& client = clients_[i];
        Partition whole;
        const char* why = nullptr;
        const Partition* partition = reader_.find(client.config.partition, whole, &why);
        client.read_only = disk_read_only_ || client.config.read_only;
        if (partition == nullptr) {
            client.problem = why;
            publish_client_info(client, TESSERA_BLK_STATE_FAILED, why, 0);
        } else {
            client.first_block = partition->first_block();
            client.blocks = partition->blocks();
            if (client.first_block > disk_blocks_ || client.blocks > disk_blocks_ - client.first_block)
                client.blocks = client.first_block > disk_blocks_ ? 0 : disk_blocks_ - client.first_block;
            client.ready = true;
            ++with_disk;
            publish_client_info(client, TESSERA_BLK_STATE_READY,
                                partition->name[0] ? partition->name : client.config.partition, client.blocks);
        }
        wake_client_[i] = true;
    }
    // A fair share of the driver's slots each, so one client's storm cannot hold them all.
    per_client_limit_ = with_disk == 0 ? slot_count_ : slot_count_ / with_disk;
    if (per_client_limit_ == 0)
        per_client_limit_ = 1;
    phase_ = Phase::Serving;
}

void Virtualiser::finish_slot(uint32_t index, uint32_t status, uint32_t completed)
{
    Slot& slot = slots_[index];
    slot.used = false;
    --slots_used_;
    if (slot.internal) {
        table_read_failed_ = table_read_failed_ || status != TESSERA_BLK_OK;
        if (--table_reads_pending_ != 0 || phase_ != Phase::ReadingTable)
            return;
        if (table_read_failed_) {
            reader_.read_failed();
            start_serving();
            return;
        }
        need_ = reader_.feed(scratch_.base, need_.first_block, need_.blocks);
        if (need_.done)
            start_serving();
        else
            read_table_blocks();
        return;
    }
    Client& client = clients_[slot.client];
    --client.outstanding;
    if (status == TESSERA_BLK_OK)
        ++client.stats.served;
    else
        ++client.stats.failed;
    answer(client, status, completed, slot.client_id);
}

void Virtualiser::answer(Client& client, uint32_t status, uint32_t completed, uint32_t id)
{
    if (client.broken)
        return;
    BlockServerEnd end(client.layout);
    // Room was reserved before the request was taken; only a corrupted index fails here.
    if (end.responses.push(tessera_blk_response{status, completed, id, 0}) != QueueStatus::Ok)
        client.broken = true;
}

void Virtualiser::take_driver_responses()
{
    BlockClientEnd driver(driver_);
    tessera_blk_response response;
    for (;;) {
        const QueueStatus popped = driver.responses.pop(response);
        if (popped != QueueStatus::Ok)
            break; // Empty, or a corrupt driver: wait for its restart
        if (response.id >= slot_count_ || !slots_[response.id].used)
            continue; // an answer to nothing: a confused driver, ignored
        finish_slot(response.id, response.status, response.completed);
    }
}

bool Virtualiser::client_handshake(Client& client)
{
    if (!client.acknowledged && load_acquire(&client.layout.info->client_generation) == client.generation)
        client.acknowledged = true;
    return client.acknowledged && !client.broken;
}

bool Virtualiser::client_has_room(const Client& client) const
{
    BlockServerEnd end(client.layout);
    return end.responses.size() + client.outstanding < client.layout.capacity;
}

uint32_t Virtualiser::check(const Client& client, const tessera_blk_request& request) const
{
    if (phase_ == Phase::DriverFailed || !client.ready)
        return TESSERA_BLK_ERROR_NO_DEVICE;
    switch (request.code) {
    case TESSERA_BLK_READ:
    case TESSERA_BLK_WRITE: {
        if (request.count == 0 || request.count > max_count_)
            return TESSERA_BLK_ERROR_INVALID;
        if (request.block >= client.blocks || request.count > client.blocks - request.block)
            return TESSERA_BLK_ERROR_RANGE;
        const uint64_t bytes = uint64_t(request.count) * BlockBytes;
        if (request.offset % TESSERA_BLK_SECTOR_SIZE != 0 || request.offset > client.config.data_bytes ||
            bytes > client.config.data_bytes - request.offset)
            return TESSERA_BLK_ERROR_BUFFER;
        if (request.code == TESSERA_BLK_WRITE && client.read_only)
            return TESSERA_BLK_ERROR_READ_ONLY;
        return TESSERA_BLK_OK;
    }
    case TESSERA_BLK_FLUSH:
    case TESSERA_BLK_BARRIER:
        if (request.count != 0)
            return TESSERA_BLK_ERROR_INVALID;
        return TESSERA_BLK_OK;
    default: return TESSERA_BLK_ERROR_INVALID;
    }
}

bool Virtualiser::take_client_requests()
{
    bool moved_any = false;
    for (;;) {
        bool moved = false;
        for (unsigned k = 0; k < client_count_; ++k) {
            const unsigned i = (next_client_ + k) % client_count_;
            Client& client = clients_[i];
            if (!client_handshake(client))
                continue;
            if (slots_used_ == slot_count_ || client.outstanding >= per_client_limit_ || !client_has_room(client))
                continue;
            BlockServerEnd end(client.layout);
            tessera_blk_request request;
            const QueueStatus popped = end.requests.pop(request);
            if (popped == QueueStatus::Corrupt) {
                client.broken = true; // this client only: the others go on
                continue;
            }
            if (popped != QueueStatus::Ok)
                continue;
            moved = true;
            const uint32_t status = check(client, request);
            if (status != TESSERA_BLK_OK) {
                ++client.stats.refused;
                answer(client, status, 0, request.id);
                continue;
            }
            // Into the disk's terms: the partition's first block, the data's bus address.
            tessera_blk_request translated = request;
            if (request.code == TESSERA_BLK_READ || request.code == TESSERA_BLK_WRITE) {
                translated.block = client.first_block + request.block;
                translated.offset = client.config.data_bus + request.offset;
            } else {
                translated.block = 0;
                translated.offset = 0;
            }
            const int slot = free_slot();
            slots_[slot] = Slot{true, false, uint8_t(i), request.id, translated};
            ++slots_used_;
            ++client.outstanding;
            (void)send(translated, uint32_t(slot));
        }
        // The next pass starts one client later, so nobody always goes first.
        next_client_ = client_count_ == 0 ? 0 : (next_client_ + 1) % client_count_;
        if (!moved)
            return moved_any;
        moved_any = true;
    }
}

void Virtualiser::run()
{
    for (;;) {
        const bool driver_up = driver_handshake();
        if (driver_up)
            take_driver_responses();
        if (phase_ == Phase::Serving || phase_ == Phase::DriverFailed)
            (void)take_client_requests();

        // Handshakes and state changes are always signalled; queue traffic only to a side that
        // sleeps (the queues' own suppression).
        BlockClientEnd driver(driver_);
        if (acknowledge_driver_) {
            acknowledge_driver_ = false;
            signal_(context_, DriverEnd);
        } else if (driver_up) {
            driver.requests.publish([&] { signal_(context_, DriverEnd); });
            driver.responses.publish([&] { signal_(context_, DriverEnd); });
        }
        for (unsigned i = 0; i < client_count_; ++i) {
            BlockServerEnd end(clients_[i].layout);
            bool signalled = false;
            auto signal = [&] {
                if (!signalled)
                    signal_(context_, i);
                signalled = true;
            };
            if (wake_client_[i]) {
                wake_client_[i] = false;
                signal();
            }
            end.responses.publish(signal);
            end.requests.publish(signal);
        }

        // Sleep when every source of work will signal: the driver (answers owed), each client
        // (its queue drained, or its answer queue full with nothing owed to it).
        bool quiet = slots_used_ == 0 || driver.responses.prepare_to_sleep();
        for (unsigned i = 0; quiet && i < client_count_; ++i) {
            Client& client = clients_[i];
            if (!client_handshake(client))
                continue;
            BlockServerEnd end(client.layout);
            if (!client_has_room(client))
                quiet = client.outstanding != 0 || end.responses.prepare_to_sleep();
            else if (client.outstanding >= per_client_limit_ || slots_used_ == slot_count_)
                quiet = true; // the driver's answers wake this side
            else
                quiet = end.requests.prepare_to_sleep();
        }
        if (quiet)
            return;
    }
}

} // namespace tessera::services::blk_virt

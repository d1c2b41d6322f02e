// The block virtualiser's logic, free of kernel calls so the host tests run it: one driver
// connection (this side is its client), several client connections (this side is their server),
// each client confined to its partition. Client requests are checked and translated (partition
// offset added to the block, data-region offset turned into a bus address) before the driver
// sees them; clients take turns; a restarted driver gets every outstanding request again, so no
// client request is lost and each is answered exactly once.
#pragma once

#include <tessera/queue/block_queues.h>

#include "partition_table.h"

namespace tessera::services::blk_virt {

constexpr unsigned MaxClients = 16;
constexpr unsigned MaxDriverSlots = 1024;

struct ClientConfig {
    void* queue_region;      // the client's queue region, mapped here
    uint32_t capacity;       // its queue capacity
    uint64_t data_bytes;     // the client's data region size
    uint64_t data_bus;       // its bus (physical) address: it is contiguous
    const char* partition;   // "disk", "mbr:N", "gpt:NAME", "gpt#N"
    bool read_only;          // refuse this client's writes whatever the disk allows
};

struct DmaBuffer {
    uint8_t* base;
    uint64_t bus;
    uint64_t bytes;
};

struct ClientStats {
    uint64_t served = 0;    // answered OK
    uint64_t refused = 0;   // answered with an error found here
    uint64_t failed = 0;    // answered with the driver's error
};

class Virtualiser {
public:
    // who: the client index, or DriverEnd for the driver.
    static constexpr unsigned DriverEnd = ~0u;
    using Signal = void (*)(void* context, unsigned who);

    // Sets everything up; touches the clients' info pages (state STARTING) and nothing of the
    // driver's. `scratch` receives the partition table (at least 72 KiB). Returns false with a
    // reason for a configuration the virtualiser cannot run (bad capacity, too many clients).
    bool init(const ClientConfig* clients, unsigned count, void* driver_queue_region,
              uint32_t driver_capacity, const DmaBuffer& scratch, Signal signal, void* context,
              const char** why);

    // Does all work possible now; returns when both the driver and every client will signal
    // before there is more to do.
    void run();

    bool is_serving() const { return phase_ == Phase::Serving; }
    const PartitionTable& partitions() const { return reader_.table(); }
    const ClientStats& stats(unsigned client) const { return clients_[client].stats; }
    // Client i wrote an impossible queue index: it gets no more service (the others go on).
    bool client_broken(unsigned client) const { return clients_[client].broken; }
    // Why client i has no disk (nullptr if it has one).
    const char* client_problem(unsigned client) const { return clients_[client].problem; }
    uint64_t client_first_block(unsigned client) const { return clients_[client].first_block; }
    uint64_t client_blocks(unsigned client) const { return clients_[client].blocks; }
    unsigned driver_restarts() const { return driver_restarts_; }
    uint64_t resent() const { return resent_; }

private:
    enum class Phase : uint8_t { WaitingForDriver, ReadingTable, Serving, DriverFailed };

    struct Client {
        ClientConfig config;
        queue::BlockQueueLayout layout{nullptr, 4};
        uint64_t first_block = 0, blocks = 0;
        bool read_only = false;
        bool ready = false;       // its info page says READY
        bool acknowledged = false; // it answered the handshake
        bool broken = false;      // it corrupted a queue index
        const char* problem = nullptr;
        uint32_t generation = 0;
        uint32_t outstanding = 0; // at the driver
        ClientStats stats;
    };

    // A request at the driver; its index is the id the driver sees.
    struct Slot {
        bool used;
        bool internal;            // a partition-table read of the virtualiser's own
        uint8_t client;
        uint32_t client_id;
        tessera_blk_request request; // as sent to the driver
    };

    bool driver_handshake();
    void take_driver_responses();
    void finish_slot(uint32_t slot, uint32_t status, uint32_t completed);
    bool send(const tessera_blk_request& request, uint32_t slot);
    int free_slot() const;
    void read_table_blocks();
    void start_serving();
    void publish_client_info(Client& client, uint32_t state, const char* name, uint64_t blocks);
    bool client_handshake(Client& client);
    bool take_client_requests(); // true if some request moved
    uint32_t check(const Client& client, const tessera_blk_request& request) const;
    void answer(Client& client, uint32_t status, uint32_t completed, uint32_t id);
    bool client_has_room(const Client& client) const;
    void fail_everything();

    Client clients_[MaxClients];
    unsigned client_count_ = 0;
    queue::BlockQueueLayout driver_{nullptr, 4};
    uint32_t driver_generation_ = 0;
    uint64_t disk_blocks_ = 0;
    uint32_t max_count_ = 0;
    bool disk_read_only_ = false;
    Slot slots_[MaxDriverSlots];
    uint32_t slot_count_ = 0;
    uint32_t slots_used_ = 0;
    uint32_t per_client_limit_ = 1;
    unsigned next_client_ = 0;
    DmaBuffer scratch_{};
    Signal signal_ = nullptr;
    void* context_ = nullptr;
    bool acknowledge_driver_ = false;
    bool wake_client_[MaxClients] = {};
    Phase phase_ = Phase::WaitingForDriver;
    PartitionReader reader_;
    PartitionReader::Need need_{};
    uint32_t table_reads_pending_ = 0;
    bool table_read_failed_ = false;
    unsigned driver_restarts_ = 0;
    uint64_t resent_ = 0;
};

} // namespace tessera::services::blk_virt

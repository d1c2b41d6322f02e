// The block virtualiser protection domain (Microkit API): channel 0 to the driver, channel 1 + i
// to client i (up to 8). It maps the driver connection's and each client's queue region and a
// small DMA region for reading the partition table; it never maps a client's data: requests
// carry the data's bus address to the driver, which the device reads and writes directly.
//
// Set by the system description (docs/drivers.md, "The block virtualiser"):
//   driver_queue, driver_queue_size        the driver connection (setvar_vaddr, setvar_size)
//   scratch, scratch_paddr, scratch_size   the DMA region (at least 72 KiB)
//   clientN_queue, clientN_queue_size      client N's queue region (N = 0..7)
//   clientN_data_paddr, clientN_data_size  its data region (setvar region_paddr, region_size)
//   clientN_partition                      its disk: "disk", "mbr:N", "gpt:NAME" or "gpt#N",
//                                          with ",ro" for a read-only view (setvar string)
#include <microkit.h>
#include <stdio.h>
#include <string.h>

#include <new>

#include "virtualiser.h"

#define PATCHED __attribute__((section(".data")))

extern "C" {
PATCHED uintptr_t driver_queue = 0;
PATCHED uint64_t driver_queue_size = 0;
PATCHED uintptr_t scratch = 0;
PATCHED uint64_t scratch_paddr = 0;
PATCHED uint64_t scratch_size = 0;

// One set of variables per client slot; each must be a symbol of its own for the tool to set.
#define CLIENT_VARIABLES(n)                                                                        \
    PATCHED uintptr_t client##n##_queue = 0;                                                      \
    PATCHED uint64_t client##n##_queue_size = 0;                                                  \
    PATCHED uint64_t client##n##_data_paddr = 0;                                                  \
    PATCHED uint64_t client##n##_data_size = 0;                                                   \
    PATCHED char client##n##_partition[48] = "";
CLIENT_VARIABLES(0)
CLIENT_VARIABLES(1)
CLIENT_VARIABLES(2)
CLIENT_VARIABLES(3)
CLIENT_VARIABLES(4)
CLIENT_VARIABLES(5)
CLIENT_VARIABLES(6)
CLIENT_VARIABLES(7)
#undef CLIENT_VARIABLES
}

namespace {

using namespace tessera::services::blk_virt;

constexpr microkit_channel DriverChannel = 0;
constexpr unsigned ClientSlots = 8;

struct ClientVariables {
    uintptr_t* queue;
    uint64_t* queue_size;
    uint64_t* data_paddr;
    uint64_t* data_size;
    char* partition;
};
#define CLIENT(n)                                                                                  \
    ClientVariables{&client##n##_queue, &client##n##_queue_size, &client##n##_data_paddr,          \
                    &client##n##_data_size, client##n##_partition}
const ClientVariables client_variables[ClientSlots] = {CLIENT(0), CLIENT(1), CLIENT(2), CLIENT(3),
                                                       CLIENT(4), CLIENT(5), CLIENT(6), CLIENT(7)};
#undef CLIENT

struct Component {
    Virtualiser virtualiser;
    ClientConfig clients[ClientSlots];
    char selectors[ClientSlots][48];
    unsigned client_channel[ClientSlots];
    unsigned count = 0;
    bool reported = false;
    bool broken_reported[ClientSlots] = {};
    unsigned restarts_reported = 0;
};
alignas(Component) unsigned char storage[sizeof(Component)];
Component* component = nullptr;


void signal(void*, unsigned who)
{
    if (who == Virtualiser::DriverEnd)
        microkit_notify(DriverChannel);
    else
        microkit_notify(component->client_channel[who]);
}

// Once the partition table is known: one line for it and one per client; a line per driver
// restart, and one for each client that broke its queue.
void report()
{
    Component& c = *component;
    for (unsigned i = 0; i < c.count; ++i)
        if (c.virtualiser.client_broken(i) && !c.broken_reported[i]) {
            c.broken_reported[i] = true;
            printf("%s: client %u (%s) corrupted its queue: no more service for it\n", microkit_name, i,
                   c.clients[i].partition);
        }
    if (c.virtualiser.driver_restarts() != c.restarts_reported) {
        c.restarts_reported = c.virtualiser.driver_restarts();
        printf("%s: the driver restarted: %llu requests sent again so far\n", microkit_name,
               (unsigned long long)c.virtualiser.resent());
    }
    if (c.reported || !c.virtualiser.is_serving())
        return;
    c.reported = true;
    const PartitionTable& table = c.virtualiser.partitions();
    bool whole_disk_only = true;
    for (unsigned i = 0; i < c.count; ++i)
        whole_disk_only = whole_disk_only && strcmp(c.clients[i].partition, "disk") == 0;
    // A disk whose clients all take it whole needs no table: only say which layout was found.
    if (table.scheme == Scheme::None && whole_disk_only)
        printf("%s: whole disk, no partition table read\n", microkit_name);
    else if (table.scheme == Scheme::None)
        printf("%s: no usable partition table: %s%s\n", microkit_name, table.problem ? table.problem : "none found",
               table.used_backup ? " (the backup GPT too)" : "");
    else
        printf("%s: %s%s, %u partitions\n", microkit_name, table.scheme == Scheme::Gpt ? "GPT" : "MBR",
               table.used_backup ? " (primary corrupt, backup used)" : "", table.count);
    for (unsigned i = 0; i < c.count; ++i) {
        if (const char* problem = c.virtualiser.client_problem(i))
            printf("%s: client %u (%s): no disk: %s\n", microkit_name, i, c.clients[i].partition, problem);
        else
            printf("%s: client %u (%s): blocks %llu to %llu%s\n", microkit_name, i, c.clients[i].partition,
                   (unsigned long long)c.virtualiser.client_first_block(i),
                   (unsigned long long)(c.virtualiser.client_first_block(i) + c.virtualiser.client_blocks(i) - 1),
                   c.clients[i].read_only ? ", read-only" : "");
    }
}

} // namespace

void init(void)
{
    component = new (storage) Component();
    Component& c = *component;
    for (unsigned slot = 0; slot < ClientSlots; ++slot) {
        const ClientVariables& v = client_variables[slot];
        if (*v.queue == 0)
            continue;
        // "gpt:data,ro": the selector, and a read-only view.
        char* selector = c.selectors[c.count];
        strncpy(selector, v.partition, sizeof c.selectors[0] - 1);
        selector[sizeof c.selectors[0] - 1] = '\0';
        bool read_only = false;
        if (char* comma = strrchr(selector, ','); comma != nullptr && strcmp(comma, ",ro") == 0) {
            *comma = '\0';
            read_only = true;
        }
        c.clients[c.count] = ClientConfig{reinterpret_cast<void*>(*v.queue), tessera_blk_queue_capacity(*v.queue_size),
                                          *v.data_size, *v.data_paddr, selector, read_only};
        c.client_channel[c.count] = 1 + slot;
        ++c.count;
    }
    const char* why = nullptr;
    const DmaBuffer buffer{reinterpret_cast<uint8_t*>(scratch), scratch_paddr, scratch_size};
    if (!c.virtualiser.init(c.clients, c.count, reinterpret_cast<void*>(driver_queue),
                            tessera_blk_queue_capacity(driver_queue_size), buffer, signal, nullptr, &why)) {
        printf("%s: cannot start: %s\n", microkit_name, why);
        component = nullptr;
        return;
    }
    c.virtualiser.run();
    report();
}

void notified(microkit_channel)
{
    if (component == nullptr)
        return;
    component->virtualiser.run();
    report();
}

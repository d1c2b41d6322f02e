// The volume on the block virtualiser: the service's channel 0 leads to it, the queue and data
// regions are mapped where the system description says (setvar_vaddr and setvar_size of
// blk_queue and blk_data). Waiting for the virtualiser is seL4_Wait on the PD's own notification
// (slot 3): the service waits inside a protected procedure, where a Recv on its endpoint would
// delete the caller's reply capability. Notifications from client channels that arrive
// meanwhile carry nothing the service acts on (clients only call).
#include <microkit.h>
#include <stdio.h>

#include <new>

#include <tessera/blk_client.h>
#include <tessera/spec.h> // TESSERA_PD_SLOT_NOTIFICATION

#include "blk_volume.h"
#include "volume_device.h"

extern "C" {
__attribute__((section(".data"))) uintptr_t blk_queue = 0;
__attribute__((section(".data"))) size_t blk_queue_size = 0;
__attribute__((section(".data"))) uintptr_t blk_data = 0;
__attribute__((section(".data"))) size_t blk_data_size = 0;
// Slots per queue, as the virtualiser's configuration has it; 0: the most that fit the region.
__attribute__((section(".data"))) uint32_t blk_queue_capacity = 0;
}

namespace tessera::services::ext2 {

namespace {

constexpr microkit_channel BlockChannel = 0;

void notify_virtualiser(void*) { microkit_notify(BlockChannel); }

void wait_for_virtualiser(void*)
{
    seL4_Word badge = 0;
    seL4_Wait(TESSERA_PD_SLOT_NOTIFICATION, &badge);
}

uint32_t queue_capacity()
{
    if (blk_queue_capacity != 0)
        return blk_queue_capacity;
    uint32_t capacity = 4;
    while (capacity < (1u << 20) && TESSERA_BLK_QUEUE_REGION_BYTES(capacity * 2) <= blk_queue_size)
        capacity *= 2;
    return TESSERA_BLK_QUEUE_REGION_BYTES(capacity) <= blk_queue_size ? capacity : 0;
}

tessera_blk_client client;
alignas(BlkVolume) uint8_t volume_place[sizeof(BlkVolume)];
BlkVolume* volume = nullptr;

} // namespace

tessera::ext2::BlockDevice* open_volume_device()
{
    // After a restart by the parent the virtualiser is still connected: the handshake in
    // connect() sees the same generation and goes on.
    if (tessera_blk_client_init(&client, reinterpret_cast<void*>(blk_queue), queue_capacity(),
                                reinterpret_cast<void*>(blk_data), blk_data_size,
                                notify_virtualiser, nullptr) != TESSERA_BLK_CLIENT_OK) {
        printf("ext2: no usable block connection (queue region %zu bytes, data region %zu)\n",
               blk_queue_size, blk_data_size);
        return nullptr;
    }
    volume = new (volume_place) BlkVolume(client, wait_for_virtualiser, nullptr);
    tessera::ext2::Result<void> connected = volume->connect();
    if (!connected) {
        printf("ext2: the disk '%s' is not usable: %s\n", volume->name(),
               tessera::ext2::errno_text(connected.error()));
        return nullptr;
    }
    return volume;
}

tessera::ext2::Access volume_access()
{
    return volume != nullptr && volume->is_read_only() ? tessera::ext2::Access::ReadOnly
                                                       : tessera::ext2::Access::ReadWrite;
}

} // namespace tessera::services::ext2

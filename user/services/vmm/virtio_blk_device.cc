// virtio-blk over a block-virtualiser connection (virtio_blk_device.h).
#include "virtio_blk_device.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

constexpr uint64_t BlockBytes = TESSERA_BLK_BLOCK_SIZE;
constexpr uint64_t SectorsPerBlock = TESSERA_BLK_SECTORS_PER_BLOCK;
constexpr uint64_t HeaderBytes = 16;

libos::Error refuse(const char* why)
{
    return libos::make_error(seL4_InvalidArgument, why);
}

void put(uint8_t* at, uint64_t value, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; ++i)
        at[i] = static_cast<uint8_t>(value >> (8 * i));
}

uint32_t min32(uint64_t a, uint64_t b)
{
    return static_cast<uint32_t>(a < b ? a : b);
}

} // namespace

libos::Result<VirtioBlkGeometry> VirtioBlkDevice::plan(const tessera_blk_client& client)
{
    if (!tessera_blk_client_ready(&client))
        return refuse("virtio-blk: the block server has no usable disk");
    // A slot: up to MaxRequestBlocks of guest data plus a partial block at each end.
    uint64_t region_blocks = client.data_size / BlockBytes;
    uint32_t slot_blocks = min32(MaxRequestBlocks + 2, tessera_blk_client_max_count(&client));
    slot_blocks = min32(slot_blocks, region_blocks);
    if (slot_blocks < 3)
        return refuse("virtio-blk: the data region or max_count holds fewer than 3 blocks");
    uint32_t slots = min32(region_blocks / slot_blocks, MaxBlkSlots);
    slots = min32(slots, client.capacity); // every request and response fits its queue
    return VirtioBlkGeometry{slots, slot_blocks};
}

VirtioBlkDevice::VirtioBlkDevice(tessera_blk_client& client, GuestRam ram,
                                 VirtioBlkGeometry geometry)
    : client_(client), ram_(ram),
      disk_{tessera_blk_client_capacity(&client) * SectorsPerBlock,
            tessera_blk_client_read_only(&client) != 0},
      slot_count_(geometry.slots), slot_blocks_(geometry.slot_blocks),
      queue_(refuse("virtio-blk: queue not started"))
{
}

uint64_t VirtioBlkDevice::features() const
{
    uint64_t features = virtio::blk::FeatureSizeMax | virtio::blk::FeatureSegMax |
                        virtio::blk::FeatureBlockSize | virtio::blk::FeatureFlush |
                        virtio::FeatureIndirectDescriptors;
    return disk_.read_only ? features | virtio::blk::FeatureReadOnly : features;
}

uint32_t VirtioBlkDevice::read_config(unsigned offset, unsigned size) const
{
    // struct virtio_blk_config: capacity, size_max, seg_max, geometry (0: none), blk_size,
    // topology (one logical block per physical block), writeback, num_queues.
    uint8_t config[ConfigBytes] = {};
    put(config + 0x00, disk_.sectors, 8);
    put(config + 0x08, BlockBytes, 4);          // size_max: a segment is at most a page
    put(config + 0x0c, slot_blocks_ - 2, 4);    // seg_max: a request fits a slot
    put(config + 0x14, BlockBytes, 4);          // blk_size
    put(config + 0x18 + 2, 1, 2);               // min_io_size, in logical blocks
    put(config + 0x22, 1, 2);                   // num_queues
    uint32_t value = 0;
    for (unsigned i = 0; i < size && offset + i < ConfigBytes; ++i)
        value |= uint32_t{config[offset + i]} << (8 * i);
    return value;
}

uint8_t* VirtioBlkDevice::slot_data(uint32_t index) const
{
    return client_.data + uint64_t{index} * slot_blocks_ * BlockBytes;
}

uint32_t VirtioBlkDevice::in_flight() const
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < slot_count_; ++i)
        count += slots_[i].state != SlotState::Free;
    return count;
}

VirtioEvent VirtioBlkDevice::start(const VirtqueueDevice& queue, uint64_t)
{
    queue_ = queue;
    broken_ = false;
    return take_requests();
}

VirtioEvent VirtioBlkDevice::notify()
{
    return take_requests();
}

void VirtioBlkDevice::reset()
{
    // Requests the server still holds keep their slots until answered (the server writes into
    // them); their answers go nowhere.
    for (uint32_t i = 0; i < slot_count_; ++i) {
        Slot& slot = slots_[i];
        if (slot.state == SlotState::Busy)
            slot.state = slot.submitted ? SlotState::Orphaned : SlotState::Free;
    }
    queue_ = refuse("virtio-blk: queue not started");
    used_ = false;
    broken_ = false;
}

VirtioEvent VirtioBlkDevice::used_event()
{
    if (broken_)
        return VirtioEvent::NeedsReset;
    bool used = used_;
    used_ = false;
    if (used && queue_ && queue_.value().driver_wants_interrupt())
        return VirtioEvent::UsedBuffers;
    return VirtioEvent::None;
}

VirtioEvent VirtioBlkDevice::take_requests()
{
    for (;;) {
        take_chains();
        // The server notifies a client only when it asked (tessera_blk_client_prepare_to_wait,
        // as every queue here works): ask while answers are awaited. Answers that came
        // meanwhile are taken now (freeing slots for chains still in the ring), not left waiting
        // for a notification that will not come.
        if (broken_ || !awaiting_answers() || tessera_blk_client_prepare_to_wait(&client_) != 0)
            break;
        take_responses();
    }
    return used_event();
}

bool VirtioBlkDevice::awaiting_answers() const
{
    for (uint32_t i = 0; i < slot_count_; ++i)
        if (slots_[i].submitted)
            return true;
    return false;
}

void VirtioBlkDevice::take_chains()
{
    while (queue_ && !broken_) {
        uint32_t free = 0;
        while (free < slot_count_ && slots_[free].state != SlotState::Free)
            ++free;
        if (free == slot_count_)
            break; // the rest waits in the ring until a response frees a slot
        Slot& slot = slots_[free];
        auto taken = queue_.value().next(slot.chain);
        if (!taken) {
            broken_ = true;
            break;
        }
        if (!taken.value())
            break;
        BlockRequest request;
        if (!parse_block_request(slot.chain, ram_, disk_, request))
            broken_ = true; // no status byte to answer in
        else
            begin(slot, request);
    }
    if (!submit_pending())
        broken_ = true;
    tessera_blk_client_publish(&client_);
}

void VirtioBlkDevice::answer(const DescriptorChain& chain, const BlockRequest& request,
                             uint8_t status, uint32_t data_written)
{
    if (status != virtio::blk::StatusOk)
        ++counters_.errors;
    ram_.data[request.status_address] = status;
    queue_.value().complete(chain.head, data_written + 1);
    used_ = true;
}

void VirtioBlkDevice::begin(Slot& slot, const BlockRequest& request)
{
    const DescriptorChain& chain = slot.chain;
    if (request.status != virtio::blk::StatusOk) {
        answer(chain, request, request.status, 0);
        return;
    }
    if (request.type == BlockRequestType::GetId) {
        // The identifier: the server's disk name, zero-padded to 20 bytes (or as much of it as
        // the driver's buffers hold).
        char id[virtio::blk::IdBytes] = {};
        const char* name = tessera_blk_client_name(&client_);
        for (unsigned i = 0; i < sizeof id && name[i] != '\0'; ++i)
            id[i] = name[i];
        uint64_t left = request.data_bytes, copied = 0;
        for (unsigned i = 0; i < chain.count && left != 0; ++i) {
            const BufferSegment& segment = chain.segments[i];
            if (!segment.device_writes)
                continue;
            uint64_t take = segment.length < left ? segment.length : left;
            memcpy(ram_.data + segment.address, id + copied, take);
            copied += take;
            left -= take;
        }
        ++counters_.identifies;
        answer(chain, request, virtio::blk::StatusOk, static_cast<uint32_t>(copied));
        return;
    }
    slot.request = request;
    slot.phase = Phase::Transfer;
    slot.submitted = false;
    if (request.type == BlockRequestType::Flush) {
        slot.code = TESSERA_BLK_FLUSH;
        slot.first_block = 0;
        slot.blocks = 0;
        slot.state = SlotState::Busy;
        ++counters_.flushes;
        return;
    }
    if (request.data_bytes > max_request_bytes()) {
        answer(chain, request, virtio::blk::StatusIoError, 0); // beyond SEG_MAX x SIZE_MAX
        return;
    }
    uint64_t start = request.sector * virtio::blk::SectorBytes;
    uint64_t end = start + request.data_bytes;
    slot.first_block = start / BlockBytes;
    slot.skip = start % BlockBytes;
    slot.blocks = static_cast<uint32_t>((end + BlockBytes - 1) / BlockBytes - slot.first_block);
    slot.state = SlotState::Busy;
    if (request.type == BlockRequestType::Read) {
        slot.code = TESSERA_BLK_READ;
        ++counters_.reads;
        return;
    }
    ++counters_.writes;
    if (slot.skip == 0 && request.data_bytes % BlockBytes == 0) {
        copy_from_guest(slot, slot_data(static_cast<uint32_t>(&slot - slots_)));
        slot.code = TESSERA_BLK_WRITE;
    } else {
        slot.phase = Phase::ReadBeforeWrite; // the partial blocks' other bytes come from disk
        slot.code = TESSERA_BLK_READ;
        ++counters_.read_modify_writes;
    }
}

bool VirtioBlkDevice::submit_pending()
{
    for (uint32_t i = 0; i < slot_count_; ++i) {
        Slot& slot = slots_[i];
        if (slot.state != SlotState::Busy || slot.submitted)
            continue;
        tessera_blk_request request{slot.code, slot.blocks, slot.first_block,
                                    uint64_t{i} * slot_blocks_ * BlockBytes, i, 0};
        int result = tessera_blk_client_submit(&client_, &request);
        if (result == TESSERA_BLK_CLIENT_FULL)
            return true; // tried again on the next notification
        if (result != TESSERA_BLK_CLIENT_OK)
            return false;
        slot.submitted = true;
    }
    return true;
}

void VirtioBlkDevice::copy_from_guest(const Slot& slot, uint8_t* to) const
{
    // The data follows the 16-byte header in the readable buffers.
    uint64_t skip = HeaderBytes, left = slot.request.data_bytes;
    for (unsigned i = 0; i < slot.chain.count && left != 0; ++i) {
        const BufferSegment& segment = slot.chain.segments[i];
        if (segment.device_writes)
            break;
        uint64_t from = skip < segment.length ? skip : segment.length;
        skip -= from;
        uint64_t take = segment.length - from < left ? segment.length - from : left;
        memcpy(to, ram_.data + segment.address + from, take);
        to += take;
        left -= take;
    }
}

void VirtioBlkDevice::copy_to_guest(const Slot& slot, const uint8_t* from) const
{
    // The data fills the writable buffers in order; the status byte is the last one after it.
    uint64_t left = slot.request.data_bytes;
    for (unsigned i = 0; i < slot.chain.count && left != 0; ++i) {
        const BufferSegment& segment = slot.chain.segments[i];
        if (!segment.device_writes)
            continue;
        uint64_t take = segment.length < left ? segment.length : left;
        memcpy(ram_.data + segment.address, from, take);
        from += take;
        left -= take;
    }
}

void VirtioBlkDevice::finish(Slot& slot, uint8_t status)
{
    uint32_t written = 0;
    if (status == virtio::blk::StatusOk && slot.request.type == BlockRequestType::Read) {
        uint32_t index = static_cast<uint32_t>(&slot - slots_);
        copy_to_guest(slot, slot_data(index) + slot.skip);
        written = static_cast<uint32_t>(slot.request.data_bytes);
    }
    slot.state = SlotState::Free;
    answer(slot.chain, slot.request, status, written);
}

void VirtioBlkDevice::handle_response(Slot& slot, const tessera_blk_response& response)
{
    slot.submitted = false;
    if (slot.state == SlotState::Orphaned) {
        slot.state = SlotState::Free; // the driver reset the device meanwhile
        return;
    }
    bool ok = response.status == TESSERA_BLK_OK && response.completed == slot.blocks;
    if (!ok) {
        finish(slot, virtio::blk::StatusIoError);
        return;
    }
    if (slot.phase == Phase::ReadBeforeWrite) {
        uint32_t index = static_cast<uint32_t>(&slot - slots_);
        copy_from_guest(slot, slot_data(index) + slot.skip);
        slot.phase = Phase::Transfer;
        slot.code = TESSERA_BLK_WRITE;
        return; // submitted by submit_pending()
    }
    finish(slot, virtio::blk::StatusOk);
}

void VirtioBlkDevice::take_responses()
{
    tessera_blk_response response;
    int taken;
    while ((taken = tessera_blk_client_take(&client_, &response)) == 1) {
        Slot* slot = response.id < slot_count_ ? &slots_[response.id] : nullptr;
        if (slot == nullptr || slot->state == SlotState::Free || !slot->submitted) {
            ++counters_.stray_responses;
            continue;
        }
        handle_response(*slot, response);
    }
    if (taken < 0)
        broken_ = true;
}

VirtioEvent VirtioBlkDevice::service()
{
    if (tessera_blk_client_restarted(&client_)) {
        if (!tessera_blk_client_connect(&client_))
            return VirtioEvent::None; // still starting: its next notification brings us back
        // The restarted server forgot every request: send them again (safe: reads, whole-block
        // writes, flushes, and a read-modify-write's current step).
        ++counters_.reconnections;
        for (uint32_t i = 0; i < slot_count_; ++i) {
            Slot& slot = slots_[i];
            slot.submitted = false;
            if (slot.state == SlotState::Orphaned)
                slot.state = SlotState::Free;
        }
    } else {
        take_responses();
    }
    return take_requests(); // submits, publishes, and reports
}

} // namespace tessera::services::vmm

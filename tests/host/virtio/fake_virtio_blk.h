// A virtio-blk device in host memory for tests: the four register windows of the modern PCI
// transport with the spec's semantics, a split queue it walks through "bus addresses" that are
// host pointers, and a RAM disk. Completion is deferred until the test calls complete(), so
// tests control ordering; faults can be injected.
#pragma once

#include <tessera/virtio/pci_transport.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

namespace tessera::virtio::test {

class FakeVirtioBlk {
public:
    explicit FakeVirtioBlk(uint64_t sectors, uint64_t features);

    Registers& common() { return common_; }
    Registers& notify() { return notify_; }
    Registers& isr() { return isr_; }
    Registers& device() { return device_config_; }
    static constexpr uint32_t NotifyMultiplier = 4;

    // Serves every chain made available so far; `limit` = at most that many (0 = all).
    // Chains are completed in the order given by `order` (indices into the waiting list).
    unsigned complete(unsigned limit = 0);
    unsigned complete_newest_first();
    size_t waiting() const { return waiting_.size(); }

    std::vector<uint8_t> disk;
    uint64_t features;
    bool refuse_features_ok = false;
    uint16_t max_queue_size = 256;
    uint32_t size_max = 0, seg_max = 0;
    // Sectors whose reads or writes fail with IOERR.
    std::function<bool(uint64_t sector, bool write)> fails = nullptr;
    // Next used entry names this id (a broken device).
    int corrupt_next_used_id = -1;

    uint8_t status = 0;
    unsigned notifications = 0, interrupts = 0, flushes = 0, resets = 0;
    std::vector<uint32_t> log; // request types in completion order
    size_t last_chain_length = 0;
    uint64_t driver_features = 0;
    uint16_t queue_vector = NoVector, config_vector = NoVector;
    bool queue_enabled = false;

private:
    class Window : public Registers {
    public:
        Window(FakeVirtioBlk& device, uint32_t length, int kind)
            : device_(device), length_(length), kind_(kind)
        {
        }
        uint32_t length() const override { return length_; }
        uint8_t read8(uint32_t offset) override { return uint8_t(device_.read(kind_, offset, 1)); }
        uint16_t read16(uint32_t offset) override { return uint16_t(device_.read(kind_, offset, 2)); }
        uint32_t read32(uint32_t offset) override { return uint32_t(device_.read(kind_, offset, 4)); }
        void write8(uint32_t offset, uint8_t v) override { device_.write(kind_, offset, 1, v); }
        void write16(uint32_t offset, uint16_t v) override { device_.write(kind_, offset, 2, v); }
        void write32(uint32_t offset, uint32_t v) override { device_.write(kind_, offset, 4, v); }

    private:
        FakeVirtioBlk& device_;
        uint32_t length_;
        int kind_;
    };
    uint64_t read(int kind, uint32_t offset, unsigned bytes);
    void write(int kind, uint32_t offset, unsigned bytes, uint32_t value);
    void reset();
    void collect();             // moves newly available heads into waiting_
    void serve(uint16_t head);  // performs one chain and posts it as used
    void maybe_interrupt(uint16_t old_used);

    Window common_, notify_, isr_, device_config_;
    uint32_t device_feature_select_ = 0, driver_feature_select_ = 0;
    uint16_t queue_size_ = 256;
    uint64_t desc_ = 0, avail_ = 0, used_ = 0;
    uint16_t last_avail_ = 0, used_index_ = 0;
    uint8_t isr_status_ = 0;
    std::deque<uint16_t> waiting_;
};

} // namespace tessera::virtio::test

// Stand-ins for the machine under the POSIX server's core in host tests: a fixed pool of frames
// (the server's untyped memory) and a backend that records what each hardware page table holds.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string.h>
#include <vector>

#include "core/vm/address_space.h"

namespace tessera::posix::test {

// A fixed number of frames; allocate() fails when they are gone, as the server's untypeds do.
class TestPool : public FramePool {
public:
    explicit TestPool(size_t count) : storage_(count)
    {
        for (auto& f : storage_) {
            f.frame.data = f.bytes;
            free_.push_back(&f.frame);
        }
    }
    Frame* allocate() override
    {
        if (free_.empty())
            return nullptr;
        Frame* frame = free_.back();
        free_.pop_back();
        memset(frame->data, 0, PageSize);
        return frame;
    }
    void free(Frame* frame) override
    {
        EXPECT_EQ(frame->references, 0u);
        free_.push_back(frame);
    }
    size_t available() const override { return free_.size(); }
    size_t total() const override { return storage_.size(); }

private:
    struct Page {
        Frame frame;
        uint8_t bytes[PageSize];
    };
    std::vector<Page> storage_;
    std::vector<Frame*> free_;
};

// What the hardware page tables of each space would hold: vaddr -> (frame, writable).
class RecordingBackend : public MappingBackend {
public:
    struct Pte {
        Frame* frame;
        bool writable;
    };
    using Table = std::map<uint64_t, Pte>;

    Result<HardwareSpace*> create_space() override
    {
        spaces_.push_back(std::make_unique<Table>());
        return reinterpret_cast<HardwareSpace*>(spaces_.back().get());
    }
    void destroy_space(HardwareSpace* space) override { EXPECT_TRUE(table(space).empty()); }
    Result<uint64_t> map(HardwareSpace* space, uint64_t vaddr, Frame& frame, Writable w) override
    {
        EXPECT_EQ(table(space).count(vaddr), 0u) << "mapped twice at " << std::hex << vaddr;
        table(space)[vaddr] = Pte{&frame, w == Writable::Yes};
        return ++next_handle_;
    }
    Result<void> protect(HardwareSpace* space, uint64_t vaddr, Frame& frame, uint64_t,
                         Writable w) override
    {
        auto it = table(space).find(vaddr);
        EXPECT_NE(it, table(space).end());
        EXPECT_EQ(it->second.frame, &frame);
        it->second.writable = w == Writable::Yes;
        return {};
    }
    void unmap(HardwareSpace* space, uint64_t vaddr, uint64_t) override
    {
        EXPECT_EQ(table(space).erase(vaddr), 1u);
    }
    static Table& table(HardwareSpace* space) { return *reinterpret_cast<Table*>(space); }

private:
    std::vector<std::unique_ptr<Table>> spaces_;
    uint64_t next_handle_ = 0;
};

} // namespace tessera::posix::test

// System V IPC's objects (core/sysv): the key and id rules of msgget/semget/shmget, message
// queues' room and msgrcv's type rules, semop's all-or-nothing operations, and a segment's
// memory shared by two address spaces.
#include <gtest/gtest.h>

#include <string.h>

#include "core/sysv/ipc_namespace.h"
#include "linux/constants.h"
#include "test_memory.h"

namespace tessera::posix::sysv {
namespace {

namespace sv = linux::sysv;

struct Plain {
    Identity identity;
    int made = 0;
    void reset() { made = 0; }
};

Result<void> accept(const Plain&)
{
    return {};
}
Result<void> make_plain(Plain& p)
{
    p.made = 1;
    return {};
}

TEST(IpcIds, KeysFindOrMakeObjectsAsIpcCreatAndIpcExclSay)
{
    IpcIds<Plain, 4> ids;
    EXPECT_EQ(ids.get(42, 0, 0, accept, make_plain).error(), Errno::NoEnt);
    auto made = ids.get(42, sv::Create | 0640, 7, accept, make_plain);
    ASSERT_TRUE(made);
    EXPECT_EQ(ids.get(42, 0, 0, accept, make_plain).value(), made.value());
    EXPECT_EQ(ids.get(42, sv::Create, 0, accept, make_plain).value(), made.value());
    EXPECT_EQ(ids.get(42, sv::Create | sv::Exclusive, 0, accept, make_plain).error(), Errno::Exist);
    Plain* found = ids.find(made.value());
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->identity.mode, 0640u);
    EXPECT_EQ(found->identity.change_time, 7);
    EXPECT_EQ(found->identity.perm().key, 42);
    EXPECT_EQ(found->made, 1);
}

TEST(IpcIds, PrivateKeysAlwaysMakeANewObjectUntilTheTableIsFull)
{
    IpcIds<Plain, 2> ids;
    auto first = ids.get(sv::Private, 0, 0, accept, make_plain);
    auto second = ids.get(sv::Private, 0, 0, accept, make_plain);
    ASSERT_TRUE(first && second);
    EXPECT_NE(first.value(), second.value());
    EXPECT_EQ(ids.get(sv::Private, 0, 0, accept, make_plain).error(), Errno::NoSpc);
}

TEST(IpcIds, ARemovedObjectsIdStaysInvalidWhenItsSlotIsUsedAgain)
{
    IpcIds<Plain, 1> ids;
    const int32_t first = ids.get(5, sv::Create, 0, accept, make_plain).value();
    ids.remove(*ids.find(first));
    EXPECT_EQ(ids.find(first), nullptr);
    EXPECT_EQ(ids.get(5, 0, 0, accept, make_plain).error(), Errno::NoEnt) << "the key is free";
    const int32_t second = ids.get(5, sv::Create, 0, accept, make_plain).value();
    EXPECT_NE(second, first);
    EXPECT_EQ(ids.find(first), nullptr);
    EXPECT_NE(ids.find(second), nullptr);
    EXPECT_EQ(ids.find(-1), nullptr);
    EXPECT_EQ(ids.find(second + 1), nullptr);
}

TEST(IpcIds, AFailedMakeOrCheckLeavesNoObject)
{
    IpcIds<Plain, 1> ids;
    auto refuse = [](Plain&) -> Result<void> { return Errno::Inval; };
    EXPECT_EQ(ids.get(9, sv::Create, 0, accept, refuse).error(), Errno::Inval);
    EXPECT_EQ(ids.get(9, 0, 0, accept, make_plain).error(), Errno::NoEnt);
    ASSERT_TRUE(ids.get(9, sv::Create, 0, accept, make_plain));
    auto too_small = [](const Plain&) -> Result<void> { return Errno::Inval; };
    EXPECT_EQ(ids.get(9, 0, 0, too_small, make_plain).error(), Errno::Inval);
}

void send(MessageQueue& q, int64_t type, const char* text)
{
    ASSERT_TRUE(q.append(type, reinterpret_cast<const uint8_t*>(text), strlen(text)));
}

TEST(MessageQueue, MsgrcvTypesPickTheFirstTheTypeAnotherTypeOrTheLowest)
{
    MessageQueue q;
    send(q, 3, "three");
    send(q, 1, "one");
    send(q, 2, "two");
    send(q, 1, "one again");
    EXPECT_EQ(q.count, 4u);
    EXPECT_EQ(q.bytes, 5u + 3 + 3 + 9);
    EXPECT_EQ(q.select(0, 0)->type, 3);
    EXPECT_EQ(q.select(2, 0)->type, 2);
    EXPECT_EQ(q.select(3, sv::MsgExcept)->type, 1);
    EXPECT_EQ(q.select(-2, 0)->size, 3u) << "the lowest type, first of its kind";
    EXPECT_EQ(q.select(7, 0), nullptr);
    Message* one = q.select(1, 0);
    q.unlink(one);
    MessageQueue::destroy(one);
    EXPECT_EQ(q.select(1, 0)->size, 9u) << "the second of type 1 is next";
    EXPECT_EQ(q.count, 3u);
    q.reset();
    EXPECT_EQ(q.count, 0u);
    EXPECT_EQ(q.first, nullptr);
}

TEST(MessageQueue, RoomIsMsgQbytesInBytesAndInMessages)
{
    MessageQueue q;
    EXPECT_TRUE(q.has_room(sv::MsgMnb));
    EXPECT_FALSE(q.has_room(sv::MsgMnb + 1));
    static uint8_t big[8192];
    ASSERT_TRUE(q.append(1, big, 8192));
    ASSERT_TRUE(q.append(1, big, 8000));
    EXPECT_TRUE(q.has_room(192));
    EXPECT_FALSE(q.has_room(193));
    q.max_bytes = 2;
    EXPECT_FALSE(q.has_room(0)) << "msg_qbytes also bounds the number of messages";
    q.reset();
}

TEST(SemaphoreSet, OperationsApplyAllOrNothing)
{
    SemaphoreSet set;
    ASSERT_TRUE(set.make(3));
    const sv::Sembuf up[] = {{0, 2, 0}, {1, 1, 0}};
    EXPECT_EQ(set.apply(up, 2, 10, 5).value(), SemaphoreSet::Outcome::Applied);
    EXPECT_EQ(set.values[0], 2);
    EXPECT_EQ(set.values[1], 1);
    EXPECT_EQ(set.last_pids[0], 10);
    EXPECT_EQ(set.operation_time, 5);
    // The second would go below zero: nothing changes, not even the first.
    const sv::Sembuf both[] = {{0, -1, 0}, {2, -1, 0}};
    EXPECT_EQ(set.apply(both, 2, 11, 6).value(), SemaphoreSet::Outcome::WouldBlock);
    EXPECT_EQ(set.values[0], 2);
    EXPECT_EQ(set.last_pids[0], 10);
    const sv::Sembuf nowait[] = {{0, -1, 0}, {2, -1, int16_t(sv::NoWait)}};
    EXPECT_EQ(set.apply(nowait, 2, 11, 6).error(), Errno::Again);
    // A wait for zero, and operations seeing the earlier ones on the same semaphore.
    const sv::Sembuf zero[] = {{2, 0, 0}};
    EXPECT_EQ(set.apply(zero, 1, 12, 7).value(), SemaphoreSet::Outcome::Applied);
    const sv::Sembuf twice[] = {{1, -1, 0}, {1, -1, 0}};
    EXPECT_EQ(set.apply(twice, 2, 12, 7).value(), SemaphoreSet::Outcome::WouldBlock);
    const sv::Sembuf then_zero[] = {{1, -1, 0}, {1, 0, 0}};
    EXPECT_EQ(set.apply(then_zero, 2, 12, 7).value(), SemaphoreSet::Outcome::Applied);
    EXPECT_EQ(set.values[1], 0);
    set.reset();
}

TEST(SemaphoreSet, BadSemaphoresAndOverflowsAreErrors)
{
    SemaphoreSet set;
    ASSERT_TRUE(set.make(2));
    const sv::Sembuf past[] = {{0, 1, 0}, {2, 1, 0}};
    EXPECT_EQ(set.apply(past, 2, 1, 0).error(), Errno::FBig);
    EXPECT_EQ(set.values[0], 0);
    set.values[1] = sv::SemVmx;
    const sv::Sembuf over[] = {{0, 1, 0}, {1, 1, 0}};
    EXPECT_EQ(set.apply(over, 2, 1, 0).error(), Errno::Range);
    EXPECT_EQ(set.values[0], 0);
    set.reset();
}

TEST(SemaphoreSet, ManyOperationsUseAWholeCopy)
{
    SemaphoreSet set;
    ASSERT_TRUE(set.make(2));
    sv::Sembuf many[20];
    for (auto& o : many)
        o = {1, 1, 0};
    many[19] = {0, -1, 0};
    EXPECT_EQ(set.apply(many, 20, 1, 0).value(), SemaphoreSet::Outcome::WouldBlock);
    EXPECT_EQ(set.values[1], 0);
    many[19] = {1, -19, 0};
    EXPECT_EQ(set.apply(many, 20, 1, 0).value(), SemaphoreSet::Outcome::Applied);
    EXPECT_EQ(set.values[1], 0);
    set.reset();
}

TEST(SegmentMemory, TwoSpacesAttachingASegmentShareItsZeroFilledPages)
{
    test::TestPool pool{16};
    test::RecordingBackend backend;
    AddressSpace first{pool, backend, backend.create_space().value()};
    AddressSpace second{pool, backend, backend.create_space().value()};
    Ref<SegmentMemory> memory = SegmentMemory::make(pool, 5000);
    ASSERT_TRUE(memory);
    constexpr uint32_t ReadWrite = linux::mman::ProtRead | linux::mman::ProtWrite;
    auto at_first =
        first.map(0, page_up(5000), ReadWrite, true, memory, 0, AddressSpace::Placement::Hint);
    auto at_second = second.map(0x500000, page_up(5000), ReadWrite, true, memory, 0,
                                AddressSpace::Placement::Fixed);
    ASSERT_TRUE(at_first && at_second);
    uint64_t value = 0;
    ASSERT_TRUE(second.read(at_second.value() + 4096, &value, sizeof value));
    EXPECT_EQ(value, 0u);
    value = 0x1234;
    ASSERT_TRUE(first.write(at_first.value() + 4096, &value, sizeof value));
    value = 0;
    ASSERT_TRUE(second.read(at_second.value() + 4096, &value, sizeof value));
    EXPECT_EQ(value, 0x1234u);
    EXPECT_EQ(memory->resident_pages(), 1u);
    EXPECT_EQ(memory->page(2).error(), Errno::Fault) << "past the segment's pages";
}

int32_t make_segment(IpcNamespace& ns, FramePool& pool, int32_t key)
{
    auto made = ns.segments.get(
        key, sv::Create | 0600, 0, [](const Segment&) -> Result<void> { return {}; },
        [&](Segment& s) -> Result<void> {
            s.memory = SegmentMemory::make(pool, 100);
            s.size = 100;
            return {};
        });
    EXPECT_TRUE(made);
    return made ? made.value() : -1;
}

TEST(IpcNamespace, ARemovedSegmentLivesUntilItsLastDetach)
{
    test::TestPool pool{4};
    IpcNamespace ns;
    const int32_t id = make_segment(ns, pool, 77);
    Segment* segment = ns.segments.find(id);
    ASSERT_NE(segment, nullptr);
    const MemoryObject* object = segment->memory.get();
    EXPECT_TRUE(ns.is_segment(object));
    ns.remove_segment(*segment, 2);
    // Still there by its id, marked, its key private: shmget makes a new one for the key.
    ASSERT_EQ(ns.segments.find(id), segment);
    EXPECT_TRUE(ns.is_segment(object)) << "shmdt must still know it";
    EXPECT_EQ(segment->identity.mode, 0600u | sv::ShmDest);
    EXPECT_EQ(segment->status(2).perm.key, sv::Private);
    const int32_t other = make_segment(ns, pool, 77);
    EXPECT_NE(other, id);
    uint64_t attached = 1;
    ns.reap([&](const Segment& s) { return &s == segment ? attached : 0; });
    EXPECT_EQ(ns.segments.find(id), segment) << "one attachment left";
    attached = 0;
    ns.reap([&](const Segment& s) { return &s == segment ? attached : 0; });
    EXPECT_EQ(ns.segments.find(id), nullptr) << "gone at the last detach";
    EXPECT_FALSE(ns.is_segment(object));
    EXPECT_NE(ns.segments.find(other), nullptr) << "an unmarked segment stays without attachments";
}

TEST(IpcNamespace, ARemovedSegmentNothingAttachesGoesAtOnce)
{
    test::TestPool pool{4};
    IpcNamespace ns;
    const int32_t id = make_segment(ns, pool, sv::Private);
    ns.remove_segment(*ns.segments.find(id), 0);
    EXPECT_EQ(ns.segments.find(id), nullptr);
}

TEST(SemaphoreUndo, AdjustmentsNegateTheOperationsAndSettleAtExit)
{
    SemaphoreUndo undo;
    const sv::Sembuf operations[] = {{0, -2, sv::SemUndo}, {1, 3, sv::SemUndo}, {0, -1, sv::SemUndo},
                                     {2, 5, 0}, {1, 0, sv::SemUndo}};
    ASSERT_TRUE(undo.check(10, 7, operations, 5));
    undo.record(10, 7, operations, 5);
    EXPECT_EQ(undo.adjustment(10, 7, 0), 3);
    EXPECT_EQ(undo.adjustment(10, 7, 1), -3);
    EXPECT_EQ(undo.adjustment(10, 7, 2), 0) << "no SEM_UNDO";
    EXPECT_EQ(undo.adjustment(11, 7, 0), 0) << "another process's";
    undo.record(11, 7, operations, 1);
    int settled = 0, sum = 0;
    undo.settle(10, [&](int32_t id, uint16_t number, int32_t adjust) {
        EXPECT_EQ(id, 7);
        ++settled;
        sum += adjust * (number + 1);
    });
    EXPECT_EQ(settled, 2);
    EXPECT_EQ(sum, 3 * 1 - 3 * 2);
    EXPECT_EQ(undo.adjustment(10, 7, 0), 0) << "settled once";
    EXPECT_EQ(undo.adjustment(11, 7, 0), 2);
}

TEST(SemaphoreUndo, SetvalSetallAndRangeAndRoom)
{
    SemaphoreUndo undo;
    const sv::Sembuf two[] = {{0, 1, sv::SemUndo}, {1, 1, sv::SemUndo}};
    undo.record(10, 7, two, 2);
    undo.record(11, 7, two, 2);
    undo.forget(7, 1); // SETVAL of semaphore 1: every process's adjustment there
    EXPECT_EQ(undo.adjustment(10, 7, 1), 0);
    EXPECT_EQ(undo.adjustment(11, 7, 1), 0);
    EXPECT_EQ(undo.adjustment(10, 7, 0), -1);
    undo.forget(7, -1); // SETALL, IPC_RMID
    EXPECT_EQ(undo.adjustment(11, 7, 0), 0);
    // An adjustment stays within -32768..32767, counting the earlier operations of the call.
    const sv::Sembuf big[] = {{0, 32767, sv::SemUndo}, {0, 2, sv::SemUndo}, {0, 1, sv::SemUndo}};
    EXPECT_EQ(undo.check(10, 7, big, 2).error(), Errno::Range);
    EXPECT_TRUE(undo.check(10, 7, big, 1));
    undo.record(10, 7, big, 1);
    EXPECT_EQ(undo.check(10, 7, big + 1, 1).error(), Errno::Range);
    EXPECT_TRUE(undo.check(10, 7, big + 2, 1)) << "-32768 is in range";
    const sv::Sembuf down[] = {{0, -32767, sv::SemUndo}};
    EXPECT_TRUE(undo.check(10, 7, down, 1)) << "back towards 0";
    // Room: one entry per process, set and semaphore.
    for (uint16_t n = 0; n < SemaphoreUndo::Capacity - 1; ++n) {
        const sv::Sembuf one[] = {{n, 1, sv::SemUndo}};
        ASSERT_TRUE(undo.check(20, 8, one, 1));
        undo.record(20, 8, one, 1);
    }
    const sv::Sembuf more[] = {{9999, 1, sv::SemUndo}};
    EXPECT_EQ(undo.check(21, 8, more, 1).error(), Errno::NoMem);
    const sv::Sembuf again[] = {{3, 1, sv::SemUndo}};
    EXPECT_TRUE(undo.check(20, 8, again, 1)) << "an existing entry needs no room";
}

} // namespace
} // namespace tessera::posix::sysv

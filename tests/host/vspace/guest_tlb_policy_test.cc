// The SVM ASID decisions of kernel/arch/x86_64/svm/guest_tlb_policy.h: one ASID per VCPU,
// generations when they run out, flushes after a nested page table changes. The last test runs
// the policy against a model of a tagged TLB and checks that no guest ever runs with another
// guest's translations or stale ones of its own.
#include "svm/guest_tlb_policy.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

using tessera::x86_64::GuestTlbEntry;
using tessera::x86_64::GuestTlbFlush;
using tessera::x86_64::GuestTlbPolicy;
using tessera::x86_64::GuestTlbTag;

namespace {

constexpr uint32_t Cpu = 0;
constexpr uint64_t Space = 5, OtherSpace = 6;

// Enters and completes one VMRUN the processor carried out.
GuestTlbEntry run(GuestTlbPolicy& policy, GuestTlbTag& tag)
{
    const GuestTlbEntry entry = policy.enter(tag, Cpu);
    policy.ran(tag, false);
    return entry;
}

} // namespace

TEST(GuestTlbPolicy, TheFirstRunFlushesEveryAsidThenNoMore)
{
    GuestTlbPolicy policy(16, false);
    GuestTlbTag a{};
    EXPECT_EQ(run(policy, a), (GuestTlbEntry{1, GuestTlbFlush::All}));
    EXPECT_EQ(run(policy, a), (GuestTlbEntry{1, GuestTlbFlush::None}));
}

TEST(GuestTlbPolicy, EachVcpuRunsWithItsOwnAsidAndKeepsIt)
{
    GuestTlbPolicy policy(16, false);
    GuestTlbTag a{}, b{};
    const GuestTlbEntry first_a = run(policy, a), first_b = run(policy, b);
    EXPECT_NE(first_a.asid, first_b.asid);
    EXPECT_NE(first_a.asid, 0u); // ASID 0 is the host's
    EXPECT_NE(first_b.asid, 0u);
    for (int i = 0; i < 10; i++) {
        EXPECT_EQ(run(policy, a), (GuestTlbEntry{first_a.asid, GuestTlbFlush::None}));
        EXPECT_EQ(run(policy, b), (GuestTlbEntry{first_b.asid, GuestTlbFlush::None}));
    }
}

TEST(GuestTlbPolicy, RunningOutOfAsidsStartsAGenerationThatFlushesEverything)
{
    GuestTlbPolicy policy(4, false); // guest ASIDs 1..3
    EXPECT_EQ(policy.last_asid(), 3u);
    GuestTlbTag tags[4] = {};
    for (uint32_t i = 0; i < 3; i++)
        EXPECT_EQ(run(policy, tags[i]).asid, i + 1);
    EXPECT_EQ(policy.generation(), 1u);
    EXPECT_EQ(run(policy, tags[3]), (GuestTlbEntry{1, GuestTlbFlush::All}));
    EXPECT_EQ(policy.generation(), 2u);
    // The others' ASIDs are from the old generation: each takes a new one, never ASID 1 again.
    EXPECT_EQ(run(policy, tags[0]), (GuestTlbEntry{2, GuestTlbFlush::None}));
    EXPECT_EQ(run(policy, tags[1]), (GuestTlbEntry{3, GuestTlbFlush::None}));
    EXPECT_EQ(run(policy, tags[3]), (GuestTlbEntry{1, GuestTlbFlush::None}));
}

TEST(GuestTlbPolicy, WithOneAsidEveryOtherVcpuRunFlushesEverything)
{
    for (const uint32_t count : {0u, 1u, 2u}) {
        GuestTlbPolicy policy(count, false);
        EXPECT_EQ(policy.last_asid(), 1u);
        GuestTlbTag a{}, b{};
        EXPECT_EQ(run(policy, a), (GuestTlbEntry{1, GuestTlbFlush::All}));
        EXPECT_EQ(run(policy, a), (GuestTlbEntry{1, GuestTlbFlush::None}));
        EXPECT_EQ(run(policy, b), (GuestTlbEntry{1, GuestTlbFlush::All}));
        EXPECT_EQ(run(policy, a), (GuestTlbEntry{1, GuestTlbFlush::All}));
    }
}

TEST(GuestTlbPolicy, AChangeToAWatchedNestedTableTakesANewAsid)
{
    GuestTlbPolicy policy(16, false);
    policy.watch(Space);
    GuestTlbTag a{};
    const uint32_t before = run(policy, a).asid;
    policy.translations_changed(Space);
    const GuestTlbEntry after = run(policy, a);
    EXPECT_NE(after.asid, before);
    EXPECT_EQ(after.flush, GuestTlbFlush::None); // a new ASID in this generation is clean
    EXPECT_EQ(run(policy, a), (GuestTlbEntry{after.asid, GuestTlbFlush::None}));
}

TEST(GuestTlbPolicy, WithFlushByAsidAChangeFlushesTheGuestsOwnAsid)
{
    GuestTlbPolicy policy(16, true);
    policy.watch(Space);
    GuestTlbTag a{};
    const uint32_t asid = run(policy, a).asid;
    policy.translations_changed(Space);
    EXPECT_EQ(run(policy, a), (GuestTlbEntry{asid, GuestTlbFlush::Own}));
    EXPECT_EQ(run(policy, a), (GuestTlbEntry{asid, GuestTlbFlush::None}));
}

TEST(GuestTlbPolicy, ChangesToAddressSpacesNoGuestUsesFlushNothing)
{
    GuestTlbPolicy policy(16, true);
    policy.watch(Space);
    GuestTlbTag a{};
    const uint32_t asid = run(policy, a).asid;
    policy.translations_changed(OtherSpace);
    policy.translations_changed(GuestTlbPolicy::WatchedAsids + Space); // out of range: ignored
    EXPECT_EQ(run(policy, a), (GuestTlbEntry{asid, GuestTlbFlush::None}));
}

TEST(GuestTlbPolicy, AReleasedSpaceFlushesOnceThenIsNoLongerWatched)
{
    GuestTlbPolicy policy(16, true);
    policy.watch(Space);
    EXPECT_TRUE(policy.is_watched(Space));
    GuestTlbTag a{};
    const uint32_t asid = run(policy, a).asid;
    policy.released(Space);
    EXPECT_FALSE(policy.is_watched(Space));
    EXPECT_EQ(run(policy, a), (GuestTlbEntry{asid, GuestTlbFlush::Own}));
    policy.translations_changed(Space);
    EXPECT_EQ(run(policy, a), (GuestTlbEntry{asid, GuestTlbFlush::None}));
}

TEST(GuestTlbPolicy, ANewNestedTableOrAResetTakesANewAsid)
{
    GuestTlbPolicy policy(16, true);
    GuestTlbTag a{};
    const uint32_t asid = run(policy, a).asid;
    GuestTlbPolicy::forget(a); // SetNPT
    const GuestTlbEntry after = run(policy, a);
    EXPECT_NE(after.asid, asid);
    EXPECT_EQ(after.flush, GuestTlbFlush::None);
}

TEST(GuestTlbPolicy, ARefusedVmrunFlushesAgainAndForgetsTheAsid)
{
    GuestTlbPolicy policy(16, false);
    GuestTlbTag a{};
    const GuestTlbEntry first = policy.enter(a, Cpu);
    EXPECT_EQ(first.flush, GuestTlbFlush::All);
    policy.ran(a, true); // VMEXIT_INVALID: the flush may not have happened
    const GuestTlbEntry second = policy.enter(a, Cpu);
    EXPECT_NE(second.asid, first.asid);
    EXPECT_EQ(second.flush, GuestTlbFlush::All);
    policy.ran(a, false);
    EXPECT_EQ(run(policy, a), (GuestTlbEntry{second.asid, GuestTlbFlush::None}));
}

TEST(GuestTlbPolicy, AnAsidOfAnotherCpuIsNotKept)
{
    GuestTlbPolicy policy(16, false);
    GuestTlbTag a{};
    const uint32_t asid = run(policy, a).asid;
    const GuestTlbEntry elsewhere = policy.enter(a, Cpu + 1);
    EXPECT_NE(elsewhere.asid, asid);
    EXPECT_EQ(a.cpu, Cpu + 1);
}

// A tagged TLB: what each ASID has cached, as (nested table, its version) pairs. Random steps
// (runs of random VCPUs, changes to their nested tables, new tables, refused runs) under few and
// many ASIDs, with and without FlushByAsid. Before every run, everything cached under the ASID
// the policy chose must be the running guest's own translations, of its table's current version.
TEST(GuestTlbPolicy, AGuestNeverRunsWithAnotherGuestsOrStaleTranslations)
{
    for (const uint32_t count : {2u, 3u, 5u, 64u})
        for (const bool flush_by_asid : {false, true}) {
            GuestTlbPolicy policy(count, flush_by_asid);
            constexpr unsigned Vcpus = 6, Spaces = 4;
            GuestTlbTag tags[Vcpus] = {};
            uint64_t table_of[Vcpus];
            uint64_t version[Spaces] = {};
            std::map<uint32_t, std::set<std::pair<uint64_t, uint64_t>>> cached;
            for (unsigned v = 0; v < Vcpus; v++) {
                table_of[v] = v % Spaces; // two pairs of VCPUs share a table
                policy.watch(table_of[v]);
            }
            uint64_t seed = 0x9e3779b97f4a7c15u ^ count ^ (flush_by_asid ? 1 : 0);
            auto random = [&seed](uint64_t bound) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                return seed % bound;
            };
            for (int step = 0; step < 20000; step++) {
                const uint64_t what = random(100);
                const unsigned v = unsigned(random(Vcpus));
                if (what < 8) { // Unmap or remap in a table
                    const uint64_t space = random(Spaces);
                    version[space]++;
                    policy.translations_changed(space);
                    continue;
                }
                if (what < 10) { // SetNPT
                    table_of[v] = random(Spaces);
                    GuestTlbPolicy::forget(tags[v]);
                    policy.watch(table_of[v]);
                    continue;
                }
                const GuestTlbEntry entry = policy.enter(tags[v], Cpu);
                ASSERT_GE(entry.asid, 1u);
                ASSERT_LE(entry.asid, policy.last_asid());
                if (what < 12) { // refused: no flush, nothing cached
                    policy.ran(tags[v], true);
                    continue;
                }
                if (entry.flush == GuestTlbFlush::All)
                    cached.clear();
                if (entry.flush == GuestTlbFlush::Own)
                    cached.erase(entry.asid);
                ASSERT_TRUE(entry.flush != GuestTlbFlush::Own || flush_by_asid);
                const std::pair<uint64_t, uint64_t> mine{table_of[v], version[table_of[v]]};
                for (const auto& held : cached[entry.asid])
                    ASSERT_EQ(held, mine) << "step " << step << ", VCPU " << v << ", ASID "
                                          << entry.asid << ", " << count << " ASIDs";
                cached[entry.asid].insert(mine);
                policy.ran(tags[v], false);
            }
        }
}

// plan_load(): the memory, slots and ASIDs a spec takes, which the loader checks before creating
// anything and `tessera check` reports.
#include <gtest/gtest.h>
#include <vector>

#include "spec_writer.h"
#include "test_support.h"
#include "tessera/load_plan.h"

namespace tessera::spec {
namespace {

using sdf::SpecBuilder;

union tessera_spec_op blank(uint32_t kind)
{
    union tessera_spec_op op{};
    op.kind = kind;
    return op;
}

struct Planned {
    std::vector<uint8_t> blob;
    LoadPlan plan;
};

Planned plan_of(const SpecBuilder& builder, LoaderStart start = {})
{
    Planned planned{builder.serialise(), {}};
    auto spec = SpecView::open(planned.blob.data(), planned.blob.size());
    EXPECT_TRUE(spec);
    std::vector<uint32_t> scratch(spec.value().object_count() + 1);
    planned.plan = plan_load(spec.value(), start, scratch.data());
    return planned;
}

// n protection domains' worth of the objects held until their threads are configured: each
// made, then all used together by one op per domain at the end.
SpecBuilder domains(uint32_t n)
{
    SpecBuilder builder;
    std::vector<sdf::ObjectId> vspaces;
    for (uint32_t i = 0; i < n; ++i) {
        const auto tcb = builder.create(TESSERA_OBJECT_TCB, 0, TESSERA_PADDR_ANY, "");
        const auto cnode = builder.create(TESSERA_OBJECT_CNODE, 9, TESSERA_PADDR_ANY, "");
        const auto vspace = builder.create(TESSERA_OBJECT_VSPACE, 0, TESSERA_PADDR_ANY, "");
        const auto buffer = builder.create(TESSERA_OBJECT_FRAME_4K, 0, TESSERA_PADDR_ANY, "");
        auto assign = blank(TESSERA_OP_ASSIGN_ASID);
        assign.assign_asid.vspace = uint32_t(vspace);
        builder.add(assign);
        auto configure = blank(TESSERA_OP_TCB_CONFIGURE);
        configure.tcb_configure = {TESSERA_OP_TCB_CONFIGURE, uint32_t(tcb), uint32_t(cnode),
                                   uint32_t(vspace), uint32_t(buffer), 0, 0x1000, 0, {}};
        vspaces.push_back(vspace);
        builder.add(configure);
    }
    for (uint32_t i = 0; i < n; ++i) {
        auto resume = blank(TESSERA_OP_TCB_RESUME);
        resume.tcb_resume.tcb = uint32_t(vspaces[i]) - 2; // the domain's TCB
        builder.add(resume);
    }
    return builder;
}

TEST(LoadPlan, ObjectSizesAreSeL4sAndDeviceFramesTakeNoRam)
{
    auto create = [](uint32_t kind, uint32_t size_bits, uint64_t paddr = TESSERA_PADDR_ANY) {
        struct tessera_op_create_object op {};
        op.kind = TESSERA_OP_CREATE_OBJECT;
        op.object_kind = kind;
        op.size_bits = size_bits;
        op.paddr = paddr;
        return object_bytes(op);
    };
    EXPECT_EQ(create(TESSERA_OBJECT_TCB, 0), 2048u);
    EXPECT_EQ(create(TESSERA_OBJECT_ENDPOINT, 0), 16u);
    EXPECT_EQ(create(TESSERA_OBJECT_NOTIFICATION, 0), 32u);
    EXPECT_EQ(create(TESSERA_OBJECT_CNODE, 9), 32u << 9);
    EXPECT_EQ(create(TESSERA_OBJECT_VSPACE, 0), 4096u);
    EXPECT_EQ(create(TESSERA_OBJECT_FRAME_2M, 0), 2u << 20);
    EXPECT_EQ(create(TESSERA_OBJECT_FRAME_4K, 0, 0xfed00000), 0u);
    EXPECT_EQ(create(TESSERA_OBJECT_IRQ_HANDLER, 0), 0u);
}

TEST(LoadPlan, MemoryCoversEveryObjectWithRoomForPlacement)
{
    SpecBuilder builder;
    (void)builder.create(TESSERA_OBJECT_TCB, 0, TESSERA_PADDR_ANY, "");
    (void)builder.create(TESSERA_OBJECT_CNODE, 9, TESSERA_PADDR_ANY, "");
    (void)builder.create(TESSERA_OBJECT_FRAME_2M, 0, TESSERA_PADDR_ANY, "");
    (void)builder.create(TESSERA_OBJECT_FRAME_4K, 0, 0xfed00000, ""); // a device page
    (void)builder.create(TESSERA_OBJECT_NOTIFICATION, 0, TESSERA_PADDR_ANY, "");
    const LoadPlan plan = plan_of(builder).plan;
    const uint64_t exact = 2048u + (32u << 9) + (2u << 20) + 32u;
    EXPECT_EQ(plan.objects, 5u);
    // Each object aligned to its size after a smaller one, a 1/32 and 256 KiB margin.
    EXPECT_GE(plan.object_bytes, exact + (32u << 9) - 4096 + (2u << 20) - 4096);
    EXPECT_LE(plan.object_bytes, 2 * exact + exact / 16 + 256 * 1024);
    EXPECT_EQ(plan.total_bytes(), plan.object_bytes + plan.loader_bytes);
}

TEST(LoadPlan, PeakFollowsFirstAndLastUse)
{
    // Each domain's objects are made at its configure and, but for the TCB that RESUME uses
    // later, given away right after: 1 TCB held per domain configured so far, plus 4 at a time.
    const LoadPlan plan = plan_of(domains(10)).plan;
    EXPECT_EQ(plan.address_spaces, 10u);
    EXPECT_EQ(plan.peak_capabilities, 9u + 4u);
}

TEST(LoadPlan, ObjectsNothingUsesAreHeldToTheEnd)
{
    SpecBuilder builder;
    for (int i = 0; i < 7; ++i)
        (void)builder.create(TESSERA_OBJECT_ENDPOINT, 0, TESSERA_PADDR_ANY, "");
    EXPECT_EQ(plan_of(builder).plan.peak_capabilities, 7u);
}

TEST(LoadPlan, KeepsTheKernelsCNodeWhileItIsLargeEnough)
{
    const LoadPlan small = plan_of(domains(2), LoaderStart{12, 400, 300}).plan;
    EXPECT_EQ(small.cspace_bits, 12u);
    // 2^12 slots cannot hold 4,000 TCBs besides the boot capabilities: the loader grows its own.
    const LoadPlan large = plan_of(domains(4000), LoaderStart{12, 400, 300}).plan;
    EXPECT_EQ(large.cspace_bits, 13u);
    EXPECT_GE(uint64_t{1} << large.cspace_bits,
              uint64_t{400} + large.peak_capabilities + LoaderSpareSlots);
    EXPECT_GE(large.loader_bytes - small.loader_bytes, uint64_t{32} << 13);
}

TEST(LoadPlan, VaultHoldsEveryObjectAndTheLoadersImage)
{
    const LoadPlan plan = plan_of(domains(100), LoaderStart{12, 400, 300}).plan;
    EXPECT_GE(uint64_t{1} << plan.vault_bits, uint64_t{plan.objects} + 300 + 3 + 1);
    EXPECT_LT(uint64_t{1} << (plan.vault_bits - 1), uint64_t{plan.objects} + 300 + 3 + 1);
}

TEST(LoadPlan, MakesAsidPoolsPastTheFirstAndCountsTheLimit)
{
    EXPECT_EQ(plan_of(domains(510)).plan.asid_pools, 0u);
    EXPECT_EQ(plan_of(domains(511)).plan.asid_pools, 1u);
    const LoadPlan most = plan_of(domains(MaxSystemAddressSpaces)).plan;
    EXPECT_EQ(most.asid_pools, AsidPoolCount - 1);
    EXPECT_TRUE(most.fits_asids());
    EXPECT_FALSE(plan_of(domains(MaxSystemAddressSpaces + 1)).plan.fits_asids());
}

TEST(LoadPlan, PeakOfACompiledSystemIsBelowItsObjectCount)
{
    auto result = sdf::test::build_example("pingpong");
    ASSERT_TRUE(result);
    const std::vector<uint8_t> blob = result->spec.serialise();
    auto spec = SpecView::open(blob.data(), blob.size());
    ASSERT_TRUE(spec);
    std::vector<uint32_t> scratch(spec.value().object_count());
    const LoadPlan plan = plan_load(spec.value(), LoaderStart{}, scratch.data());
    EXPECT_EQ(plan.address_spaces, 2u);
    EXPECT_GT(plan.peak_capabilities, 0u);
    EXPECT_LT(plan.peak_capabilities, plan.objects);
    EXPECT_GT(plan.object_bytes, 2u * 4096u);
    for (uint32_t object = 0; object < spec.value().object_count(); ++object)
        EXPECT_LT(scratch[object] & 0x80000000u, 1u) << "object " << object;
}

} // namespace
} // namespace tessera::spec

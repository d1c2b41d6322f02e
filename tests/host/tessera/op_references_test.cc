// op_references(): the objects each op uses, which the loader relies on to create objects at
// their first use and give their capabilities away after their last.
#include <cstring>
#include <gtest/gtest.h>
#include <vector>

#include "test_support.h"
#include "tessera/spec_reader.h"

namespace tessera::spec {
namespace {

std::vector<uint32_t> references(const union tessera_spec_op& op)
{
    uint32_t out[MaxOpReferences];
    const uint32_t count = op_references(op, out);
    return std::vector<uint32_t>(out, out + count);
}

union tessera_spec_op blank(uint32_t kind)
{
    union tessera_spec_op op;
    std::memset(&op, 0, sizeof op);
    op.kind = kind;
    return op;
}

TEST(OpReferences, NamesEveryObjectFieldOfTheOp)
{
    auto configure = blank(TESSERA_OP_TCB_CONFIGURE);
    configure.tcb_configure.tcb = 1;
    configure.tcb_configure.cspace = 2;
    configure.tcb_configure.vspace = 3;
    configure.tcb_configure.ipc_buffer = 4;
    EXPECT_EQ(references(configure), (std::vector<uint32_t>{1, 2, 3, 4}));

    auto mint = blank(TESSERA_OP_MINT_CAP);
    mint.mint_cap.cnode = 7;
    mint.mint_cap.object = 9;
    EXPECT_EQ(references(mint), (std::vector<uint32_t>{7, 9}));

    auto fill = blank(TESSERA_OP_FILL_FRAME);
    fill.fill_frame.frame = 5;
    fill.fill_frame.entry = 1; // an image entry, not an object
    EXPECT_EQ(references(fill), (std::vector<uint32_t>{5}));

    auto irq = blank(TESSERA_OP_IRQ_SET_NOTIFICATION);
    irq.irq_set_notification.handler = 11;
    irq.irq_set_notification.notification = 12;
    EXPECT_EQ(references(irq), (std::vector<uint32_t>{11, 12}));
}

TEST(OpReferences, OpsThatCreateReferToNothing)
{
    for (uint32_t kind : {TESSERA_OP_CREATE_OBJECT, TESSERA_OP_IRQ_GET_IOAPIC, TESSERA_OP_IRQ_GET_MSI})
        EXPECT_TRUE(references(blank(kind)).empty()) << "op kind " << kind;
}

// Every object a compiled system creates is used by some op, and only after its creation.
TEST(OpReferences, EveryObjectOfACompiledSystemIsUsedAfterItsCreation)
{
    auto result = sdf::test::build_example("pingpong");
    ASSERT_TRUE(result);
    const auto& ops = result->spec.ops();
    std::vector<int> created(result->spec.object_count(), -1), used(result->spec.object_count(), 0);
    for (size_t i = 0; i < ops.size(); ++i) {
        if (ops[i].kind == TESSERA_OP_CREATE_OBJECT)
            created[ops[i].create_object.object] = int(i);
        for (uint32_t object : references(ops[i])) {
            ASSERT_LT(object, created.size());
            EXPECT_GE(created[object], 0) << "op " << i << " uses object " << object << " before it exists";
            ++used[object];
        }
    }
    for (size_t object = 0; object < used.size(); ++object)
        EXPECT_GT(used[object], 0) << "object " << object << " is never used";
}

} // namespace
} // namespace tessera::spec

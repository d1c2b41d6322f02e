// The AML encoder: each term's bytes against the ACPI 6.4 grammar, PkgLength at its encoding
// boundaries, and a whole PCI root bridge against what ACPICA's iasl 20200925 compiles from the
// same ASL (the ASL is in the test's comment; the bytes were taken from `iasl` and pinned here).
#include "aml.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::services::vmm {
namespace {

using Bytes = std::vector<uint8_t>;

struct AmlFixture : ::testing::Test {
    std::vector<uint8_t> out = std::vector<uint8_t>(8192, 0xee);
    AmlWriter aml{out.data(), out.size()};

    Bytes written() const { return Bytes(out.begin(), out.begin() + long(aml.size())); }
};

TEST_F(AmlFixture, IntegersTakeTheSmallestEncoding)
{
    aml.integer(0);
    aml.integer(1);
    aml.integer(5);
    aml.integer(0x1234);
    aml.integer(0x1ffff);
    aml.integer(uint64_t{1} << 32);
    const Bytes expected = {0x00, 0x01, 0x0a, 0x05, 0x0b, 0x34, 0x12, 0x0c, 0xff, 0xff, 0x01,
                            0x00, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
    EXPECT_EQ(written(), expected);
    EXPECT_TRUE(aml.ok());
}

TEST_F(AmlFixture, EisaIdsAreCompressedAsAslDoes)
{
    aml.eisa_id("PNP0A03");
    aml.eisa_id("PNP0A08");
    aml.eisa_id("ACPI0007");
    const Bytes expected = {0x0c, 0x41, 0xd0, 0x0a, 0x03, 0x0c, 0x41, 0xd0, 0x0a, 0x08};
    EXPECT_EQ(written(), expected);
    EXPECT_FALSE(aml.ok()); // eight characters are no EISA ID
}

TEST_F(AmlFixture, NamesAreSegmentsWithRootAndMultiNamePrefixes)
{
    aml.name_string("_S5");
    aml.name_string("\\_SB.PCI0");
    aml.name_string("\\_SB.PCI0._CRS");
    const Bytes expected = {'_', 'S', '5', '_', 0x5c, 0x2e, '_',  'S', 'B', '_',
                            'P', 'C', 'I', '0', 0x5c, 0x2f, 0x03, '_', 'S', 'B',
                            '_', 'P', 'C', 'I', '0',  '_',  'C',  'R', 'S'};
    EXPECT_EQ(written(), expected);
    EXPECT_TRUE(aml.ok());
}

TEST_F(AmlFixture, BadNamesFail)
{
    for (const char* bad : {"", "TOOLONG", "\\_SB..PCI0", "\\_SB.", "."}) {
        AmlWriter writer{out.data(), out.size()};
        writer.name_string(bad);
        EXPECT_FALSE(writer.ok()) << bad;
    }
}

TEST_F(AmlFixture, PkgLengthGrowsAtItsEncodingBoundaries)
{
    const Bytes data(5000, 0x5a);
    // Body 62 (ByteConst size, 60 bytes): total 63 fits one byte.
    aml.buffer(data.data(), 60);
    EXPECT_EQ(Bytes(out.begin(), out.begin() + 4), (Bytes{0x11, 0x3f, 0x0a, 60}));
    EXPECT_EQ(aml.size(), 1u + 63);
    // Body 63: one byte would make 64; two bytes make 65 = 0x41 (lead 0x40 | 1, then 0x04).
    AmlWriter two{out.data(), out.size()};
    two.buffer(data.data(), 61);
    EXPECT_EQ(Bytes(out.begin(), out.begin() + 5), (Bytes{0x11, 0x41, 0x04, 0x0a, 61}));
    EXPECT_EQ(two.size(), 1u + 65);
    // Body 5003 (WordConst size): 5006 = 0x138e needs a third byte.
    AmlWriter three{out.data(), out.size()};
    three.buffer(data.data(), 5000);
    EXPECT_EQ(Bytes(out.begin(), out.begin() + 7),
              (Bytes{0x11, 0x8e, 0x38, 0x01, 0x0b, 0x88, 0x13}));
    EXPECT_EQ(three.size(), 1u + 5006);
    EXPECT_EQ(out[7], 0x5a);
    EXPECT_TRUE(three.ok());
}

TEST_F(AmlFixture, ScopesAndDevicesNest)
{
    aml.open_scope("\\_SB");
    aml.open_device("PCI0");
    aml.name("_UID");
    aml.integer(0);
    aml.close();
    aml.close();
    const Bytes expected = {0x10, 0x13, 0x5c, '_', 'S',  'B', '_', 0x5b, 0x82, 0x0b,
                            'P',  'C',  'I',  '0', 0x08, '_', 'U', 'I',  'D',  0x00};
    EXPECT_EQ(written(), expected);
    EXPECT_TRUE(aml.ok());
}

TEST_F(AmlFixture, UnbalancedTermsFail)
{
    aml.open_package(1);
    aml.integer(0);
    EXPECT_FALSE(aml.ok()); // still open
    aml.close();
    EXPECT_TRUE(aml.ok());
    aml.close(); // nothing open
    EXPECT_FALSE(aml.ok());
}

TEST_F(AmlFixture, RunningOutOfRoomFailsWithoutWritingPastTheEnd)
{
    std::vector<uint8_t> small(16 + 4, 0xee);
    AmlWriter writer{small.data(), 16};
    const Bytes data(14, 0x5a);
    writer.buffer(data.data(), data.size()); // 1 + 1 + 2 + 14 = 18 bytes
    EXPECT_FALSE(writer.ok());
    for (size_t i = 16; i < small.size(); ++i)
        EXPECT_EQ(small[i], 0xee) << i;
    // A PkgLength that no longer fits once its second byte is inserted also fails.
    std::vector<uint8_t> tight(66 + 4, 0xee);
    AmlWriter edge{tight.data(), 66};
    edge.buffer(data.data(), 0);
    EXPECT_TRUE(edge.ok());
    AmlWriter over{tight.data(), 66};
    const Bytes big(62, 0x5a);
    over.buffer(big.data(), big.size()); // 1 + 2 + 2 + 62 = 67
    EXPECT_FALSE(over.ok());
    for (size_t i = 66; i < tight.size(); ++i)
        EXPECT_EQ(tight[i], 0xee) << i;
}

// DefinitionBlock ("", "DSDT", 2, "TESSRA", "TESSVMM ", 1) {
//   Name (_S5, Package (0x04) { 5, 5, 0, 0 })
//   Scope (\_SB) { Device (PCI0) {
//     Name (_HID, EisaId ("PNP0A03"))  Name (_UID, Zero)  Name (_SEG, Zero)  Name (_BBN, Zero)
//     Name (_CRS, ResourceTemplate () {
//       WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, 0, 0, 0, 1,,,)
//       IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08,)
//       WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
//               0, 0x0000, 0x0CF7, 0, 0x0CF8,,,, TypeStatic, DenseTranslation)
//       WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
//               0, 0x0D00, 0xFFFF, 0, 0xF300,,,, TypeStatic, DenseTranslation)
//       DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
//               0, 0xC0000000, 0xFEBFFFFF, 0, 0x3EC00000,,,, AddressRangeMemory, TypeStatic) })
//     Name (_PRT, Package (0x02) {
//       Package (0x04) { 0x0001FFFF, Zero, Zero, 17 },
//       Package (0x04) { 0x0001FFFF, One, Zero, 18 } })
//   } }
// }
// iasl's AML after the 36-byte table header:
const Bytes IaslRootBridge = {
    0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00, 0x10, 0x48,
    0x0a, 0x5f, 0x53, 0x42, 0x5f, 0x5b, 0x82, 0x40, 0x0a, 0x50, 0x43, 0x49, 0x30, 0x08, 0x5f, 0x48,
    0x49, 0x44, 0x0c, 0x41, 0xd0, 0x0a, 0x03, 0x08, 0x5f, 0x55, 0x49, 0x44, 0x00, 0x08, 0x5f, 0x53,
    0x45, 0x47, 0x00, 0x08, 0x5f, 0x42, 0x42, 0x4e, 0x00, 0x08, 0x5f, 0x43, 0x52, 0x53, 0x11, 0x48,
    0x05, 0x0a, 0x54, 0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08, 0x88, 0x0d, 0x00, 0x01, 0x0c,
    0x03, 0x00, 0x00, 0x00, 0x00, 0xf7, 0x0c, 0x00, 0x00, 0xf8, 0x0c, 0x88, 0x0d, 0x00, 0x01, 0x0c,
    0x03, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xff, 0x00, 0x00, 0x00, 0xf3, 0x87, 0x17, 0x00, 0x00, 0x0c,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xff, 0xff, 0xbf, 0xfe, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0xc0, 0x3e, 0x79, 0x00, 0x08, 0x5f, 0x50, 0x52, 0x54, 0x12, 0x1a, 0x02, 0x12,
    0x0b, 0x04, 0x0c, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00, 0x0a, 0x11, 0x12, 0x0b, 0x04, 0x0c, 0xff,
    0xff, 0x01, 0x00, 0x01, 0x00, 0x0a, 0x12,
};

TEST_F(AmlFixture, ARootBridgeMatchesWhatIaslCompiles)
{
    aml.name("_S5");
    aml.open_package(4);
    aml.integer(5);
    aml.integer(5);
    aml.integer(0);
    aml.integer(0);
    aml.close();
    aml.open_scope("_SB"); // iasl drops the root prefix where the name resolves the same
    aml.open_device("PCI0");
    aml.name("_HID");
    aml.eisa_id("PNP0A03");
    for (const char* name : {"_UID", "_SEG", "_BBN"}) {
        aml.name(name);
        aml.integer(0);
    }
    uint8_t crs[3 * WordAddressBytes + IoPortBytes + DWordAddressBytes + EndTagBytes];
    size_t n = aml_word_bus_range(crs, 0, 0);
    n += aml_io_port(crs + n, 0xcf8, 8);
    n += aml_word_io_window(crs + n, 0x0000, 0x0cf7);
    n += aml_word_io_window(crs + n, 0x0d00, 0xffff);
    n += aml_dword_memory_window(crs + n, 0xc0000000, 0xfebfffff);
    n += aml_end_tag(crs + n);
    ASSERT_EQ(n, sizeof crs);
    aml.name("_CRS");
    aml.buffer(crs, n);
    aml.name("_PRT");
    aml.open_package(2);
    for (unsigned pin = 0; pin < 2; ++pin) {
        aml.open_package(4);
        aml.integer(0x1ffff);
        aml.integer(pin);
        aml.integer(0);
        aml.integer(17 + pin);
        aml.close();
    }
    aml.close();
    aml.close();
    aml.close();
    ASSERT_TRUE(aml.ok());
    EXPECT_EQ(written(), IaslRootBridge);
}

} // namespace
} // namespace tessera::services::vmm

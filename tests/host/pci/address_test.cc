// Device names as system descriptions write them.
#include <tessera/pci/address.h>

#include <gtest/gtest.h>

namespace tessera::pci {
namespace {

DeviceMatch parsed(const char* text)
{
    DeviceMatch match;
    const char* why = nullptr;
    EXPECT_TRUE(parse_device_match(text, match, &why)) << text << ": " << (why ? why : "");
    return match;
}

const char* rejected(const char* text)
{
    DeviceMatch match;
    const char* why = nullptr;
    EXPECT_FALSE(parse_device_match(text, match, &why)) << text;
    return why == nullptr ? "" : why;
}

TEST(PciDeviceMatch, ReadsMicrokitAddressesInHex)
{
    const DeviceMatch match = parsed("00:04.0");
    EXPECT_EQ(match.kind, DeviceMatch::Kind::ByAddress);
    EXPECT_EQ(match.address, (Address{0, 4, 0}));
    EXPECT_EQ(parsed("1:1f.7").address, (Address{1, 31, 7}));
    EXPECT_EQ(parsed("ff:0A.3").address, (Address{255, 10, 3}));
}

TEST(PciDeviceMatch, ReadsVendorAndDeviceWithOptionalInstance)
{
    DeviceMatch match = parsed("1af4:1042");
    EXPECT_EQ(match.kind, DeviceMatch::Kind::ById);
    EXPECT_EQ(match.vendor, 0x1af4);
    EXPECT_EQ(match.device, 0x1042);
    EXPECT_EQ(match.instance, 0);
    EXPECT_EQ(parsed("8086:29C0#12").instance, 12);
}

TEST(PciDeviceMatch, RejectsMalformedNamesWithAReason)
{
    EXPECT_STRNE(rejected(""), "");
    rejected("00:20.0");     // device 32
    rejected("00:04.8");     // function 8
    rejected("100:04.0");    // bus 256
    rejected("00:04.0x");
    rejected("1af4:1042#");  // no instance
    rejected("1af4:1042#256");
    rejected("af4:1042");    // IDs are four digits
    rejected("1af4:10420");
    rejected("ffff:1042");
    rejected("0:4");
    rejected("zz:04.0");
}

TEST(PciDeviceMatch, FormatsBackToTheCanonicalSpelling)
{
    char text[32];
    EXPECT_STREQ(format_device_match(parsed("0:4.0"), text, sizeof text), "00:04.0");
    EXPECT_STREQ(format_device_match(parsed("1AF4:1042#2"), text, sizeof text), "1af4:1042#2");
    EXPECT_EQ((Address::from_routing_id(Address{3, 17, 5}.routing_id())), (Address{3, 17, 5}));
}

} // namespace
} // namespace tessera::pci

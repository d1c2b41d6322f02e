// Building synthetic bzImages (fake_bzimage.h).
#include "fake_bzimage.h"

#include "boot_protocol.h"

namespace tessera::services::vmm::test {
namespace {

template <class T> void put(std::vector<uint8_t>& image, size_t offset, T value)
{
    for (size_t i = 0; i < sizeof(T); ++i)
        image[offset + i] = static_cast<uint8_t>(static_cast<uint64_t>(value) >> (8 * i));
}

} // namespace

uint8_t payload_byte(uint64_t index)
{
    return static_cast<uint8_t>(index * 7 + 1);
}

std::vector<uint8_t> make_fake_bzimage(const FakeBzImageFields& fields)
{
    namespace off = setup_offset;
    unsigned sects = fields.setup_sects == 0 ? DefaultSetupSects : fields.setup_sects;
    size_t setup = (sects + 1) * SectorBytes;
    std::vector<uint8_t> image(setup + fields.payload_bytes, 0);
    put<uint8_t>(image, off::SetupSects, fields.setup_sects);
    put<uint32_t>(image, off::SysSize, fields.payload_bytes / 16);
    put<uint16_t>(image, off::BootFlag, fields.boot_flag ? BootFlagValue : 0);
    put<uint8_t>(image, off::Jump, 0xeb);
    put<uint8_t>(image, off::Jump + 1, fields.header_length_byte);
    put<uint32_t>(image, off::Header, fields.magic ? HeaderMagic : 0x12345678);
    put<uint16_t>(image, off::Version, fields.version);
    put<uint8_t>(image, off::LoadFlags, fields.loadflags);
    put<uint32_t>(image, off::InitrdAddrMax, fields.initrd_addr_max);
    put<uint32_t>(image, off::KernelAlignment, fields.kernel_alignment);
    put<uint8_t>(image, off::RelocatableKernel, fields.relocatable);
    put<uint16_t>(image, off::XLoadFlags, fields.xloadflags);
    put<uint32_t>(image, off::CmdlineSize, fields.cmdline_size);
    put<uint64_t>(image, off::PrefAddress, fields.pref_address);
    put<uint32_t>(image, off::InitSize, fields.init_size);
    for (size_t i = 0; i < fields.payload_bytes; ++i)
        image[setup + i] = payload_byte(i);
    return image;
}

} // namespace tessera::services::vmm::test

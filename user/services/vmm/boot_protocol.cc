// Checking a bzImage's setup header (boot_protocol.h).
#include "boot_protocol.h"

namespace tessera::services::vmm {
namespace {

template <class T> T read_le(ImageBytes image, size_t offset)
{
    T value = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
        value |= static_cast<T>(static_cast<T>(image.data[offset + i]) << (8 * i));
    return value;
}

libos::Error invalid(const char* why)
{
    return libos::make_error(seL4_InvalidArgument, why);
}

bool is_power_of_two(uint64_t value)
{
    return value != 0 && (value & (value - 1)) == 0;
}

} // namespace

libos::Result<SetupHeader> parse_setup_header(ImageBytes image)
{
    namespace off = setup_offset;
    // Every field read below lies before InitSize + 4; a shorter file cannot be a 2.12+ image.
    if (image.data == nullptr || image.size < off::InitSize + 4)
        return invalid("bzImage: file too short to hold a setup header");
    if (read_le<uint16_t>(image, off::BootFlag) != BootFlagValue ||
        read_le<uint32_t>(image, off::Header) != HeaderMagic)
        return invalid("bzImage: no Linux setup header (boot flag or \"HdrS\" missing)");

    SetupHeader header{};
    header.version = read_le<uint16_t>(image, off::Version);
    if (header.version < MinimumVersion)
        return invalid("bzImage: boot protocol older than 2.12 (no 64-bit entry)");
    if ((read_le<uint8_t>(image, off::LoadFlags) & LoadedHigh) == 0)
        return invalid("bzImage: a zImage (loaded low), not a bzImage");
    if ((read_le<uint16_t>(image, off::XLoadFlags) & XlfKernel64) == 0)
        return invalid("bzImage: the kernel has no 64-bit entry point");

    // The jump's displacement byte ends the header; it must cover every field we copy.
    header.header_end = off::Jump + 2 + read_le<uint8_t>(image, off::Jump + 1);
    if (header.header_end < off::InitSize + 4)
        return invalid("bzImage: setup header shorter than its protocol version requires");
    if (header.header_end > image.size)
        return invalid("bzImage: truncated inside its setup header");

    unsigned sects = read_le<uint8_t>(image, off::SetupSects);
    if (sects == 0)
        sects = DefaultSetupSects;
    header.setup_bytes = (static_cast<size_t>(sects) + 1) * SectorBytes;
    header.payload_bytes = static_cast<size_t>(read_le<uint32_t>(image, off::SysSize)) * 16;
    if (header.payload_bytes == 0)
        return invalid("bzImage: empty protected-mode kernel (syssize 0)");
    if (header.setup_bytes > image.size || image.size - header.setup_bytes < header.payload_bytes)
        return invalid("bzImage: truncated (file shorter than setup + syssize)");

    header.pref_address = read_le<uint64_t>(image, off::PrefAddress);
    header.kernel_alignment = read_le<uint32_t>(image, off::KernelAlignment);
    header.relocatable = read_le<uint8_t>(image, off::RelocatableKernel) != 0;
    header.init_size = read_le<uint32_t>(image, off::InitSize);
    header.initrd_addr_max = read_le<uint32_t>(image, off::InitrdAddrMax);
    header.cmdline_size = read_le<uint32_t>(image, off::CmdlineSize);
    if (!is_power_of_two(header.kernel_alignment))
        return invalid("bzImage: kernel_alignment is not a power of two");
    if (header.pref_address % header.kernel_alignment != 0)
        return invalid("bzImage: pref_address is not aligned to kernel_alignment");
    if (header.init_size < header.payload_bytes)
        return invalid("bzImage: init_size smaller than the kernel it loads");
    return header;
}

} // namespace tessera::services::vmm

#include "guest_bundle.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

libos::Error refuse(const char* why)
{
    return libos::make_error(seL4_InvalidArgument, why);
}

bool inside(uint64_t offset, uint64_t length, size_t size)
{
    return offset <= size && length <= size - offset; // no overflow: offset <= size first
}

} // namespace

libos::Result<GuestBundle> parse_guest_bundle(const uint8_t* blob, size_t size)
{
    GuestBundleHeader h;
    if (size < sizeof h)
        return refuse("guest bundle: shorter than its header");
    memcpy(&h, blob, sizeof h);
    if (memcmp(h.magic, GuestBundleMagic, sizeof h.magic) != 0)
        return refuse("guest bundle: not a guest bundle (wrong magic)");
    if (!inside(h.kernel_offset, h.kernel_size, size) ||
        !inside(h.initrd_offset, h.initrd_size, size) ||
        !inside(h.command_line_offset, h.command_line_size, size))
        return refuse("guest bundle: a part lies outside the bundle");
    if (h.kernel_size == 0)
        return refuse("guest bundle: no kernel");
    const auto* command_line = reinterpret_cast<const char*>(blob + h.command_line_offset);
    if (h.command_line_size == 0 || command_line[h.command_line_size - 1] != '\0')
        return refuse("guest bundle: the command line has no terminating NUL");
    if (h.memory_bytes == 0)
        return refuse("guest bundle: no guest memory");
    return GuestBundle{h.memory_bytes,
                       {blob + h.kernel_offset, size_t(h.kernel_size)},
                       {blob + h.initrd_offset, size_t(h.initrd_size)},
                       command_line};
}

} // namespace tessera::services::vmm

// The loader declares a placeholder segment, its last; the image replaces its contents
// in the file, so the kernel's ordinary root-task loading maps the image for the loader.
#include "embed.h"

#include "elf.h"
#include "pack.h"
#include "tessera/spec.h"

namespace tessera::sdf {

std::optional<std::vector<uint8_t>> embed_in_loader(std::vector<uint8_t> loader,
                                                    const std::vector<uint8_t>& image,
                                                    std::string& why)
{
    auto elf = ElfImage::parse(std::move(loader), why);
    if (!elf)
        return std::nullopt;
    const auto placeholder = elf->symbol(TESSERA_LOADER_IMAGE_SYMBOL);
    if (!placeholder || !elf->symbol(TESSERA_LOADER_IMAGE_SIZE_SYMBOL)) {
        why = "is not a Tessera loader (it has no '" TESSERA_LOADER_IMAGE_SYMBOL "' symbol)";
        return std::nullopt;
    }
    // A large image is packed so that the loader's file, every page of which the kernel names
    // by a capability in a root CNode of fixed size, stays small.
    const std::vector<uint8_t> stored = pack_for_loader(image);
    if (!elf->replace_segment(placeholder->value, stored, why))
        return std::nullopt;
    if (!elf->patch(TESSERA_LOADER_IMAGE_SIZE_SYMBOL, stored.size(), 8, why))
        return std::nullopt;
    return elf->bytes();
}

} // namespace tessera::sdf

#include "manager_pack.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include "elf.h"
#include "program.h"

namespace tessera::sdf {
namespace {

constexpr uint64_t Page = 0x1000;

uint64_t page_up(uint64_t bytes)
{
    return (bytes + Page - 1) / Page * Page;
}

std::optional<std::vector<uint8_t>> read_bytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Appends `bytes` at the next page boundary of `out`; returns where it starts.
uint64_t append_paged(std::vector<uint8_t>& out, const uint8_t* bytes, size_t size)
{
    const uint64_t at = page_up(out.size());
    out.resize(at + size);
    if (size != 0) std::memcpy(out.data() + at, bytes, size);
    return at;
}

} // namespace

std::vector<uint32_t> manager_untyped_bits(uint64_t ram)
{
    std::vector<uint32_t> bits;
    const uint64_t largest = uint64_t{1} << TESSERA_MANAGER_UNTYPED_BITS;
    while (ram >= largest) {
        bits.push_back(TESSERA_MANAGER_UNTYPED_BITS);
        ram -= largest;
    }
    for (uint32_t b = TESSERA_MANAGER_UNTYPED_BITS; b-- > 12;)
        if ((ram >> b) & 1) bits.push_back(b);
    if (bits.size() > TESSERA_MANAGER_MAX_UNTYPEDS) return {};
    return bits;
}

std::optional<std::vector<uint8_t>> pack_manager_directory(const ManagerElement& element,
                                                           uint32_t cnode_bits,
                                                           const std::vector<uint32_t>& untyped_bits,
                                                           const PackedTemplates& templates,
                                                           const std::vector<std::string>& directories,
                                                           Diagnostics& diagnostics)
{
    tessera_manager_directory directory{};
    std::memcpy(directory.magic, TESSERA_MANAGER_DIRECTORY_MAGIC, sizeof directory.magic);
    directory.untyped_count = static_cast<uint32_t>(untyped_bits.size());
    directory.cnode_bits = cnode_bits;
    directory.call_channels = element.call_channels;
    directory.notify_channels = element.notify_channels;
    for (size_t i = 0; i < untyped_bits.size() && i < TESSERA_MANAGER_MAX_UNTYPEDS; ++i)
        directory.untyped_bits[i] = static_cast<uint8_t>(untyped_bits[i]);

    std::vector<uint8_t> out(sizeof directory);
    directory.text_offset = append_paged(out, reinterpret_cast<const uint8_t*>(element.text.data()),
                                         element.text.size());
    directory.text_size = element.text.size();
    directory.element_offset = element.offset;

    bool ok = true;
    if (element.programs.size() > TESSERA_MANAGER_MAX_FILES) {
        diagnostics.error(element.where, "a manager packs at most " +
                                             std::to_string(TESSERA_MANAGER_MAX_FILES) + " programs");
        return std::nullopt;
    }
    for (const auto& program : element.programs) {
        if (program.name.size() >= TESSERA_IMAGE_NAME_BYTES) {
            diagnostics.error(program.where, "program name '" + program.name + "' is longer than " +
                                                 std::to_string(TESSERA_IMAGE_NAME_BYTES - 1) +
                                                 " bytes, the most a packed program's name may have");
            ok = false;
            continue;
        }
        const auto path = find_file(program.path, directories);
        const auto bytes = path ? read_bytes(*path) : std::nullopt;
        if (!bytes || bytes->empty()) {
            diagnostics.error(program.where, "program '" + program.name + "': '" + program.path +
                                                 "' " + (path ? "cannot be read or is empty"
                                                              : "is not in the search path"));
            ok = false;
            continue;
        }
        tessera_manager_file& file = directory.files[directory.file_count++];
        std::strncpy(file.name, program.name.c_str(), sizeof file.name - 1);
        file.size = bytes->size();
        file.offset = append_paged(out, bytes->data(), bytes->size());
    }
    if (element.programs.size() + element.static_children.size() > TESSERA_MANAGER_MAX_FILES) {
        diagnostics.error(element.where, "a manager packs at most " +
                                             std::to_string(TESSERA_MANAGER_MAX_FILES) +
                                             " programs and supervised protection domains");
        return std::nullopt;
    }
    for (const auto& child : element.static_children) {
        if (child.pd.size() >= TESSERA_IMAGE_NAME_BYTES) {
            diagnostics.error(child.where, "pd name '" + child.pd + "' is longer than " +
                                               std::to_string(TESSERA_IMAGE_NAME_BYTES - 1) + " bytes");
            ok = false;
            continue;
        }
        // Its entry point, where the manager starts it again (the image was checked already).
        const auto path = find_file(child.program_image, directories);
        auto bytes = path ? read_bytes(*path) : std::nullopt;
        std::string why;
        const auto image = bytes ? ElfImage::parse(std::move(*bytes), why) : std::nullopt;
        if (!image) {
            diagnostics.error(child.where, "pd '" + child.pd + "': its program image '" +
                                               child.program_image + "' cannot be read");
            ok = false;
            continue;
        }
        tessera_manager_file& file = directory.files[directory.file_count++];
        std::strncpy(file.name, child.pd.c_str(), sizeof file.name - 1);
        file.offset = image->entry();
        file.static_pd = 1 + child.id;
    }
    if (directory.file_count + element.templates.size() > TESSERA_MANAGER_MAX_FILES) {
        diagnostics.error(element.where, "a manager packs at most " +
                                             std::to_string(TESSERA_MANAGER_MAX_FILES) +
                                             " programs, templates and supervised protection domains");
        return std::nullopt;
    }
    for (size_t t = 0; t < element.templates.size() && t < templates.programs.size(); ++t) {
        const auto& program = element.templates[t];
        if (program.program.size() >= TESSERA_IMAGE_NAME_BYTES) {
            diagnostics.error(program.where, "program name '" + program.program + "' is longer than " +
                                                 std::to_string(TESSERA_IMAGE_NAME_BYTES - 1) + " bytes");
            ok = false;
            continue;
        }
        if (program.device.size() >= TESSERA_IMAGE_NAME_BYTES) {
            diagnostics.error(program.where, "device name '" + program.device + "' is longer than " +
                                                 std::to_string(TESSERA_IMAGE_NAME_BYTES - 1) + " bytes");
            ok = false;
            continue;
        }
        if (program.pd.size() >= TESSERA_IMAGE_NAME_BYTES) {
            diagnostics.error(program.where, "pd name '" + program.pd + "' is longer than " +
                                                 std::to_string(TESSERA_IMAGE_NAME_BYTES - 1) + " bytes");
            ok = false;
            continue;
        }
        std::strncpy(directory.template_pds[directory.template_count], program.pd.c_str(),
                     TESSERA_IMAGE_NAME_BYTES - 1);
        directory.template_stack_pages[directory.template_count] =
            static_cast<uint16_t>(program.stack_size / Page);
        std::strncpy(directory.template_devices[directory.template_count], program.device.c_str(),
                     TESSERA_IMAGE_NAME_BYTES - 1);
        directory.template_device_reset[directory.template_count] = program.device_reset;
        directory.template_device_info[directory.template_count] = program.device_info_vaddr;
        directory.template_files[directory.template_count++] = static_cast<uint8_t>(directory.file_count);
        tessera_manager_file& file = directory.files[directory.file_count++];
        std::strncpy(file.name, program.program.c_str(), sizeof file.name - 1);
        file.size = templates.programs[t].size();
        file.offset = append_paged(out, templates.programs[t].data(), templates.programs[t].size());
    }
    if (!element.templates.empty()) {
        // Sized by cap_room, so the directory's size is known before the table is.
        std::vector<tessera_manager_template_cap> table(std::max(templates.cap_room, templates.caps.size()));
        std::copy(templates.caps.begin(), templates.caps.end(), table.begin());
        directory.template_cap_count = static_cast<uint32_t>(templates.caps.size());
        directory.template_caps_offset =
            append_paged(out, reinterpret_cast<const uint8_t*>(table.data()), table.size() * sizeof table[0]);
    }
    if (!ok) return std::nullopt;
    std::memcpy(out.data(), &directory, sizeof directory);
    out.resize(page_up(out.size()));
    return out;
}

} // namespace tessera::sdf

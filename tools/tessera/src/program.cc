// Program images against their descriptions. Every problem is reported at the element that
// causes it (the program_image, the map, the setvar attribute), so `tessera check` points the
// user at the line to change.
#include "program.h"

#include <cstring>
#include <fstream>

#include "number.h"

namespace tessera::sdf {
namespace {

std::optional<std::vector<uint8_t>> read_file(const std::filesystem::path& path)
{
    std::error_code ignored;
    if (!std::filesystem::is_regular_file(path, ignored))
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::string searched(const std::vector<std::string>& directories)
{
    std::string out;
    for (const auto& directory : directories)
        out += (out.empty() ? "" : ", ") + directory;
    return out.empty() ? "none given; use --search-path" : out;
}

class Preparer {
public:
    Preparer(const System& system, size_t index, const std::vector<std::string>& directories,
             Diagnostics& diagnostics)
        : system_(system), pd_(system.protection_domains[index]), directories_(directories),
          diagnostics_(diagnostics)
    {
    }

    std::optional<PreparedProgram> run(MissingProgram missing);

private:
    std::optional<ElfImage> load(const std::string& name, MissingProgram missing);
    void check_against_segments(const ElfImage& elf);
    void apply_setvars(PreparedProgram& program);
    void apply_microkit_variables(ElfImage& elf);
    void error(Location where, std::string message) { diagnostics_.error(where, std::move(message)); }

    const System& system_;
    const ProtectionDomain& pd_;
    const std::vector<std::string>& directories_;
    Diagnostics& diagnostics_;
};

std::optional<ElfImage> Preparer::load(const std::string& name, MissingProgram missing)
{
    auto path = find_file(name, directories_);
    if (!path) {
        if (missing == MissingProgram::Error)
            error(pd_.program_image_where, "program image '" + name +
                                               "' not found in the search path (" +
                                               searched(directories_) + ")");
        return std::nullopt;
    }
    auto bytes = read_file(*path);
    if (!bytes) {
        error(pd_.program_image_where, "program image '" + name + "' (" + path->string() +
                                           ") cannot be read");
        return std::nullopt;
    }
    std::string why;
    auto elf = ElfImage::parse(std::move(*bytes), why);
    if (!elf)
        error(pd_.program_image_where,
              "program image '" + name + "' (" + path->string() + ") " + why);
    return elf;
}

void Preparer::check_against_segments(const ElfImage& elf)
{
    for (const auto& map : pd_.maps) {
        const MemoryRegion* mr = system_.find_mr(map.mr);
        if (mr == nullptr)
            continue;
        for (const auto& segment : elf.segments()) {
            const uint64_t start = segment.vaddr & ~(PageSize4K - 1);
            const uint64_t end = (segment.vaddr + segment.memory_size + PageSize4K - 1) & ~(PageSize4K - 1);
            if (map.vaddr < end && start < map.vaddr + mr->size) {
                error(map.where, "map of '" + mr->name + "' at [" + hex(map.vaddr) + ", " +
                                     hex(map.vaddr + mr->size) +
                                     ") overlaps the program image segment [" + hex(start) + ", " +
                                     hex(end) + ") of '" + pd_.program_image + "'");
                break;
            }
        }
    }
    const uint64_t limit = pd_.map_limit();
    for (const auto& segment : elf.segments())
        if (segment.vaddr + segment.memory_size > limit)
            error(pd_.program_image_where,
                  "program image '" + pd_.program_image + "' has a segment ending at " +
                      hex(segment.vaddr + segment.memory_size) + ", above the limit " + hex(limit) +
                      " below the IPC buffer");
}

void Preparer::apply_setvars(PreparedProgram& program)
{
    ElfImage& elf = program.elf;
    const std::string image = pd_.symbols_image.empty() ? pd_.program_image : pd_.symbols_image;
    for (const auto& setvar : pd_.setvars) {
        uint64_t value = setvar.value;
        const MemoryRegion* mr = system_.find_mr(setvar.region);
        if (setvar.kind == SetVarKind::Size && mr)
            value = mr->size;
        if (setvar.kind == SetVarKind::PrefillSize && mr)
            value = mr->prefill.size();
        if (setvar.kind == SetVarKind::RegionPaddr && mr && mr->phys_addr)
            value = *mr->phys_addr;
        const auto symbol = elf.symbol(setvar.symbol);
        if (!symbol) {
            error(setvar.where, "setvar: symbol '" + setvar.symbol + "' is not in the program image '" +
                                    image + "'");
            continue;
        }
        if (setvar.kind == SetVarKind::String) {
            // Tessera's text setvar: NUL-terminated into a char array at least that large, the
            // rest of the array zeroed.
            std::vector<uint8_t> bytes(setvar.text.begin(), setvar.text.end());
            bytes.push_back(0);
            if (symbol->size > bytes.size())
                bytes.resize(symbol->size, 0);
            std::string why;
            if (!elf.patch_bytes(setvar.symbol, bytes, why))
                error(setvar.where, "setvar: " + why + " '" + image + "'");
            continue;
        }
        // Microkit writes a word: a smaller variable would be overrun, a larger one half set.
        if (symbol->size != SetVarBytes) {
            error(setvar.where, "setvar: symbol '" + setvar.symbol + "' in '" + image + "' has " +
                                    std::to_string(symbol->size) + " bytes, expected " +
                                    std::to_string(SetVarBytes) + " (a 64-bit variable)");
            continue;
        }
        std::string why;
        if (!elf.patch(setvar.symbol, value, SetVarBytes, why)) {
            error(setvar.where, "setvar: " + why + " '" + image + "'");
            continue;
        }
        // A region placed at boot: only the loader learns its address (WRITE_PADDR).
        if (setvar.kind == SetVarKind::RegionPaddr && mr && !mr->phys_addr) {
            if (symbol->value % PageSize4K > PageSize4K - SetVarBytes)
                error(setvar.where, "setvar: symbol '" + setvar.symbol +
                                        "' straddles a page boundary in '" + image + "'");
            else
                program.paddr_writes.push_back(PaddrWrite{symbol->value, mr->name});
        }
    }
}

// libmicrokit reads its name, channel masks and I/O port ids from variables the Microkit tool
// fills in; fill them when the program has them, so Microkit-built programs run unchanged.
void Preparer::apply_microkit_variables(ElfImage& elf)
{
    uint64_t irqs = 0, notifications = 0, pps = 0, ioports = 0;
    for (const auto& irq : pd_.irqs)
        irqs |= uint64_t(1) << irq.id;
    for (const auto& device : pd_.pci_devices)
        if (device.interrupt != PciInterrupt::None)
            irqs |= uint64_t(1) << device.irq_id;
    for (const auto& port : pd_.ioports)
        ioports |= uint64_t(1) << port.id;
    for (const auto& channel : system_.channels)
        for (const auto* end : {&channel.a, &channel.b}) {
            if (end->pd != pd_.name)
                continue;
            // microkit_notify and microkit_ppcall accept the channels this end may use.
            if (end->notify)
                notifications |= uint64_t(1) << end->id;
            if (end->pp)
                pps |= uint64_t(1) << end->id;
        }
    std::string ignored;
    if (auto name = elf.symbol("microkit_name")) {
        std::vector<uint8_t> bytes(name->size ? name->size : 64, 0);
        std::memcpy(bytes.data(), pd_.name.data(), std::min(pd_.name.size(), bytes.size() - 1));
        (void)elf.patch_bytes("microkit_name", bytes, ignored);
    }
    const std::pair<const char*, uint64_t> words[] = {{"microkit_irqs", irqs},
                                                       {"microkit_notifications", notifications},
                                                       {"microkit_pps", pps},
                                                       {"microkit_ioports", ioports}};
    for (const auto& [name, value] : words)
        if (elf.symbol(name))
            (void)elf.patch(name, value, 8, ignored);
    if (auto passive = elf.symbol("microkit_passive"))
        (void)elf.patch("microkit_passive", pd_.passive ? 1 : 0, passive->size ? passive->size : 1,
                        ignored);
}

std::optional<PreparedProgram> Preparer::run(MissingProgram missing)
{
    if (pd_.program_image.empty())
        return std::nullopt; // reported by the parser
    const size_t errors_before = diagnostics_.count();
    auto elf = load(pd_.program_image, missing);
    if (!elf)
        return std::nullopt;
    if (!pd_.symbols_image.empty()) {
        // The symbols come from an unstripped copy; a missing one is an error even for check,
        // since the program it describes was found.
        auto symbols = load(pd_.symbols_image, MissingProgram::Error);
        if (!symbols)
            return std::nullopt;
        elf->use_symbols_of(*symbols);
    }
    PreparedProgram program{std::move(*elf), {}};
    check_against_segments(program.elf);
    apply_setvars(program);
    apply_microkit_variables(program.elf);
    if (diagnostics_.count() != errors_before)
        return std::nullopt;
    return program;
}

} // namespace

std::optional<std::filesystem::path> find_file(const std::string& name,
                                               const std::vector<std::string>& directories)
{
    std::error_code ignored;
    const std::filesystem::path path(name);
    if (path.is_absolute())
        return std::filesystem::exists(path, ignored) ? std::optional(path) : std::nullopt;
    for (const auto& directory : directories) {
        const auto candidate = std::filesystem::path(directory) / path;
        if (std::filesystem::exists(candidate, ignored))
            return candidate;
    }
    return std::nullopt;
}

std::optional<PreparedProgram> prepare_program(const System& system, size_t index,
                                               const std::vector<std::string>& directories,
                                               MissingProgram missing, Diagnostics& diagnostics)
{
    return Preparer(system, index, directories, diagnostics).run(missing);
}

void load_prefills(System& system, const std::vector<std::string>& directories,
                   Diagnostics& diagnostics)
{
    for (auto& mr : system.memory_regions) {
        if (mr.prefill_path.empty())
            continue;
        auto path = find_file(mr.prefill_path, directories);
        auto bytes = path ? read_file(*path) : std::nullopt;
        if (!bytes) {
            diagnostics.error(mr.where, "prefill_path '" + mr.prefill_path + "' of memory region '" +
                                            mr.name + "' " +
                                            (std::filesystem::path(mr.prefill_path).is_absolute()
                                                 ? std::string("does not exist")
                                                 : "not found in the search path (" +
                                                       searched(directories) + ")"));
            if (mr.size == 0)
                mr.size = mr.page_size; // keeps the maps of the region checkable
            continue;
        }
        if (bytes->empty()) {
            diagnostics.error(mr.where, "prefill_path '" + mr.prefill_path + "' (" +
                                            path->string() + ") is empty");
        } else if (mr.size == 0) {
            mr.size = (bytes->size() + mr.page_size - 1) / mr.page_size * mr.page_size;
        } else if (bytes->size() > mr.size) {
            diagnostics.error(mr.where, "prefill_path '" + mr.prefill_path + "' (" + path->string() +
                                            ") has " + std::to_string(bytes->size()) +
                                            " bytes, more than the region's size " + hex(mr.size));
        }
        if (mr.page_size != PageSize4K)
            diagnostics.error(mr.where, "prefill of memory region '" + mr.name +
                                            "' with 2 MiB pages is not supported yet; use "
                                            "page_size 0x1000");
        if (mr.size == 0)
            mr.size = mr.page_size;
        mr.prefill = std::move(*bytes);
    }
}

} // namespace tessera::sdf

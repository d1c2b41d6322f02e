// The kernel's share is measured, then rounded up: with 512 MiB, Tessera's loader finds 3.3 MiB
// less than the guest's memory besides its own span and file, seL4's 3.5 MiB (docs/systems.md,
// Limits); Tessera also keeps the boot module (the loader file) where QEMU put it.
#include "machine_fit.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "elf.h"
#include "pack.h"

namespace tessera::sdf {
namespace {

constexpr uint64_t PageBytes = 4096;
constexpr uint64_t KernelShareBytes = uint64_t(4) << 20;
// Boot capabilities besides the loader's pages: seL4's fixed initial slots (up to 16) and at most
// CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS (230) untyped capabilities.
constexpr uint64_t BootSlotsBesidesPages = 16 + 230;
constexpr uint32_t RootCNodeBits = 12;

uint64_t kib(uint64_t bytes) { return (bytes + 1023) >> 10; }

} // namespace

uint64_t MachineFit::memory_needed_mib() const
{
    return (plan.total_bytes() + boot_share + (uint64_t(1) << 20) - 1) >> 20;
}

std::optional<MachineFit> fit_machine(const std::vector<uint8_t>& loader, const std::vector<uint8_t>& image,
                                      uint64_t guest_memory, std::string& why)
{
    auto elf = ElfImage::parse(loader, why);
    if (!elf)
        return std::nullopt;
    uint64_t low = UINT64_MAX, high = 0;
    for (const auto& segment : elf->segments()) {
        low = std::min(low, segment.vaddr / PageBytes * PageBytes);
        high = std::max(high, (segment.vaddr + segment.memory_size + PageBytes - 1) / PageBytes * PageBytes);
    }
    if (high <= low) {
        why = "has no loadable segment";
        return std::nullopt;
    }
    std::vector<uint8_t> kinds;
    auto view = spec::ImageView::open(image.data(), image.size());
    if (view) {
        kinds.resize(view.value().spec().object_count() + 1);
        view = spec::ImageView::open(image.data(), image.size(), kinds.data(), kinds.size());
    }
    if (!view) {
        why = std::string("is not a valid image: ") + view.error().detail;
        return std::nullopt;
    }

    MachineFit fit;
    fit.guest_memory = guest_memory;
    fit.loader_pages = (high - low) / PageBytes;
    // A page table per 2 MiB of span, a page directory per GiB, a PDPT: the kernel's paging
    // capabilities for the loader's image.
    const uint64_t paging = fit.loader_pages / 512 + 3;
    fit.root_slots = uint64_t(1) << RootCNodeBits;
    fit.root_slots_needed = BootSlotsBesidesPages + fit.loader_pages + paging;
    const bool packed = image.size() > PackAboveBytes; // the loader unpacks it into its memory
    spec::LoaderStart start;
    start.root_cnode_bits = RootCNodeBits;
    start.boot_slots = uint32_t(fit.root_slots_needed);
    start.image_slots = uint32_t(fit.loader_pages + paging);
    start.unpacked_image_bytes = packed ? image.size() : 0;
    std::vector<uint32_t> scratch(view.value().spec().object_count() + 1);
    fit.plan = spec::plan_load(view.value().spec(), start, scratch.data());

    fit.boot_share = KernelShareBytes + (high - low) + loader.size();
    fit.loader_free = guest_memory > fit.boot_share ? guest_memory - fit.boot_share : 0;
    return fit;
}

std::string describe_fit(const MachineFit& fit)
{
    std::ostringstream out;
    out << "  memory: " << kib(fit.plan.total_bytes()) << " KiB of about " << kib(fit.loader_free)
        << " KiB the loader finds free with " << (fit.guest_memory >> 20) << " MiB of guest memory ("
        << kib(fit.plan.object_bytes) << " KiB for the system's objects, " << kib(fit.plan.loader_bytes)
        << " KiB for the loader)\n";
    out << "  address spaces: " << fit.plan.address_spaces << " of " << spec::MaxSystemAddressSpaces
        << " (" << fit.plan.asid_pools + 1 << " of " << spec::AsidPoolCount << " ASID pools)\n";
    out << "  capabilities: " << fit.plan.peak_capabilities << " held at once by the loader (CSpace of 2^"
        << fit.plan.cspace_bits << " slots), " << fit.plan.objects << " objects\n";
    out << "  loader file: " << fit.loader_pages << " pages, " << fit.root_slots_needed << " of the "
        << fit.root_slots << " slots of the kernel's root CNode at boot\n";
    return out.str();
}

std::vector<std::string> fit_problems(const MachineFit& fit)
{
    std::vector<std::string> problems;
    if (!fit.plan.fits_asids())
        problems.push_back("the system has " + std::to_string(fit.plan.address_spaces) +
                           " address spaces (one per protection domain), more than the " +
                           std::to_string(spec::MaxSystemAddressSpaces) + " the kernel's ASIDs allow");
    if (!fit.fits_memory())
        problems.push_back("the system needs " + std::to_string(kib(fit.plan.total_bytes())) +
                           " KiB of memory, more than the about " + std::to_string(kib(fit.loader_free)) +
                           " KiB the loader finds free with " + std::to_string(fit.guest_memory >> 20) +
                           " MiB of guest memory: use --memory " +
                           std::to_string(fit.memory_needed_mib()) + "M or more");
    if (!fit.fits_root_cnode())
        problems.push_back("the loader file spans " + std::to_string(fit.loader_pages) +
                           " pages, and the kernel cannot name them all in its root CNode of " +
                           std::to_string(fit.root_slots) + " slots: the programs are too large");
    return problems;
}

std::optional<uint64_t> parse_memory_size(const std::string& text)
{
    if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])))
        return std::nullopt;
    size_t used = 0;
    uint64_t value = 0;
    try {
        value = std::stoull(text, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    const std::string unit = text.substr(used);
    uint64_t shift = 20; // QEMU's default unit is MiB
    if (unit == "G" || unit == "g")
        shift = 30;
    else if (unit == "K" || unit == "k")
        shift = 10;
    else if (!unit.empty() && unit != "M" && unit != "m")
        return std::nullopt;
    if (value == 0 || value > (uint64_t(1) << (63 - shift)))
        return std::nullopt;
    return value << shift;
}

} // namespace tessera::sdf

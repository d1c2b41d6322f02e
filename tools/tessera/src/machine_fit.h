// Whether a built system fits the machine it will boot on: the memory the launcher gives the
// guest, the kernel's ASIDs, and the kernel's root CNode, which must name every page of the
// loader file. The numbers are the loader's own plan (tessera/load_plan.h) with the kernel's
// share of memory estimated from above, so a system the tool accepts the loader accepts too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tessera/load_plan.h"

namespace tessera::sdf {

// The launcher's default guest memory (scripts/launch.py --memory).
inline constexpr uint64_t DefaultGuestMemory = uint64_t(512) << 20;

struct MachineFit {
    spec::LoadPlan plan;
    uint64_t guest_memory = 0;     // what the launcher gives the guest
    uint64_t loader_free = 0;      // what the loader will find free of it, at least
    uint64_t boot_share = 0;       // what the kernel and the loader's own file take, at most
    uint64_t loader_pages = 0;     // pages of the loader file's span (program, image, heap)
    uint64_t root_slots_needed = 0; // slots the kernel fills in the root CNode at boot, at most
    uint64_t root_slots = 0;

    bool fits_memory() const { return plan.total_bytes() <= loader_free; }
    bool fits_root_cnode() const { return root_slots_needed <= root_slots; }
    bool fits() const { return fits_memory() && fits_root_cnode() && plan.fits_asids(); }
    // The guest memory that would do, in MiB.
    uint64_t memory_needed_mib() const;
};

// `loader` is the loader ELF with the image inside (embed.h), `image` the unpacked boot image.
// nullopt with why set when either cannot be read.
std::optional<MachineFit> fit_machine(const std::vector<uint8_t>& loader, const std::vector<uint8_t>& image,
                                      uint64_t guest_memory, std::string& why);

// One line each for memory, address spaces and the loader file's pages, for `tessera check`.
std::string describe_fit(const MachineFit& fit);
// The reasons it does not fit, one per line, each saying what to do; empty when it fits.
std::vector<std::string> fit_problems(const MachineFit& fit);

// A guest memory size as the launcher takes it ("512M", "2G", "1536M"); nullopt if malformed.
std::optional<uint64_t> parse_memory_size(const std::string& text);

} // namespace tessera::sdf

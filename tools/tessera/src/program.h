// The program images of a system: finding each in the search directories, checking it against
// the description (maps against its segments, setvar symbols) and patching it (setvars and
// libmicrokit's variables). `tessera check` and `tessera build` both use it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "elf.h"
#include "model.h"

namespace tessera::sdf {

// A setvar region_paddr of a region the loader places: the variable at vaddr in the program
// receives the physical address of the region's first frame (WRITE_PADDR).
struct PaddrWrite {
    uint64_t vaddr;
    std::string region;
};

struct PreparedProgram {
    ElfImage elf; // patched, full (symbols still there)
    std::vector<PaddrWrite> paddr_writes;
};

enum class MissingProgram : uint8_t {
    Error,   // `tessera build`: every program must be there
    Skip,    // `tessera check`: check what can be found
};

// The first `directories[i]/name` (or `name` itself when absolute) that exists.
std::optional<std::filesystem::path> find_file(const std::string& name,
                                               const std::vector<std::string>& directories);

// Reads, checks and patches the program of protection domain `index`. nullopt when it is
// missing (reported only with MissingProgram::Error) or has errors (reported, with the location
// of the element at fault).
std::optional<PreparedProgram> prepare_program(const System& system, size_t index,
                                               const std::vector<std::string>& directories,
                                               MissingProgram missing, Diagnostics& diagnostics);

// Reads every memory region's prefill_path file (found in `directories`): sets its contents and,
// when the size was left out, the size (rounded up to the page size). Reports missing files and
// files larger than their region.
void load_prefills(System& system, const std::vector<std::string>& directories,
                   Diagnostics& diagnostics);

} // namespace tessera::sdf

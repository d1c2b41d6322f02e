// The spec compiler. Object creation comes first, then address spaces (ASIDs, tables, each
// frame's contents followed by its mapping), interrupts, capabilities, thread set-up and finally
// the resumes, so the loader never starts a thread whose world is incomplete.
#include "compiler.h"

#include "compiler_steps.h"
#include "interfaces_build.h"

namespace tessera::sdf {
namespace compile {

std::optional<BuildResult> Compiler::run()
{
    errors_before_ = diagnostics_.count();
    if (!read_programs())
        return std::nullopt;
    find_pci_devices(); // 0. found at boot, before anything refers to their BARs
    create_pd_objects(); // 1.
    create_guests();
    create_region_frames(); // 2.
    create_pci_frames();
    map_all_regions();
    create_template_cnodes();
    if (!create_managers())
        return std::nullopt;
    create_address_spaces(); // 3.
    fill_and_map_frames();
    create_interrupts(); // 4.
    create_pci_interrupts();
    create_ioports();
    mint_inputs(); // 5.
    mint_channels();
    mint_children();
    mint_manager_caps();
    mint_template_caps();
    if (!complete_template_tables())
        return std::nullopt;
    mint_vcpus();
    mint_cspace_caps();
    configure_threads(); // 6.
    bind_vcpus();
    resume_threads();
    schedule_domains(); // 7.
    pack_image();
    return std::move(result_);
}

// Reads and checks every program; false (with the errors reported) if any is missing or wrong.
bool Compiler::read_programs()
{
    paddr_writes_.resize(pds_.size());
    for (size_t i = 0; i < pds_.size(); ++i) {
        auto program = prepare_program(system_, i, options_.search_paths, MissingProgram::Error,
                                       diagnostics_);
        if (!program)
            continue;
        paddr_writes_[i] = std::move(program->paddr_writes);
        check_program_generations(system_, i, program->elf, diagnostics_);
        // Symbols and debug data stay behind: the image carries only what the loader copies. A
        // template's program is loaded by the manager's ELF loader, which wants a valid ELF file.
        programs_.push_back(program->elf.loadable_only(pds_[i].manager_template
                                                           ? ElfImage::Packing::PageCongruent
                                                           : ElfImage::Packing::Compact));
    }
    return diagnostics_.count() == errors_before_;
}

// The image's entries: the spec, a program per PD (entry 1 + i), the prefills, the managers'
// directories, in the order the data entries' numbers above assumed.
void Compiler::pack_image()
{
    result_.blobs.push_back(ImageBlob{TESSERA_ENTRY_SPEC, "spec", result_.spec.serialise()});
    for (size_t i = 0; i < pds_.size(); ++i)
        result_.blobs.push_back(ImageBlob{TESSERA_ENTRY_ELF, pds_[i].name, programs_[i].bytes()});
    for (const MemoryRegion* mr : prefilled_)
        result_.blobs.push_back(ImageBlob{TESSERA_ENTRY_DATA, mr->name, mr->prefill});
    for (ManagerObjects& m : managers_)
        result_.blobs.push_back(
            ImageBlob{TESSERA_ENTRY_DATA, pds_[m.pd].name + ".manager", std::move(m.directory)});
    result_.image = write_image(result_.blobs);
}

} // namespace compile

std::optional<BuildResult> build_system(const System& system, const BuildOptions& options,
                                        Diagnostics& diagnostics)
{
    return compile::Compiler(system, options, diagnostics).run();
}

} // namespace tessera::sdf

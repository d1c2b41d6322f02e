// The kernel's own page tables. They live in the kernel image's .bss: the kernel has no heap, and
// these exist before any memory is handed out.
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/memory.h"
#include "kernel/console.h"

extern "C" char kernel_text_start[], kernel_text_end[], kernel_rodata_start[], kernel_rodata_end[],
    kernel_data_start[], kernel_data_end[], kernel_symbols_start[], kernel_symbols_end[];

namespace tessera::x86_64 {
namespace {

constexpr unsigned Entries = 512;
constexpr uint64_t LargePageSize = uint64_t{1} << 21;
constexpr uint64_t HugePageSize = uint64_t{1} << 30;
// Without 1 GiB pages each GiB of the direct map costs one page directory from .bss.
constexpr unsigned MaxDirectMapGiB = 64;
constexpr unsigned KernelImagePageTables = 4; // 8 MiB of kernel image

struct alignas(4096) Table {
    uint64_t entry[Entries];
};

Table kernel_pml4;
Table direct_pdpt;
Table direct_directories[MaxDirectMapGiB];
Table image_pdpt;
Table image_directory;
Table image_tables[KernelImagePageTables];

uint64_t nx_flag = 0;

uint64_t image_physical(const void* p) { return reinterpret_cast<uint64_t>(p) - KernelVirtualOffset; }

bool range_has_ram(const boot::MultibootInfo& info, uint64_t start, uint64_t end)
{
    for (unsigned i = 0; i < info.memory_count; i++) {
        const auto& e = info.memory[i];
        if (e.type == uint32_t(boot::MemoryType::Usable) && e.start.raw() < end && start < e.start.raw() + e.length)
            return true;
    }
    return false;
}

void map_image_range(const char* start, const char* end, uint64_t flags)
{
    for (const char* p = start; p < end; p += PageSize) {
        // Slot 510 of the image PDPT starts at physical 0, so the index is the physical page number.
        const uint64_t index = image_physical(p) / PageSize;
        if (index >= uint64_t{KernelImagePageTables} * Entries)
            panic("kernel image larger than the %u page tables reserved for it", KernelImagePageTables);
        image_tables[index / Entries].entry[index % Entries] = image_physical(p) | flags;
    }
}

} // namespace

uint64_t no_execute_flag() { return nx_flag; }

uint64_t virtual_to_physical(const void* virtual_address)
{
    const uint64_t v = reinterpret_cast<uint64_t>(virtual_address);
    return v >= KernelVirtualOffset ? v - KernelVirtualOffset : v - DirectMapBase;
}

uint64_t kernel_pml4_physical() { return image_physical(&kernel_pml4); }

void copy_kernel_mappings(uint64_t* pml4)
{
    for (unsigned i = Entries / 2; i < Entries; i++)
        pml4[i] = kernel_pml4.entry[i];
}

uint64_t init_kernel_address_space(const boot::MultibootInfo& info)
{
    const CpuFeatures& cpu = cpu_features();
    if (cpu.no_execute) {
        write_msr(msr::Efer, read_msr(msr::Efer) | efer::NoExecuteEnable);
        nx_flag = pte::NoExecute;
    }
    const uint64_t global = cpu.global_pages ? pte::Global : 0;

    uint64_t ram_end = 0;
    for (unsigned i = 0; i < info.memory_count; i++) {
        const auto& e = info.memory[i];
        if (e.type == uint32_t(boot::MemoryType::Usable) && e.start.raw() + e.length > ram_end)
            ram_end = e.start.raw() + e.length;
    }
    uint64_t gib = (ram_end + HugePageSize - 1) / HugePageSize;
    if (gib < 4)
        gib = 4; // the first 4 GiB hold the APICs and PCI holes the kernel may touch
    const unsigned max_gib = cpu.huge_pages ? Entries : MaxDirectMapGiB;
    if (gib > max_gib) {
        kprintf("memory: only the first %u GiB are used (no 1 GiB pages)\n", max_gib);
        gib = max_gib;
    }

    const uint64_t data = pte::Present | pte::Writable | global | nx_flag;
    // The first 4 GiB in 2 MiB pages so that device holes can be uncached; above that RAM only.
    for (uint64_t g = 0; g < gib; g++) {
        if (g >= 4 && cpu.huge_pages) {
            direct_pdpt.entry[g] = (g * HugePageSize) | data | pte::LargePage;
            continue;
        }
        if (g >= MaxDirectMapGiB)
            break;
        Table& pd = direct_directories[g];
        for (unsigned i = 0; i < Entries; i++) {
            const uint64_t physical = g * HugePageSize + i * LargePageSize;
            const bool ram = range_has_ram(info, physical, physical + LargePageSize);
            pd.entry[i] = physical | data | pte::LargePage | (ram ? 0 : pte::CacheDisable | pte::WriteThrough);
        }
        direct_pdpt.entry[g] = image_physical(&pd) | pte::Present | pte::Writable;
    }
    kernel_pml4.entry[256] = image_physical(&direct_pdpt) | pte::Present | pte::Writable;

    map_image_range(kernel_text_start, kernel_text_end, pte::Present | global);
    map_image_range(kernel_rodata_start, kernel_rodata_end, pte::Present | global | nx_flag);
    map_image_range(kernel_data_start, kernel_data_end, pte::Present | pte::Writable | global | nx_flag);
    map_image_range(kernel_symbols_start, kernel_symbols_end, pte::Present | global | nx_flag);
    for (unsigned t = 0; t < KernelImagePageTables; t++)
        image_directory.entry[t] = image_physical(&image_tables[t]) | pte::Present | pte::Writable;
    image_pdpt.entry[510] = image_physical(&image_directory) | pte::Present | pte::Writable;
    kernel_pml4.entry[511] = image_physical(&image_pdpt) | pte::Present | pte::Writable;

    uint64_t cr4 = read_cr4();
    if (cpu.global_pages)
        cr4 |= cr4::PageGlobal;
    if (cpu.smep)
        cr4 |= cr4::Smep;
    if (cpu.smap)
        cr4 |= cr4::Smap;
    write_cr4(cr4);
    write_cr0(read_cr0() | cr0::WriteProtect);
    write_cr3(kernel_pml4_physical());
    return gib * HugePageSize;
}

} // namespace tessera::x86_64

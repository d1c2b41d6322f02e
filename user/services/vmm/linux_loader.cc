// Planning and writing a Linux guest's boot memory (linux_loader.h).
#include "linux_loader.h"

#include <string.h>

namespace tessera::services::vmm {
namespace {

namespace layout = guest_layout;

// boot_params offsets outside the setup header (the kernel's zero-page.rst).
namespace zero_page {
constexpr size_t AcpiRsdpAddress = 0x070; // u64 (2.14+)
constexpr size_t E820Count = 0x1e8;       // u8
constexpr size_t E820Table = 0x2d0;       // 20-byte entries: u64 address, u64 size, u32 type
constexpr size_t E820EntryBytes = 20;
constexpr uint8_t LoaderUndefined = 0xff; // type_of_loader: "no assigned id"
} // namespace zero_page

constexpr uint64_t PageBytes = 4096;
constexpr uint64_t LargePageBytes = 2ull << 20;
constexpr uint64_t PtePresentWritable = 0x3;
constexpr uint64_t PteLargePage = 0x80;
// Flat 64-bit code and 32-bit-style data descriptors (Intel SDM vol. 3, 3.4.5; AMD APM vol. 2).
constexpr uint64_t GdtCode64 = 0x00af9b000000ffffull;
constexpr uint64_t GdtData = 0x00cf93000000ffffull;
constexpr uint16_t ProtocolWithRsdp = 0x020e;

constexpr uint64_t align_up(uint64_t value, uint64_t alignment)
{
    return (value + alignment - 1) & ~(alignment - 1);
}

libos::Error no_room(const char* why)
{
    return libos::make_error(seL4_NotEnoughMemory, why);
}

// Length with the NUL, or 0 when there is no NUL within `limit` bytes.
uint64_t bounded_length(const char* text, uint64_t limit)
{
    for (uint64_t i = 0; i < limit; ++i)
        if (text[i] == '\0')
            return i + 1;
    return 0;
}

template <class T> void store_le(uint8_t* at, T value)
{
    for (size_t i = 0; i < sizeof(T); ++i)
        at[i] = static_cast<uint8_t>(static_cast<uint64_t>(value) >> (8 * i));
}

void fill_e820(LinuxBootPlan& plan)
{
    const E820Entry map[] = {
        {0, layout::LowRamEnd, E820Type::Ram},
        {layout::LowRamEnd, 0xa0000 - layout::LowRamEnd, E820Type::Reserved},
        {layout::BiosStart, layout::HighRamStart - layout::BiosStart, E820Type::Reserved},
        {layout::HighRamStart, plan.ram_bytes - layout::HighRamStart, E820Type::Ram},
    };
    plan.e820_count = 0;
    for (const E820Entry& entry : map)
        plan.e820[plan.e820_count++] = entry;
}

void write_page_tables(uint8_t* ram)
{
    uint8_t* pml4 = ram + layout::PageTables;
    uint8_t* pdpt = pml4 + PageBytes;
    uint8_t* directories = pdpt + PageBytes;
    memset(pml4, 0, PageBytes * layout::PageTablePages);
    store_le<uint64_t>(pml4, (layout::PageTables + PageBytes) | PtePresentWritable);
    for (uint64_t gib = 0; gib < 4; ++gib) {
        uint64_t directory = layout::PageTables + (2 + gib) * PageBytes;
        store_le<uint64_t>(pdpt + gib * 8, directory | PtePresentWritable);
        for (uint64_t i = 0; i < 512; ++i) {
            uint64_t address = (gib << 30) + i * LargePageBytes;
            store_le<uint64_t>(directories + gib * PageBytes + i * 8,
                               address | PtePresentWritable | PteLargePage);
        }
    }
}

void write_gdt(uint8_t* ram)
{
    uint8_t* gdt = ram + layout::Gdt;
    memset(gdt, 0, PageBytes);
    store_le<uint64_t>(gdt + layout::BootCodeSelector, GdtCode64);
    store_le<uint64_t>(gdt + layout::BootDataSelector, GdtData);
}

void write_zero_page(const LinuxBootPlan& plan, const LinuxBootFiles& files, uint8_t* ram)
{
    namespace off = setup_offset;
    uint8_t* page = ram + layout::ZeroPage;
    memset(page, 0, PageBytes);
    // The header goes to the same offsets it has in the image (boot.rst, "64-bit boot protocol").
    memcpy(page + off::SetupSects, files.kernel.data + off::SetupSects,
           plan.header.header_end - off::SetupSects);
    page[off::TypeOfLoader] = zero_page::LoaderUndefined;
    store_le<uint32_t>(page + off::RamdiskImage, static_cast<uint32_t>(plan.initrd_address));
    store_le<uint32_t>(page + off::RamdiskSize, static_cast<uint32_t>(plan.initrd_bytes));
    store_le<uint32_t>(page + off::CmdLinePtr, static_cast<uint32_t>(layout::CommandLine));
    if (files.rsdp_address != 0 && plan.header.version >= ProtocolWithRsdp)
        store_le<uint64_t>(page + zero_page::AcpiRsdpAddress, files.rsdp_address);
    page[zero_page::E820Count] = static_cast<uint8_t>(plan.e820_count);
    for (unsigned i = 0; i < plan.e820_count; ++i) {
        uint8_t* entry = page + zero_page::E820Table + i * zero_page::E820EntryBytes;
        store_le<uint64_t>(entry, plan.e820[i].address);
        store_le<uint64_t>(entry + 8, plan.e820[i].size);
        store_le<uint32_t>(entry + 16, static_cast<uint32_t>(plan.e820[i].type));
    }
}

} // namespace

libos::Result<LinuxBootPlan> plan_linux_boot(const LinuxBootFiles& files, uint64_t ram_bytes)
{
    auto header = parse_setup_header(files.kernel);
    if (!header)
        return header.error();
    if (ram_bytes < layout::MinRam || ram_bytes > layout::MaxRam || ram_bytes % PageBytes != 0)
        return no_room("guest RAM must be a whole number of pages from 32 MiB to 3 GiB");

    LinuxBootPlan plan{};
    plan.header = header.value();
    plan.ram_bytes = ram_bytes;

    const SetupHeader& h = plan.header;
    if (h.pref_address >= layout::HighRamStart)
        plan.kernel_address = h.pref_address;
    else if (h.relocatable)
        plan.kernel_address = align_up(layout::HighRamStart, h.kernel_alignment);
    else
        return libos::make_error(seL4_InvalidArgument, "bzImage: fixed load address below 1 MiB");
    if (plan.kernel_address > ram_bytes || ram_bytes - plan.kernel_address < h.init_size)
        return no_room("kernel does not fit in guest RAM (load address + init_size)");
    const uint64_t kernel_end = plan.kernel_address + h.init_size;

    uint64_t line_limit = h.cmdline_size + 1;
    if (line_limit > layout::CommandLineLimit)
        line_limit = layout::CommandLineLimit;
    const char* line = files.command_line != nullptr ? files.command_line : "";
    plan.command_line_bytes = bounded_length(line, line_limit);
    if (plan.command_line_bytes == 0)
        return libos::make_error(seL4_InvalidArgument,
                                 "command line longer than the kernel accepts (cmdline_size)");

    if (files.initrd.size != 0) {
        // As high as the kernel allows, so that it never overlaps the decompressing kernel.
        uint64_t limit = ram_bytes;
        if (static_cast<uint64_t>(h.initrd_addr_max) + 1 < limit)
            limit = static_cast<uint64_t>(h.initrd_addr_max) + 1;
        if (files.initrd.size > limit)
            return no_room("initrd does not fit in guest RAM");
        uint64_t address = (limit - files.initrd.size) & ~(PageBytes - 1);
        if (address < kernel_end)
            return no_room("initrd does not fit in guest RAM above the kernel");
        plan.initrd_address = address;
        plan.initrd_bytes = files.initrd.size;
    }

    fill_e820(plan);
    plan.entry_rip = plan.kernel_address + Entry64Offset;
    plan.entry_rsi = layout::ZeroPage;
    plan.entry_cr3 = layout::PageTables;
    return plan;
}

void write_linux_boot(const LinuxBootPlan& plan, const LinuxBootFiles& files, GuestRam ram)
{
    write_gdt(ram.data);
    write_page_tables(ram.data);
    write_zero_page(plan, files, ram.data);
    memset(ram.data + layout::CommandLine, 0, layout::CommandLineLimit);
    memcpy(ram.data + layout::CommandLine, files.command_line != nullptr ? files.command_line : "",
           plan.command_line_bytes);
    memcpy(ram.data + plan.kernel_address, files.kernel.data + plan.header.setup_bytes,
           plan.header.payload_bytes);
    if (plan.initrd_bytes != 0)
        memcpy(ram.data + plan.initrd_address, files.initrd.data, plan.initrd_bytes);
}

} // namespace tessera::services::vmm

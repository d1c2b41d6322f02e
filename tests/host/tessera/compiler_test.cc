// The spec compiler: what the example systems compile to, and build-time errors.
#include <cstring>
#include <fstream>
#include <gtest/gtest.h>

#include "checker.h"
#include "elf.h"
#include "parser.h"
#include "test_support.h"
#include "tessera/spec_reader.h"

namespace tessera::sdf {
namespace {

std::vector<union tessera_spec_op> ops_of_kind(const SpecBuilder& spec, uint32_t kind)
{
    std::vector<union tessera_spec_op> out;
    for (const auto& op : spec.ops())
        if (op.kind == kind)
            out.push_back(op);
    return out;
}

// The program as the test built it (with its symbols; image blobs carry none).
ElfImage original_program(const std::string& name)
{
    std::ifstream in(std::string(TESSERA_TEST_PROGRAMS_DIR) + "/" + name, std::ios::binary);
    std::string why;
    auto elf = ElfImage::parse(std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {}), why);
    EXPECT_TRUE(elf) << why;
    return elf.value_or(ElfImage{});
}

// The bytes an image blob puts at vaddr (nullptr when no segment's file data covers it).
const uint8_t* blob_bytes_at(const ElfImage& blob, uint64_t vaddr)
{
    for (const auto& segment : blob.segments())
        if (vaddr >= segment.vaddr && vaddr < segment.vaddr + segment.file_size)
            return blob.bytes().data() + segment.file_offset + (vaddr - segment.vaddr);
    return nullptr;
}

// The 8-byte value the blob gives the program's symbol (0xdead when it has no data there).
uint64_t symbol_u64(const ElfImage& blob, const ElfImage& program, const char* name)
{
    const uint8_t* bytes = blob_bytes_at(blob, program.symbol(name)->value);
    uint64_t value = 0xdead;
    if (bytes != nullptr)
        std::memcpy(&value, bytes, sizeof value);
    return value;
}

TEST(Compiler, PingPongChannelsBecomeBadgedCaps)
{
    auto result = test::build_example("pingpong");
    ASSERT_TRUE(result);
    // Object order: ping's tcb, cnode, vspace, notification, ipc buffer (ping needs no
    // endpoint); pong's come after ping's frames, so look them up by name.
    std::map<std::string, uint32_t> by_name;
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_CREATE_OBJECT))
        if (op.create_object.name != TESSERA_NO_NAME)
            by_name[result->spec.strings().c_str() + op.create_object.name] = op.create_object.object;
    ASSERT_TRUE(by_name.count("pong.endpoint"));
    EXPECT_FALSE(by_name.count("ping.endpoint"));

    bool ppc = false, to_pong = false, to_ping = false;
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_MINT_CAP)) {
        const auto& m = op.mint_cap;
        if (m.cnode == by_name["ping.cspace"] && m.slot == TESSERA_PD_SLOT_ENDPOINT_BASE + 0) {
            ppc = true;
            EXPECT_EQ(m.object, by_name["pong.endpoint"]);
            EXPECT_EQ(m.badge, TESSERA_BADGE_PPC | 1);
        }
        if (m.cnode == by_name["ping.cspace"] && m.slot == TESSERA_PD_SLOT_NOTIFICATION_BASE + 0) {
            to_pong = true;
            EXPECT_EQ(m.object, by_name["pong.notification"]);
            EXPECT_EQ(m.badge, uint64_t(1) << 1);
        }
        if (m.cnode == by_name["pong.cspace"] && m.slot == TESSERA_PD_SLOT_NOTIFICATION_BASE + 1) {
            to_ping = true;
            EXPECT_EQ(m.object, by_name["ping.notification"]);
            EXPECT_EQ(m.badge, uint64_t(1) << 0);
        }
    }
    EXPECT_TRUE(ppc);
    EXPECT_TRUE(to_pong);
    EXPECT_TRUE(to_ping);
}

TEST(Compiler, MapsSharedRegionWithItsRightsAndStartsEveryThread)
{
    auto result = test::build_example("pingpong");
    ASSERT_TRUE(result);
    int shared_maps = 0;
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_MAP_FRAME)) {
        if (op.map_frame.vaddr == 0x2000000) {
            ++shared_maps;
            EXPECT_EQ(op.map_frame.rights, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE);
        }
        if (op.map_frame.vaddr == 0x3000000) {
            ++shared_maps;
            EXPECT_EQ(op.map_frame.rights, TESSERA_RIGHT_READ);
        }
    }
    EXPECT_EQ(shared_maps, 2);
    EXPECT_EQ(ops_of_kind(result->spec, TESSERA_OP_TCB_RESUME).size(), 2u);
    EXPECT_EQ(ops_of_kind(result->spec, TESSERA_OP_ASSIGN_ASID).size(), 2u);
    // Resumes come last: nothing may start before every PD is complete.
    EXPECT_EQ(result->spec.ops().back().kind, uint32_t(TESSERA_OP_TCB_RESUME));
    EXPECT_EQ(result->spec.ops()[result->spec.ops().size() - 2].kind, uint32_t(TESSERA_OP_TCB_RESUME));
}

// A loader then holds a filled frame only until the op right after its fills maps it.
TEST(Compiler, EachFrameIsFilledJustBeforeItIsMapped)
{
    auto result = test::build_example("pingpong");
    ASSERT_TRUE(result);
    const auto& ops = result->spec.ops();
    size_t fills = 0;
    for (size_t i = 0; i < ops.size(); ++i) {
        if (ops[i].kind != TESSERA_OP_FILL_FRAME)
            continue;
        ++fills;
        size_t next = i + 1;
        while (next < ops.size() && ops[next].kind == TESSERA_OP_FILL_FRAME)
            ++next;
        ASSERT_LT(next, ops.size());
        EXPECT_EQ(ops[next].kind, uint32_t(TESSERA_OP_MAP_FRAME)) << "after fill op " << i;
        EXPECT_EQ(ops[next].map_frame.frame, ops[i].fill_frame.frame) << "after fill op " << i;
    }
    EXPECT_GT(fills, 0u);
}

// The PD runtime (user/lib/microkit) sets up its IPC buffer from rdi before anything else.
TEST(Compiler, ThreadsStartWithTheirIpcBufferAddressInRdi)
{
    auto result = test::build_example("pingpong");
    ASSERT_TRUE(result);
    const auto configures = ops_of_kind(result->spec, TESSERA_OP_TCB_CONFIGURE);
    const auto registers = ops_of_kind(result->spec, TESSERA_OP_TCB_WRITE_REGISTERS);
    ASSERT_EQ(configures.size(), 2u);
    ASSERT_EQ(registers.size(), 2u);
    for (size_t i = 0; i < registers.size(); ++i) {
        EXPECT_EQ(registers[i].tcb_write_registers.tcb, configures[i].tcb_configure.tcb);
        EXPECT_EQ(registers[i].tcb_write_registers.argument, configures[i].tcb_configure.ipc_buffer_vaddr);
        EXPECT_NE(registers[i].tcb_write_registers.argument, 0u);
    }
}

TEST(Compiler, PatchesSetvarsAndMicrokitVariables)
{
    auto result = test::build_example("pingpong");
    ASSERT_TRUE(result);
    ASSERT_EQ(result->blobs.size(), 3u);
    std::string why;
    auto pong = ElfImage::parse(result->blobs[2].data, why);
    ASSERT_TRUE(pong) << why;
    const ElfImage pong_program = original_program("pong.elf");
    auto read_u64 = [&](const char* name) { return symbol_u64(*pong, pong_program, name); };
    EXPECT_EQ(read_u64("shared_buffer"), 0x3000000u);
    EXPECT_EQ(read_u64("microkit_notifications"), uint64_t(1) << 1);
    EXPECT_EQ(read_u64("microkit_pps"), 0u); // pong calls nobody; ping calls pong
    auto ping = ElfImage::parse(result->blobs[1].data, why);
    ASSERT_TRUE(ping) << why;
    EXPECT_EQ(symbol_u64(*ping, original_program("ping.elf"), "microkit_pps"), 1u); // its channel 0
    EXPECT_EQ(read_u64("microkit_irqs"), 0u);
    const uint8_t* name = blob_bytes_at(*pong, pong_program.symbol("microkit_name")->value);
    ASSERT_NE(name, nullptr);
    EXPECT_STREQ(reinterpret_cast<const char*>(name), "pong");
}

// The image carries only what the loader copies: no symbols, no debug data, same segments.
TEST(Compiler, ProgramsInTheImageKeepOnlyLoadableBytes)
{
    auto result = test::build_example("pingpong");
    ASSERT_TRUE(result);
    std::string why;
    auto blob = ElfImage::parse(result->blobs[1].data, why);
    ASSERT_TRUE(blob) << why;
    const ElfImage program = original_program("ping.elf");
    EXPECT_LT(blob->bytes().size(), program.bytes().size());
    EXPECT_FALSE(blob->symbol("microkit_pps"));
    EXPECT_EQ(blob->entry(), program.entry());
    ASSERT_EQ(blob->segments().size(), program.segments().size());
    for (size_t i = 0; i < program.segments().size(); ++i) {
        const Segment& a = blob->segments()[i];
        const Segment& b = program.segments()[i];
        EXPECT_EQ(a.vaddr, b.vaddr);
        EXPECT_EQ(a.memory_size, b.memory_size);
        // A patched variable in .bss makes the file part grow over it, never past the memory.
        EXPECT_GE(a.file_size, b.file_size);
        EXPECT_LE(a.file_size, a.memory_size);
        EXPECT_EQ(a.perms, b.perms);
    }
    // Code is copied unchanged (data differs where the tool patched variables).
    const Segment& code = program.segments()[1];
    EXPECT_EQ(0, std::memcmp(blob_bytes_at(*blob, code.vaddr), program.bytes().data() + code.file_offset, code.file_size));
}

std::string build_errors(const std::string& text, const std::string& search)
{
    Diagnostics diagnostics("t.system");
    System system = parse_system(text, diagnostics);
    check_system(system, diagnostics);
    EXPECT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    auto result = build_system(system, BuildOptions{{search}}, diagnostics);
    EXPECT_FALSE(result);
    return diagnostics.format_all();
}

TEST(Compiler, ReportsMissingAndNonElfPrograms)
{
    EXPECT_EQ(build_errors(R"(<system>
  <protection_domain name="a"><program_image path="absent.elf"/></protection_domain>
  <protection_domain name="b"><program_image path="hello.system"/></protection_domain>
</system>)", TESSERA_TEST_SYSTEMS_DIR),
              "t.system:2:31: error: program image 'absent.elf' not found in the search path (" +
                  std::string(TESSERA_TEST_SYSTEMS_DIR) + ")\n"
              "t.system:3:31: error: program image 'hello.system' (" +
                  std::string(TESSERA_TEST_SYSTEMS_DIR) + "/hello.system) is not an ELF file\n");
}

TEST(Compiler, ReportsMapOverProgramImageAndUnknownSymbol)
{
    std::string why;
    const std::string file = test::read_text(std::string(TESSERA_TEST_PROGRAMS_DIR) + "/hello.elf");
    auto hello = ElfImage::parse(std::vector<uint8_t>(file.begin(), file.end()), why);
    ASSERT_TRUE(hello) << why;
    const uint64_t start = hello->segments().front().vaddr & ~uint64_t(0xfff);
    char text[512];
    std::snprintf(text, sizeof text, R"(<system>
  <memory_region name="m" size="0x1000"/>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <map mr="m" vaddr="0x%llx" setvar_vaddr="no_such_symbol"/></protection_domain>
</system>)", static_cast<unsigned long long>(start));
    const std::string errors = build_errors(text, TESSERA_TEST_PROGRAMS_DIR);
    EXPECT_NE(errors.find("t.system:4:5: error: map of 'm' at [0x" ), std::string::npos) << errors;
    EXPECT_NE(errors.find("overlaps the program image segment"), std::string::npos) << errors;
    EXPECT_NE(errors.find(": error: setvar: symbol 'no_such_symbol' is not in the program image 'hello.elf'"),
              std::string::npos) << errors;
}

std::optional<BuildResult> build_text(const std::string& text)
{
    Diagnostics diagnostics("t.system");
    System system = parse_system(text, diagnostics);
    check_system(system, diagnostics);
    EXPECT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    auto result = build_system(system, BuildOptions{{TESSERA_TEST_PROGRAMS_DIR}}, diagnostics);
    EXPECT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    return result;
}

// The loader writes the physical address of a region it places (docs/decisions.md 11): one
// WRITE_PADDR right after the fills of the variable's page and right before its mapping.
TEST(Compiler, RegionPaddrOfARegionPlacedAtBootIsWrittenByTheLoader)
{
    auto result = build_text(R"(<system>
  <memory_region name="ring" size="0x1000"/>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <setvar symbol="shared_buffer" region_paddr="ring"/></protection_domain>
</system>)");
    ASSERT_TRUE(result);
    const auto& ops = result->spec.ops();
    uint32_t ring = UINT32_MAX;
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_CREATE_OBJECT))
        if (op.create_object.name != TESSERA_NO_NAME &&
            std::string(result->spec.strings().c_str() + op.create_object.name) == "ring")
            ring = op.create_object.object;
    ASSERT_NE(ring, UINT32_MAX);
    const uint64_t vaddr = original_program("hello.elf").symbol("shared_buffer")->value;
    size_t writes = 0;
    for (size_t i = 0; i < ops.size(); ++i) {
        if (ops[i].kind != TESSERA_OP_WRITE_PADDR)
            continue;
        ++writes;
        const auto& write = ops[i].write_paddr;
        EXPECT_EQ(write.source, ring);
        EXPECT_EQ(write.frame_offset, vaddr % 0x1000);
        ASSERT_TRUE(i > 0 && i + 1 < ops.size());
        EXPECT_EQ(ops[i - 1].kind, uint32_t(TESSERA_OP_FILL_FRAME));
        EXPECT_EQ(ops[i - 1].fill_frame.frame, write.frame);
        EXPECT_EQ(ops[i + 1].kind, uint32_t(TESSERA_OP_MAP_FRAME));
        EXPECT_EQ(ops[i + 1].map_frame.frame, write.frame);
        EXPECT_EQ(ops[i + 1].map_frame.vaddr, vaddr / 0x1000 * 0x1000);
    }
    EXPECT_EQ(writes, 1u);
    // The image still reads back as valid, kinds checked.
    auto image = spec::ImageView::open(result->image.data(), result->image.size());
    ASSERT_TRUE(image);
    std::vector<uint8_t> kinds(image.value().spec().object_count());
    EXPECT_TRUE(spec::ImageView::open(result->image.data(), result->image.size(), kinds.data(), kinds.size()));
}

// A region whose physical address a program learns is one contiguous run: consecutive
// CREATE_OBJECTs naming the run, and the WRITE_PADDR gives the first frame's address.
TEST(Compiler, MultiPageRegionWithRegionPaddrIsOneContiguousRun)
{
    auto result = build_text(R"(<system>
  <memory_region name="dma" size="0x5000"/>
  <memory_region name="plain" size="0x3000"/>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <map mr="dma" vaddr="0x10000000"/><map mr="plain" vaddr="0x20000000"/>
    <setvar symbol="shared_buffer" region_paddr="dma"/></protection_domain>
</system>)");
    ASSERT_TRUE(result);
    std::vector<tessera_op_create_object> run, others;
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_CREATE_OBJECT))
        (op.create_object.placement == TESSERA_PLACE_CONTIGUOUS ? run : others).push_back(op.create_object);
    ASSERT_EQ(run.size(), 5u);
    for (uint32_t i = 0; i < run.size(); ++i) {
        EXPECT_EQ(run[i].object, run[0].object + i);
        EXPECT_EQ(run[i].at.run.first, run[0].object);
        EXPECT_EQ(run[i].at.run.count, 5u);
    }
    const auto writes = ops_of_kind(result->spec, TESSERA_OP_WRITE_PADDR);
    ASSERT_EQ(writes.size(), 1u);
    EXPECT_EQ(writes[0].write_paddr.source, run[0].object);
    // Only the region a program learns the address of is a run.
    for (const auto& op : others)
        EXPECT_EQ(op.placement, uint32_t(TESSERA_PLACE_DEFAULT));
    auto image = spec::ImageView::open(result->image.data(), result->image.size());
    EXPECT_TRUE(image);
}

TEST(Compiler, RegionSizeSetvarIsPatchedAndStringRestZeroed)
{
    auto result = build_text(R"(<system>
  <memory_region name="data" size="0x6000"/>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <setvar symbol="greeting" string="gpt:a"/>
    <setvar symbol="shared_buffer" region_size="data"/></protection_domain>
</system>)");
    ASSERT_TRUE(result);
    std::string why;
    auto blob = ElfImage::parse(result->blobs[1].data, why);
    ASSERT_TRUE(blob) << why;
    const ElfImage program = original_program("hello.elf");
    const uint8_t* text = blob_bytes_at(*blob, program.symbol("greeting")->value);
    ASSERT_NE(text, nullptr);
    EXPECT_STREQ(reinterpret_cast<const char*>(text), "gpt:a");
    EXPECT_EQ(text[7], 0); // the rest of the symbol zeroed (it held "unpatched")
    EXPECT_EQ(symbol_u64(*blob, program, "shared_buffer"), 0x6000u);
}

// A <pci_device>: PCI_FIND comes first; its BAR pages are frames placed in the BAR, mapped
// uncached; PCI_DESCRIBE fills the info page right before its read-only mapping; the interrupt
// is claimed for the device found at boot and reaches the PD as its irq id.
TEST(Compiler, PciDeviceBecomesFindBarFramesDescribeAndInterrupt)
{
    auto result = build_text(R"(<system>
  <protection_domain name="drv"><program_image path="hello.elf"/>
    <pci_device name="disk" pcidev="1af4:1042#1" info_vaddr="0x10000000" setvar_info="shared_buffer">
      <bar index="4" vaddr="0x10100000" size="0x4000"/>
      <bar index="1" vaddr="0x10200000" size="0x1000"/>
      <msix id="5" vector="20" entry="1"/>
    </pci_device></protection_domain>
</system>)");
    ASSERT_TRUE(result);
    const auto& ops = result->spec.ops();
    ASSERT_EQ(ops[0].kind, uint32_t(TESSERA_OP_PCI_FIND));
    const auto& find = ops[0].pci_find;
    EXPECT_EQ(find.device, 0u);
    EXPECT_EQ(find.match, uint32_t(TESSERA_PCI_MATCH_ID));
    EXPECT_EQ(find.vendor, 0x1af4);
    EXPECT_EQ(find.device_id, 0x1042);
    EXPECT_EQ(find.instance, 1);
    EXPECT_EQ(find.interrupt, TESSERA_PCI_INTERRUPT_MSIX);
    EXPECT_EQ(find.vector, 20u);
    EXPECT_EQ(find.msix_entry, 1u);
    EXPECT_EQ(find.bar_pages[4], 4u);
    EXPECT_EQ(find.bar_pages[1], 1u);
    EXPECT_EQ(find.command, TESSERA_PCI_COMMAND_MEMORY | TESSERA_PCI_COMMAND_BUS_MASTER);
    EXPECT_STREQ(result->spec.strings().c_str() + find.name, "drv/disk");

    std::map<uint32_t, uint64_t> bar_frames; // object -> offset into BAR 4
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_CREATE_OBJECT))
        if (op.create_object.placement == TESSERA_PLACE_PCI_BAR && op.create_object.at.pci.bar == 4)
            bar_frames[op.create_object.object] = op.create_object.paddr;
    ASSERT_EQ(bar_frames.size(), 4u);
    unsigned uncached_bar_maps = 0;
    for (size_t i = 0; i < ops.size(); ++i) {
        if (ops[i].kind == TESSERA_OP_MAP_FRAME && bar_frames.count(ops[i].map_frame.frame)) {
            EXPECT_EQ(ops[i].map_frame.flags & TESSERA_MAP_CACHED, 0u);
            EXPECT_EQ(ops[i].map_frame.vaddr, 0x10100000u + bar_frames[ops[i].map_frame.frame]);
            ++uncached_bar_maps;
        }
        if (ops[i].kind == TESSERA_OP_PCI_DESCRIBE) {
            EXPECT_EQ(ops[i].pci_describe.bar_vaddr[4], 0x10100000u);
            EXPECT_EQ(ops[i].pci_describe.bar_vaddr[1], 0x10200000u);
            ASSERT_LT(i + 1, ops.size());
            EXPECT_EQ(ops[i + 1].kind, uint32_t(TESSERA_OP_MAP_FRAME));
            EXPECT_EQ(ops[i + 1].map_frame.frame, ops[i].pci_describe.frame);
            EXPECT_EQ(ops[i + 1].map_frame.vaddr, 0x10000000u);
            EXPECT_EQ(ops[i + 1].map_frame.rights, TESSERA_RIGHT_READ);
        }
    }
    EXPECT_EQ(uncached_bar_maps, 4u);
    const auto msi = ops_of_kind(result->spec, TESSERA_OP_IRQ_GET_MSI);
    ASSERT_EQ(msi.size(), 1u);
    EXPECT_EQ(msi[0].irq_get_msi.from_device, 1u);
    EXPECT_EQ(msi[0].irq_get_msi.vector, 20u);
    const auto notify = ops_of_kind(result->spec, TESSERA_OP_IRQ_SET_NOTIFICATION);
    ASSERT_EQ(notify.size(), 1u);
    EXPECT_EQ(notify[0].irq_set_notification.badge, uint64_t(1) << 5);
    // The program sees the irq bit and the info page's address.
    std::string why;
    auto blob = ElfImage::parse(result->blobs[1].data, why);
    ASSERT_TRUE(blob) << why;
    const ElfImage program = original_program("hello.elf");
    EXPECT_EQ(symbol_u64(*blob, program, "microkit_irqs"), uint64_t(1) << 5);
    EXPECT_EQ(symbol_u64(*blob, program, "shared_buffer"), 0x10000000u);
    // The loader's reader accepts it, kinds checked.
    auto image = spec::ImageView::open(result->image.data(), result->image.size());
    ASSERT_TRUE(image);
    std::vector<uint8_t> kinds(image.value().spec().object_count());
    EXPECT_TRUE(spec::ImageView::open(result->image.data(), result->image.size(), kinds.data(), kinds.size()));
}

TEST(Compiler, IntxInterruptTakesItsPinFromTheDevice)
{
    auto result = build_text(R"(<system>
  <protection_domain name="drv"><program_image path="hello.elf"/>
    <pci_device name="disk" pcidev="00:04.0" bus_master="false"><intx id="3" vector="30"/></pci_device>
  </protection_domain>
</system>)");
    ASSERT_TRUE(result);
    const auto finds = ops_of_kind(result->spec, TESSERA_OP_PCI_FIND);
    ASSERT_EQ(finds.size(), 1u);
    EXPECT_EQ(finds[0].pci_find.match, uint32_t(TESSERA_PCI_MATCH_ADDRESS));
    EXPECT_EQ(finds[0].pci_find.slot, 4);
    EXPECT_EQ(finds[0].pci_find.command, 0); // no BARs, no DMA
    const auto ioapic = ops_of_kind(result->spec, TESSERA_OP_IRQ_GET_IOAPIC);
    ASSERT_EQ(ioapic.size(), 1u);
    EXPECT_EQ(ioapic[0].irq_get_ioapic.from_device, 1u);
    EXPECT_EQ(ioapic[0].irq_get_ioapic.level, 1u);
    EXPECT_EQ(ioapic[0].irq_get_ioapic.polarity, 0u);
}

TEST(Compiler, RegionPaddrOfAFixedRegionIsPatchedAtBuildTime)
{
    auto result = build_text(R"(<system>
  <memory_region name="device" size="0x1000" phys_addr="0xfeb00000"/>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <setvar symbol="shared_buffer" region_paddr="device"/></protection_domain>
</system>)");
    ASSERT_TRUE(result);
    EXPECT_TRUE(ops_of_kind(result->spec, TESSERA_OP_WRITE_PADDR).empty());
    std::string why;
    auto blob = ElfImage::parse(result->blobs[1].data, why);
    ASSERT_TRUE(blob) << why;
    EXPECT_EQ(symbol_u64(*blob, original_program("hello.elf"), "shared_buffer"), 0xfeb00000u);
}

// Tessera's setvar string: the text, NUL-terminated, in the program's char array; a text longer
// than the array is refused with both sizes.
TEST(Compiler, SetvarStringWritesTheTextIntoTheProgram)
{
    auto result = build_text(R"(<system>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <setvar symbol="greeting" string="/home/a"/></protection_domain>
</system>)");
    ASSERT_TRUE(result);
    std::string why;
    auto blob = ElfImage::parse(result->blobs[1].data, why);
    ASSERT_TRUE(blob) << why;
    const uint8_t* text = blob_bytes_at(*blob, original_program("hello.elf").symbol("greeting")->value);
    ASSERT_NE(text, nullptr);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(text), 8), std::string("/home/a\0", 8));

    const std::string errors = build_errors(R"(<system>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <setvar symbol="greeting" string="a text longer than sixteen bytes"/></protection_domain>
</system>)", TESSERA_TEST_PROGRAMS_DIR);
    EXPECT_NE(errors.find("symbol 'greeting' has 16 bytes, needs 33"), std::string::npos) << errors;

    Diagnostics diagnostics("t.system");
    parse_system(R"(<system>
  <memory_region name="r" size="0x1000"/>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <setvar symbol="greeting" region_paddr="r" string="x"/></protection_domain>
</system>)", diagnostics);
    const std::string both = diagnostics.format_all();
    EXPECT_NE(both.find("t.system:4:5: error: <setvar> takes one of 'region_paddr', 'region_size' and 'string'"),
              std::string::npos) << both;
}

// A PD that receives calls gets its own notification in slot 3, receive right only.
TEST(Compiler, ServersGetTheirNotificationToWaitOn)
{
    auto result = build_text(R"(<system>
  <protection_domain name="server" priority="200"><program_image path="pong.elf"/></protection_domain>
  <protection_domain name="client" priority="100"><program_image path="ping.elf"/></protection_domain>
  <channel><end pd="client" id="0" pp="true"/><end pd="server" id="0"/></channel>
</system>)");
    ASSERT_TRUE(result);
    std::map<uint32_t, std::string> names;
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_CREATE_OBJECT))
        if (op.create_object.name != TESSERA_NO_NAME)
            names[op.create_object.object] = result->spec.strings().c_str() + op.create_object.name;
    bool server_has_it = false;
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_MINT_CAP)) {
        if (op.mint_cap.slot != TESSERA_PD_SLOT_NOTIFICATION)
            continue;
        EXPECT_EQ(names.at(op.mint_cap.cnode), "server.cspace");
        EXPECT_EQ(names.at(op.mint_cap.object), "server.notification");
        EXPECT_EQ(op.mint_cap.rights, TESSERA_RIGHT_READ);
        EXPECT_EQ(op.mint_cap.badge, 0u);
        server_has_it = true;
    }
    EXPECT_TRUE(server_has_it);
}

// One description using every element and the attributes that change the spec: each must show
// up in the ops, with the slots and badges of docs/system-description.md.
TEST(Compiler, EveryElementAndAttributeReachesTheSpec)
{
    auto result = build_text(R"(<system>
  <memory_region name="big" size="0x200000" page_size="0x200000"/>
  <memory_region name="device" size="0x1000" phys_addr="0xfeb00000"/>
  <protection_domain name="parent" priority="200" stack_size="0x4000">
    <program_image path="ping.elf"/>
    <map mr="big" vaddr="0x40000000" perms="rw"/>
    <map mr="device" vaddr="0x50000000" perms="rw" cached="false"/>
    <irq irq="4" id="5" trigger="edge"/>
    <protection_domain name="child" id="3" priority="100"><program_image path="pong.elf"/></protection_domain>
  </protection_domain>
  <protection_domain name="other" priority="50"><program_image path="hello.elf"/></protection_domain>
  <channel><end pd="other" id="0" notify="false" pp="true"/><end pd="parent" id="1"/></channel>
</system>)");
    ASSERT_TRUE(result);
    std::map<std::string, uint32_t> by_name;
    std::map<uint32_t, uint32_t> kind_of;
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_CREATE_OBJECT)) {
        kind_of[op.create_object.object] = op.create_object.object_kind;
        if (op.create_object.name != TESSERA_NO_NAME)
            by_name[result->spec.strings().c_str() + op.create_object.name] = op.create_object.object;
    }
    for (const char* name : {"big", "device", "parent.tcb", "parent.cspace", "parent.vspace",
                             "parent.notification", "parent.endpoint", "child.tcb", "child.cspace",
                             "other.cspace", "other.notification"})
        ASSERT_TRUE(by_name.count(name)) << name;
    EXPECT_FALSE(by_name.count("other.endpoint")); // nobody calls other
    EXPECT_EQ(kind_of[by_name["big"]], uint32_t(TESSERA_OBJECT_FRAME_2M));
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_CREATE_OBJECT))
        if (op.create_object.object == by_name["device"]) {
            EXPECT_EQ(op.create_object.paddr, 0xfeb00000u);
        }

    // Maps: a 2 MiB frame needs no page table; the device page is uncached; four stack pages.
    unsigned stack_pages = 0;
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_MAP_FRAME)) {
        const auto& map = op.map_frame;
        if (map.frame == by_name["big"]) {
            EXPECT_EQ(map.flags, uint32_t(TESSERA_MAP_CACHED));
        }
        if (map.frame == by_name["device"]) {
            EXPECT_EQ(map.flags, 0u);
        }
        if (map.vspace == by_name["parent.vspace"] && map.vaddr >= StackTop - 0x5000 && map.vaddr < StackTop) {
            EXPECT_GE(map.vaddr, StackTop - 0x4000);
            ++stack_pages;
        }
    }
    EXPECT_EQ(stack_pages, 4u);
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_MAP_TABLE))
        if (op.map_table.vaddr == 0x40000000 && op.map_table.vspace == by_name["parent.vspace"]) {
            EXPECT_NE(kind_of[op.map_table.table], uint32_t(TESSERA_OBJECT_PAGE_TABLE));
        }

    // The irq: I/O APIC 0, pin = vector = 4, edge; delivered as bit 5; its handler in slot 138+5.
    const auto irqs = ops_of_kind(result->spec, TESSERA_OP_IRQ_GET_IOAPIC);
    ASSERT_EQ(irqs.size(), 1u);
    EXPECT_EQ(irqs[0].irq_get_ioapic.pin, 4u);
    EXPECT_EQ(irqs[0].irq_get_ioapic.vector, 4u);
    EXPECT_EQ(irqs[0].irq_get_ioapic.level, 0u);
    const auto delivery = ops_of_kind(result->spec, TESSERA_OP_IRQ_SET_NOTIFICATION);
    ASSERT_EQ(delivery.size(), 1u);
    EXPECT_EQ(delivery[0].irq_set_notification.notification, by_name["parent.notification"]);
    EXPECT_EQ(delivery[0].irq_set_notification.badge, uint64_t(1) << 5);

    // Capabilities, as (cnode, slot) -> (object, badge).
    std::map<std::pair<uint32_t, uint64_t>, std::pair<uint32_t, uint64_t>> minted;
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_MINT_CAP))
        minted[{op.mint_cap.cnode, op.mint_cap.slot}] = {op.mint_cap.object, op.mint_cap.badge};
    auto at = [&](const char* cnode, uint64_t slot) { return minted.find({by_name[cnode], slot}); };
    EXPECT_EQ(at("parent.cspace", TESSERA_PD_SLOT_IRQ_BASE + 5)->second.first, irqs[0].irq_get_ioapic.handler);
    EXPECT_EQ(at("parent.cspace", TESSERA_PD_SLOT_TCB_BASE + 3)->second.first, by_name["child.tcb"]);
    EXPECT_EQ(at("child.cspace", TESSERA_PD_SLOT_FAULT_ENDPOINT)->second,
              std::make_pair(by_name["parent.endpoint"], uint64_t(TESSERA_BADGE_FAULT | 3)));
    // notify="false" on other's end: other cannot signal parent; parent can signal other.
    EXPECT_EQ(at("other.cspace", TESSERA_PD_SLOT_NOTIFICATION_BASE + 0), minted.end());
    EXPECT_EQ(at("parent.cspace", TESSERA_PD_SLOT_NOTIFICATION_BASE + 1)->second,
              std::make_pair(by_name["other.notification"], uint64_t(1) << 0));
    EXPECT_EQ(at("other.cspace", TESSERA_PD_SLOT_ENDPOINT_BASE + 0)->second,
              std::make_pair(by_name["parent.endpoint"], uint64_t(TESSERA_BADGE_PPC | 1)));

    // Threads: priorities as written; only the child has a fault endpoint.
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_TCB_SET_PRIORITY)) {
        if (op.tcb_set_priority.tcb == by_name["parent.tcb"]) {
            EXPECT_EQ(op.tcb_set_priority.priority, 200u);
        }
        if (op.tcb_set_priority.tcb == by_name["child.tcb"]) {
            EXPECT_EQ(op.tcb_set_priority.priority, 100u);
        }
    }
    for (const auto& op : ops_of_kind(result->spec, TESSERA_OP_TCB_CONFIGURE))
        EXPECT_EQ(op.tcb_configure.fault_endpoint,
                  op.tcb_configure.tcb == by_name["child.tcb"] ? uint64_t(TESSERA_PD_SLOT_FAULT_ENDPOINT) : 0u);
}

TEST(Elf, RejectsNonX86AndTruncatedFiles)
{
    std::string why;
    std::vector<uint8_t> bytes(64, 0);
    std::memcpy(bytes.data(), "\x7f" "ELF\x02\x01", 6);
    bytes[16] = 2;  // executable
    bytes[18] = 183; // AArch64
    EXPECT_FALSE(ElfImage::parse(bytes, why));
    EXPECT_EQ(why, "is not an x86_64 program (ELF machine 183)");
    bytes.resize(20);
    EXPECT_FALSE(ElfImage::parse(bytes, why));
    EXPECT_EQ(why, "is not an ELF file");
}

} // namespace
} // namespace tessera::sdf

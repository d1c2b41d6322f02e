// The Microkit 2.3.0 features beyond channels and maps, as the compiler turns them into ops and
// patched programs: setvars in .bss, I/O ports, <cspace> capabilities, fpu, prefilled regions,
// BootInfo regions and path_for_symbols.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>

#include "checker.h"
#include "elf.h"
#include "parser.h"
#include "program.h"
#include "tessera/spec_reader.h"
#include "test_support.h"

namespace tessera::sdf {
namespace {

ElfImage program_file(const std::string& name)
{
    std::ifstream in(std::string(TESSERA_TEST_PROGRAMS_DIR) + "/" + name, std::ios::binary);
    std::string why;
    auto elf = ElfImage::parse(std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {}), why);
    EXPECT_TRUE(elf) << why;
    return elf.value_or(ElfImage{});
}

// The 8 bytes the image's copy of PD `pd` (entry 1 + pd) loads at the symbol of `program`;
// 0xdead when no file data covers them (the loader would leave zeros).
uint64_t loaded_word(const BuildResult& result, size_t pd, const std::string& program, const char* symbol)
{
    std::string why;
    auto blob = ElfImage::parse(result.blobs.at(1 + pd).data, why);
    EXPECT_TRUE(blob) << why;
    const uint64_t vaddr = program_file(program).symbol(symbol)->value;
    for (const auto& segment : blob->segments())
        if (vaddr >= segment.vaddr && vaddr + 8 <= segment.vaddr + segment.file_size) {
            uint64_t value;
            std::memcpy(&value, blob->bytes().data() + segment.file_offset + (vaddr - segment.vaddr), 8);
            return value;
        }
    return 0xdead;
}

struct Built {
    std::optional<BuildResult> result;
    std::string errors;
};

Built build(const std::string& text, std::vector<std::string> directories = {})
{
    directories.insert(directories.begin(), TESSERA_TEST_PROGRAMS_DIR);
    Diagnostics diagnostics("t.system");
    System system = parse_system(text, diagnostics);
    load_prefills(system, directories, diagnostics);
    check_system(system, diagnostics);
    Built built;
    if (diagnostics.empty())
        built.result = build_system(system, BuildOptions{directories}, diagnostics);
    built.errors = diagnostics.format_all();
    return built;
}

std::vector<union tessera_spec_op> ops_of_kind(const BuildResult& result, uint32_t kind)
{
    std::vector<union tessera_spec_op> out;
    for (const auto& op : result.spec.ops())
        if (op.kind == kind)
            out.push_back(op);
    return out;
}

std::map<std::string, uint32_t> objects_by_name(const BuildResult& result)
{
    std::map<std::string, uint32_t> by_name;
    for (const auto& op : ops_of_kind(result, TESSERA_OP_CREATE_OBJECT))
        if (op.create_object.name != TESSERA_NO_NAME)
            by_name[result.spec.strings().c_str() + op.create_object.name] = op.create_object.object;
    return by_name;
}

TEST(MicrokitFeatures, SetvarInBssIsLoadedWithItsValue)
{
    auto built = build(R"(<system>
  <memory_region name="m" size="0x1000"/>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <map mr="m" vaddr="0x4000000" setvar_vaddr="bss_variable"/></protection_domain>
</system>)");
    ASSERT_TRUE(built.result) << built.errors;
    EXPECT_EQ(loaded_word(*built.result, 0, "hello.elf", "bss_variable"), 0x4000000u);
    // Its segment still ends where it did: .bss past the variable stays zero-filled memory.
    std::string why;
    auto blob = ElfImage::parse(built.result->blobs[1].data, why);
    const ElfImage original = program_file("hello.elf");
    ASSERT_EQ(blob->segments().size(), original.segments().size());
    for (size_t i = 0; i < original.segments().size(); ++i)
        EXPECT_EQ(blob->segments()[i].memory_size, original.segments()[i].memory_size);
}

TEST(MicrokitFeatures, SetvarSymbolsMustBeOneWord)
{
    auto built = build(R"(<system>
  <memory_region name="m" size="0x1000"/>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <map mr="m" vaddr="0x4000000" setvar_vaddr="small_variable" setvar_size="missing_variable"/>
  </protection_domain>
</system>)");
    EXPECT_FALSE(built.result);
    EXPECT_EQ(built.errors,
              "t.system:4:35: error: setvar: symbol 'small_variable' in 'hello.elf' has 4 bytes, "
              "expected 8 (a 64-bit variable)\n"
              "t.system:4:65: error: setvar: symbol 'missing_variable' is not in the program image "
              "'hello.elf'\n");
}

TEST(MicrokitFeatures, IoPortsAreIssuedIntoTheirSlotsAndNamedToTheProgram)
{
    auto built = build(R"(<system>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <ioport id="3" addr="0x3f8" size="8" setvar_id="shared_buffer" setvar_addr="bss_variable"/>
    <ioport id="0" addr="0x60" size="1"/>
  </protection_domain>
</system>)");
    ASSERT_TRUE(built.result) << built.errors;
    const auto issues = ops_of_kind(*built.result, TESSERA_OP_IOPORT_ISSUE);
    ASSERT_EQ(issues.size(), 2u);
    EXPECT_EQ(issues[0].ioport_issue.first_port, 0x3f8u);
    EXPECT_EQ(issues[0].ioport_issue.last_port, 0x3ffu);
    EXPECT_EQ(issues[1].ioport_issue.first_port, 0x60u);
    EXPECT_EQ(issues[1].ioport_issue.last_port, 0x60u);
    std::map<uint64_t, uint32_t> slots;
    for (const auto& op : ops_of_kind(*built.result, TESSERA_OP_MINT_CAP))
        slots[op.mint_cap.slot] = op.mint_cap.object;
    EXPECT_EQ(slots[TESSERA_PD_SLOT_IOPORT_BASE + 3], issues[0].ioport_issue.ioport);
    EXPECT_EQ(slots[TESSERA_PD_SLOT_IOPORT_BASE + 0], issues[1].ioport_issue.ioport);
    EXPECT_EQ(loaded_word(*built.result, 0, "hello.elf", "microkit_ioports"), (1u << 3) | 1u);
    EXPECT_EQ(loaded_word(*built.result, 0, "hello.elf", "shared_buffer"), 3u);
    EXPECT_EQ(loaded_word(*built.result, 0, "hello.elf", "bss_variable"), 0x3f8u);
}

TEST(MicrokitFeatures, CspaceCapabilitiesGoAboveTheNumberedSlots)
{
    auto built = build(R"(<system>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <cspace><cap_tcb slot="1" pd="b"/><cap_vspace slot="63" pd="a"/><cap_sc slot="2" pd="b"/></cspace>
  </protection_domain>
  <protection_domain name="b"><program_image path="hello.elf"/></protection_domain>
</system>)");
    ASSERT_TRUE(built.result) << built.errors;
    auto by_name = objects_by_name(*built.result);
    for (const auto& op : ops_of_kind(*built.result, TESSERA_OP_CREATE_OBJECT)) {
        if (op.create_object.object == by_name["a.cspace"]) {
            EXPECT_EQ(op.create_object.size_bits, TESSERA_PD_CNODE_BITS_USER_CAPS);
        }
        if (op.create_object.object == by_name["b.cspace"]) {
            EXPECT_EQ(op.create_object.size_bits, TESSERA_PD_CNODE_BITS);
        }
    }
    std::map<uint64_t, uint32_t> in_a;
    for (const auto& op : ops_of_kind(*built.result, TESSERA_OP_MINT_CAP))
        if (op.mint_cap.cnode == by_name["a.cspace"])
            in_a[op.mint_cap.slot] = op.mint_cap.object;
    EXPECT_EQ(in_a.at(TESSERA_PD_SLOT_USER_BASE + 1), by_name["b.tcb"]);
    EXPECT_EQ(in_a.at(TESSERA_PD_SLOT_USER_BASE + 63), by_name["a.vspace"]);
    EXPECT_FALSE(in_a.count(TESSERA_PD_SLOT_USER_BASE + 2)); // no scheduling contexts without MCS
}

TEST(MicrokitFeatures, FpuFalseStartsTheThreadWithoutTheFpu)
{
    auto built = build(R"(<system>
  <protection_domain name="a" fpu="false"><program_image path="hello.elf"/></protection_domain>
  <protection_domain name="b"><program_image path="hello.elf"/></protection_domain>
</system>)");
    ASSERT_TRUE(built.result) << built.errors;
    const auto flags = ops_of_kind(*built.result, TESSERA_OP_TCB_SET_FLAGS);
    ASSERT_EQ(flags.size(), 1u);
    EXPECT_EQ(flags[0].tcb_set_flags.tcb, objects_by_name(*built.result)["a.tcb"]);
    EXPECT_EQ(flags[0].tcb_set_flags.set, uint64_t(TESSERA_TCB_FLAG_FPU_DISABLED));
}

TEST(MicrokitFeatures, PrefillFileIsCopiedBeforeTheFirstMapAndSizesTheRegion)
{
    const auto directory = std::filesystem::temp_directory_path() / "tessera-prefill-test";
    std::filesystem::create_directories(directory);
    std::string contents(5000, 'x');
    std::ofstream(directory / "fill.bin", std::ios::binary) << contents;
    auto built = build(R"(<system>
  <memory_region name="table" prefill_path="fill.bin"/>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <map mr="table" vaddr="0x4000000" perms="r" setvar_prefill_size="shared_buffer" setvar_size="bss_variable"/>
  </protection_domain>
</system>)", {directory.string()});
    std::filesystem::remove_all(directory);
    ASSERT_TRUE(built.result) << built.errors;
    const auto& blobs = built.result->blobs;
    ASSERT_EQ(blobs.size(), 3u); // spec, program, data
    EXPECT_EQ(blobs[2].kind, TESSERA_ENTRY_DATA);
    EXPECT_EQ(std::string(blobs[2].data.begin(), blobs[2].data.end()), contents);
    EXPECT_EQ(loaded_word(*built.result, 0, "hello.elf", "shared_buffer"), 5000u);
    EXPECT_EQ(loaded_word(*built.result, 0, "hello.elf", "bss_variable"), 0x2000u);
    const auto& ops = built.result->spec.ops();
    unsigned fills = 0;
    for (size_t i = 0; i < ops.size(); ++i)
        if (ops[i].kind == TESSERA_OP_FILL_FRAME && ops[i].fill_frame.entry == 2) {
            EXPECT_EQ(ops[i].fill_frame.entry_offset, fills * 0x1000u);
            EXPECT_EQ(ops[i].fill_frame.length, fills == 0 ? 0x1000u : 5000u - 0x1000u);
            ASSERT_LT(i + 1, ops.size());
            EXPECT_EQ(ops[i + 1].kind, uint32_t(TESSERA_OP_MAP_FRAME));
            EXPECT_EQ(ops[i + 1].map_frame.frame, ops[i].fill_frame.frame);
            ++fills;
        }
    EXPECT_EQ(fills, 2u);
    auto image = spec::ImageView::open(built.result->image.data(), built.result->image.size());
    EXPECT_TRUE(image);
}

TEST(MicrokitFeatures, PrefillBootinfoIsCopiedByTheLoader)
{
    auto built = build(R"(<system>
  <memory_region name="tsc" prefill_bootinfo="x86_tsc_freq"/>
  <protection_domain name="a"><program_image path="hello.elf"/>
    <map mr="tsc" vaddr="0x4000000" perms="r"/></protection_domain>
</system>)");
    ASSERT_TRUE(built.result) << built.errors;
    const auto fills = ops_of_kind(*built.result, TESSERA_OP_FILL_BOOTINFO);
    ASSERT_EQ(fills.size(), 1u);
    EXPECT_EQ(fills[0].fill_bootinfo.chunk, 5u); // SEL4_BOOTINFO_HEADER_X86_TSC_FREQ
    EXPECT_EQ(fills[0].fill_bootinfo.frame, objects_by_name(*built.result)["tsc"]);
}

TEST(MicrokitFeatures, PathForSymbolsPatchesAStrippedProgram)
{
    const char* with = R"(<system>
  <memory_region name="m" size="0x1000"/>
  <protection_domain name="a"><program_image path="hello_stripped.elf" path_for_symbols="hello.elf"/>
    <map mr="m" vaddr="0x4000000" setvar_vaddr="bss_variable"/></protection_domain>
</system>)";
    auto built = build(with);
    ASSERT_TRUE(built.result) << built.errors;
    EXPECT_EQ(loaded_word(*built.result, 0, "hello.elf", "bss_variable"), 0x4000000u);
    auto without = build(R"(<system>
  <memory_region name="m" size="0x1000"/>
  <protection_domain name="a"><program_image path="hello_stripped.elf"/>
    <map mr="m" vaddr="0x4000000" setvar_vaddr="bss_variable"/></protection_domain>
</system>)");
    EXPECT_EQ(without.errors, "t.system:4:35: error: setvar: symbol 'bss_variable' is not in the "
                              "program image 'hello_stripped.elf'\n");
}

TEST(MicrokitFeatures, ChannelEndSetvarIdAndNotifyMask)
{
    auto built = build(R"(<system>
  <protection_domain name="a" priority="1"><program_image path="hello.elf"/></protection_domain>
  <protection_domain name="b" priority="2"><program_image path="pong.elf"/></protection_domain>
  <channel><end pd="a" id="9" pp="true" notify="false" setvar_id="bss_variable"/><end pd="b" id="4"/></channel>
</system>)");
    ASSERT_TRUE(built.result) << built.errors;
    EXPECT_EQ(loaded_word(*built.result, 0, "hello.elf", "bss_variable"), 9u);
    EXPECT_EQ(loaded_word(*built.result, 0, "hello.elf", "microkit_notifications"), 0u);
    EXPECT_EQ(loaded_word(*built.result, 0, "hello.elf", "microkit_pps"), uint64_t(1) << 9);
    EXPECT_EQ(loaded_word(*built.result, 1, "pong.elf", "microkit_notifications"), uint64_t(1) << 4);
}

TEST(MicrokitFeatures, DomainsBecomeThreadDomainsAScheduleAndItsStart)
{
    auto built = build(R"(<system>
  <domains>
    <domain name="red"/><domain name="blue" id="0"/><domain name="green" id="7"/>
    <domain_schedule start_index="1" index_shift="4">
      <schedule_entry domain="green" duration="3 ticks"/>
      <schedule_entry domain="red" duration="5000 us"/>
      <schedule_entry domain="blue" duration="2999 us"/>
      <schedule_end_marker/>
    </domain_schedule>
  </domains>
  <protection_domain name="a" domain="red"><program_image path="hello.elf"/></protection_domain>
  <protection_domain name="b" domain="green"><program_image path="hello.elf"/></protection_domain>
</system>)");
    ASSERT_TRUE(built.result) << built.errors;
    const auto sets = ops_of_kind(*built.result, TESSERA_OP_DOMAIN_SET);
    ASSERT_EQ(sets.size(), 2u);
    EXPECT_EQ(sets[0].domain_set.domain, 1u); // red: the lowest id blue (0) left free
    EXPECT_EQ(sets[1].domain_set.domain, 7u);
    const auto entries = ops_of_kind(*built.result, TESSERA_OP_DOMAIN_SCHEDULE);
    ASSERT_EQ(entries.size(), 4u);
    const uint32_t expected[4][3] = {{4, 7, 3}, {5, 1, 3}, {6, 0, 1}, {7, 0, 0}}; // index, domain, ticks
    for (size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(entries[i].domain_schedule.index, expected[i][0]);
        EXPECT_EQ(entries[i].domain_schedule.domain, expected[i][1]);
        EXPECT_EQ(entries[i].domain_schedule.duration, expected[i][2]); // 5000 us is 2.5 ticks: 3
    }
    const auto starts = ops_of_kind(*built.result, TESSERA_OP_DOMAIN_START);
    ASSERT_EQ(starts.size(), 1u);
    EXPECT_EQ(starts[0].domain_start.index, 5u);
    // Every thread has its domain before it starts, and the start is the last op.
    const auto& ops = built.result->spec.ops();
    EXPECT_EQ(ops.back().kind, uint32_t(TESSERA_OP_DOMAIN_START));
    size_t last_set = 0, first_resume = ops.size();
    for (size_t i = 0; i < ops.size(); ++i) {
        if (ops[i].kind == TESSERA_OP_DOMAIN_SET)
            last_set = i;
        if (ops[i].kind == TESSERA_OP_TCB_RESUME && first_resume == ops.size())
            first_resume = i;
    }
    EXPECT_LT(last_set, first_resume);
}

TEST(MicrokitFeatures, WithoutDomainsNoDomainOps)
{
    auto built = build(R"(<system>
  <protection_domain name="a"><program_image path="hello.elf"/></protection_domain>
</system>)");
    ASSERT_TRUE(built.result) << built.errors;
    EXPECT_TRUE(ops_of_kind(*built.result, TESSERA_OP_DOMAIN_SET).empty());
    EXPECT_TRUE(ops_of_kind(*built.result, TESSERA_OP_DOMAIN_START).empty());
}

// A <virtual_machine>: its guest memory is a vspace of its own holding the region at its
// guest-physical address (the same frames the VMM maps), its VCPU goes into the VMM's CNode at
// BASE_VCPU_CAP + id and is bound to the VMM's TCB and the guest's vspace after the TCB is
// configured and before any thread starts.
TEST(MicrokitFeatures, VirtualMachineGetsGuestMemoryAVcpuAndItsBinding)
{
    const Built built = build(R"(<system>
  <memory_region name="ram" size="0x2000"/>
  <protection_domain name="vmm" priority="10"><program_image path="hello.elf"/>
    <map mr="ram" vaddr="0x20000000" perms="rw"/>
    <virtual_machine name="guest"><vcpu id="3"/><map mr="ram" vaddr="0x0" perms="rwx"/></virtual_machine>
  </protection_domain>
</system>)");
    ASSERT_TRUE(built.result) << built.errors;
    const BuildResult& result = *built.result;
    const auto objects = objects_by_name(result);
    ASSERT_EQ(objects.count("guest.vcpu3"), 1u);
    ASSERT_EQ(objects.count("guest.guest_memory"), 1u);
    const uint32_t vcpu = objects.at("guest.vcpu3"), guest = objects.at("guest.guest_memory");
    const uint32_t tcb = objects.at("vmm.tcb"), cnode = objects.at("vmm.cspace"), ram = objects.at("ram");
    for (const auto& op : ops_of_kind(result, TESSERA_OP_CREATE_OBJECT)) {
        if (op.create_object.object == vcpu) {
            EXPECT_EQ(op.create_object.object_kind, uint32_t(TESSERA_OBJECT_SVM_VCPU));
        }
    }

    // The region's frames, each mapped twice: in the VMM at 0x20000000 and the guest at 0.
    std::map<uint64_t, uint32_t> guest_frames, vmm_frames;
    for (const auto& op : ops_of_kind(result, TESSERA_OP_MAP_FRAME)) {
        if (op.map_frame.vspace == guest)
            guest_frames[op.map_frame.vaddr] = op.map_frame.frame;
        else if (op.map_frame.vaddr >= 0x20000000 && op.map_frame.vaddr < 0x20002000)
            vmm_frames[op.map_frame.vaddr - 0x20000000] = op.map_frame.frame;
    }
    EXPECT_EQ(guest_frames, (std::map<uint64_t, uint32_t>{{0, ram}, {0x1000, ram + 1}}));
    EXPECT_EQ(vmm_frames, guest_frames);
    size_t guest_tables = 0;
    for (const auto& op : ops_of_kind(result, TESSERA_OP_MAP_TABLE))
        guest_tables += op.map_table.vspace == guest;
    EXPECT_EQ(guest_tables, 3u); // PDPT, page directory, page table at 0
    size_t guest_asids = 0;
    for (const auto& op : ops_of_kind(result, TESSERA_OP_ASSIGN_ASID))
        guest_asids += op.assign_asid.vspace == guest;
    EXPECT_EQ(guest_asids, 1u);

    bool minted = false;
    for (const auto& op : ops_of_kind(result, TESSERA_OP_MINT_CAP))
        if (op.mint_cap.object == vcpu) {
            EXPECT_EQ(op.mint_cap.cnode, cnode);
            EXPECT_EQ(op.mint_cap.slot, uint64_t(TESSERA_PD_SLOT_VCPU_BASE + 3));
            minted = true;
        }
    EXPECT_TRUE(minted);

    const auto& ops = result.spec.ops();
    size_t bind = ops.size(), configure = ops.size(), first_resume = ops.size();
    for (size_t i = 0; i < ops.size(); ++i) {
        if (ops[i].kind == TESSERA_OP_SVM_VCPU_BIND) {
            EXPECT_EQ(bind, ops.size()) << "one binding";
            bind = i;
            EXPECT_EQ(ops[i].svm_vcpu_bind.vcpu, vcpu);
            EXPECT_EQ(ops[i].svm_vcpu_bind.tcb, tcb);
            EXPECT_EQ(ops[i].svm_vcpu_bind.guest, guest);
        }
        if (ops[i].kind == TESSERA_OP_TCB_CONFIGURE && ops[i].tcb_configure.tcb == tcb)
            configure = i;
        if (ops[i].kind == TESSERA_OP_TCB_RESUME && first_resume == ops.size())
            first_resume = i;
    }
    EXPECT_LT(configure, bind);
    EXPECT_LT(bind, first_resume);

    // The spec reads back with every kind checked.
    const auto blob = result.spec.serialise();
    std::vector<uint8_t> kinds(result.spec.next_object());
    EXPECT_TRUE(spec::SpecView::open(blob.data(), blob.size(), kinds.data(), kinds.size()));
}

TEST(MicrokitFeatures, VirtualMachineHasOneVcpuWithASlotAndGuestPhysicalMaps)
{
    const Built built = build(R"(<system>
  <memory_region name="ram" size="0x1000"/>
  <protection_domain name="vmm" priority="10"><program_image path="hello.elf"/>
    <virtual_machine name="guest"><vcpu id="0"/><vcpu id="1"/>
      <map mr="ram" vaddr="0x800000000000" perms="rw"/><map mr="nope" vaddr="0x0" perms="rw"/>
    </virtual_machine>
  </protection_domain>
</system>)");
    EXPECT_FALSE(built.result);
    EXPECT_EQ(built.errors,
              "t.system:4:49: error: virtual machine 'guest' has 2 <vcpu>s; Tessera runs one, on the "
              "thread of protection domain 'vmm'\n"
              "t.system:5:7: error: map of 'ram' at [0x800000000000, 0x800000001000) is outside the "
              "guest-physical address range [0x0, 0x800000000000) of virtual machine 'guest'\n"
              "t.system:5:56: error: map refers to unknown memory region 'nope'\n");
}

} // namespace
} // namespace tessera::sdf

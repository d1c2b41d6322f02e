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
        EXPECT_EQ(a.file_size, b.file_size);
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

TEST(Compiler, VirtualMachinesAreNotYetBuilt)
{
    EXPECT_EQ(build_errors(R"(<system>
  <protection_domain name="vmm" priority="10"><program_image path="hello.elf"/>
    <virtual_machine name="linux"><vcpu id="0"/></virtual_machine>
  </protection_domain>
</system>)", TESSERA_TEST_PROGRAMS_DIR),
              "t.system:3:5: error: virtual machine 'linux' is not yet supported by 'tessera build'\n");
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

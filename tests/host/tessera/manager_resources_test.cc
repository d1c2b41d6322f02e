// What `tessera build` gives a dynamic manager's protection domain: its RAM as untypeds, an ASID
// pool, its own CNode, VSpace and TCB at the TESSERA_MANAGER_SLOT_* slots, and the read-only
// directory of its programs and configuration (docs/dynamic.md, "Resources").
#include <cstring>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <optional>

#include "checker.h"
#include "elf.h"
#include "manager_pack.h"
#include "parser.h"
#include "test_support.h"

namespace tessera::sdf {
namespace {

const char* const ManagerSystem = R"(<system>
  <protection_domain name="mgr" priority="100"><program_image path="hello.elf"/></protection_domain>
  <protection_domain name="other" priority="50"><program_image path="hello.elf"/></protection_domain>
  <manager pd="mgr" ram="0x1103000" caps="3000">
    <program name="hello" path="hello.elf"/>
    <child name="a" binary="hello" ram="64K" caps="16"/>
  </manager>
</system>)";

struct Built {
    std::optional<BuildResult> result;
    std::string errors;
};

Built build(const std::string& text)
{
    Diagnostics diagnostics("t.system");
    System system = parse_system(text, diagnostics);
    check_system(system, diagnostics);
    Built built;
    if (diagnostics.empty())
        built.result = build_system(system, BuildOptions{{TESSERA_TEST_PROGRAMS_DIR}}, diagnostics);
    built.errors = diagnostics.format_all();
    return built;
}

// The directory page of the manager PD "mgr", as the build packed it.
std::optional<tessera_manager_directory> directory_of(const BuildResult& result)
{
    for (const ImageBlob& blob : result.blobs)
        if (blob.name == "mgr.manager" && blob.data.size() >= sizeof(tessera_manager_directory)) {
            tessera_manager_directory directory;
            std::memcpy(&directory, blob.data.data(), sizeof directory);
            return directory;
        }
    return std::nullopt;
}

std::string file_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ManagerResources, RamSplitsIntoItsBinaryDigitsOfAtMost16MiB)
{
    EXPECT_EQ(manager_untyped_bits(0x1000), (std::vector<uint32_t>{12}));
    EXPECT_EQ(manager_untyped_bits(0x1103000), (std::vector<uint32_t>{24, 20, 13, 12}));
    EXPECT_EQ(manager_untyped_bits(uint64_t{48} << 20), (std::vector<uint32_t>{24, 24, 24}));
    // 33 pieces of 16 MiB do not fit the 32 slots.
    EXPECT_TRUE(manager_untyped_bits(uint64_t{33} << 24).empty());
}

TEST(ManagerResources, ManagerPdGetsUntypedsPoolAndItsOwnCaps)
{
    const Built built = build(ManagerSystem);
    ASSERT_TRUE(built.result) << built.errors;
    const SpecBuilder& spec = built.result->spec;
    std::map<std::string, uint32_t> by_name;
    std::map<uint32_t, tessera_op_create_object> created;
    for (const auto& op : spec.ops())
        if (op.kind == TESSERA_OP_CREATE_OBJECT) {
            created[op.create_object.object] = op.create_object;
            if (op.create_object.name != TESSERA_NO_NAME)
                by_name[spec.strings().c_str() + op.create_object.name] = op.create_object.object;
        }
    std::vector<uint32_t> untyped_bits;
    for (const auto& [index, create] : created)
        if (create.object_kind == TESSERA_OBJECT_UNTYPED)
            untyped_bits.push_back(create.size_bits);
    EXPECT_EQ(untyped_bits, (std::vector<uint32_t>{24, 20, 13, 12}));
    ASSERT_TRUE(by_name.count("mgr.asid_pool"));
    EXPECT_EQ(created[by_name["mgr.asid_pool"]].object_kind, uint32_t(TESSERA_OBJECT_ASID_POOL));
    // 1064 + 3000 slots need a CNode of 2^12; the other PD keeps 2^9.
    EXPECT_EQ(created[by_name["mgr.cspace"]].size_bits, 12u);
    EXPECT_EQ(created[by_name["other.cspace"]].size_bits, uint32_t(TESSERA_PD_CNODE_BITS));

    std::map<uint64_t, uint32_t> minted; // slot of mgr's CNode -> object
    for (const auto& op : spec.ops())
        if (op.kind == TESSERA_OP_MINT_CAP && op.mint_cap.cnode == by_name["mgr.cspace"])
            minted[op.mint_cap.slot] = op.mint_cap.object;
    EXPECT_EQ(minted[TESSERA_MANAGER_SLOT_CNODE], by_name["mgr.cspace"]);
    EXPECT_EQ(minted[TESSERA_MANAGER_SLOT_VSPACE], by_name["mgr.vspace"]);
    EXPECT_EQ(minted[TESSERA_MANAGER_SLOT_TCB], by_name["mgr.tcb"]);
    EXPECT_EQ(minted[TESSERA_MANAGER_SLOT_ASID_POOL], by_name["mgr.asid_pool"]);
    for (uint32_t u = 0; u < 4; ++u) {
        ASSERT_TRUE(minted.count(TESSERA_MANAGER_SLOT_UNTYPED_BASE + u)) << u;
        EXPECT_EQ(created[minted[TESSERA_MANAGER_SLOT_UNTYPED_BASE + u]].object_kind,
                  uint32_t(TESSERA_OBJECT_UNTYPED));
    }
    EXPECT_FALSE(minted.count(TESSERA_MANAGER_SLOT_UNTYPED_BASE + 4));
    // Nothing of the manager reaches the other PD.
    for (const auto& op : spec.ops())
        if (op.kind == TESSERA_OP_MINT_CAP && op.mint_cap.cnode == by_name["other.cspace"]) {
            EXPECT_LT(op.mint_cap.slot, uint64_t{TESSERA_MANAGER_SLOT_CNODE});
        }
}

TEST(ManagerResources, DirectoryCarriesTheTextAndProgramsReadOnly)
{
    const Built built = build(ManagerSystem);
    ASSERT_TRUE(built.result) << built.errors;
    const BuildResult& result = *built.result;
    const ImageBlob* blob = nullptr;
    uint32_t entry = 0;
    for (uint32_t i = 0; i < result.blobs.size(); ++i)
        if (result.blobs[i].name == "mgr.manager") {
            blob = &result.blobs[i];
            entry = i;
        }
    ASSERT_NE(blob, nullptr);
    EXPECT_EQ(blob->kind, TESSERA_ENTRY_DATA);
    ASSERT_GE(blob->data.size(), sizeof(tessera_manager_directory));
    EXPECT_EQ(blob->data.size() % 0x1000, 0u);
    tessera_manager_directory directory;
    std::memcpy(&directory, blob->data.data(), sizeof directory);
    EXPECT_EQ(0, std::memcmp(directory.magic, TESSERA_MANAGER_DIRECTORY_MAGIC, 8));
    EXPECT_EQ(directory.cnode_bits, 12u);
    EXPECT_EQ(directory.untyped_count, 4u);
    EXPECT_EQ(directory.untyped_bits[0], 24u);
    EXPECT_EQ(directory.untyped_bits[3], 12u);
    const std::string text(ManagerSystem);
    ASSERT_EQ(directory.text_size, text.size());
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(blob->data.data() + directory.text_offset),
                          directory.text_size),
              text);
    EXPECT_EQ(directory.element_offset, text.find("<manager"));
    ASSERT_EQ(directory.file_count, 1u);
    EXPECT_STREQ(directory.files[0].name, "hello");
    EXPECT_EQ(directory.files[0].offset % 0x1000, 0u);
    const std::string hello = file_bytes(std::string(TESSERA_TEST_PROGRAMS_DIR) + "/hello.elf");
    ASSERT_EQ(directory.files[0].size, hello.size());
    EXPECT_EQ(0, std::memcmp(blob->data.data() + directory.files[0].offset, hello.data(), hello.size()));

    // Every page is filled from the entry and mapped read-only, in order, from the fixed address.
    std::map<uint32_t, uint64_t> filled; // frame -> entry offset
    for (const auto& op : result.spec.ops())
        if (op.kind == TESSERA_OP_FILL_FRAME && op.fill_frame.entry == entry)
            filled[op.fill_frame.frame] = op.fill_frame.entry_offset;
    EXPECT_EQ(filled.size(), blob->data.size() / 0x1000);
    unsigned mapped = 0;
    for (const auto& op : result.spec.ops())
        if (op.kind == TESSERA_OP_MAP_FRAME && filled.count(op.map_frame.frame)) {
            EXPECT_EQ(op.map_frame.vaddr, TESSERA_MANAGER_DIRECTORY_VADDR + filled[op.map_frame.frame]);
            EXPECT_EQ(op.map_frame.rights, uint32_t(TESSERA_RIGHT_READ));
            ++mapped;
        }
    EXPECT_EQ(mapped, filled.size());
}

// A route to a static channel hands on what the manager PD's slot for it holds; the directory
// says which, so the manager never probes an empty slot.
TEST(ManagerResources, DirectoryNamesTheChannelsTheManagerCallsAndNotifies)
{
    std::string text(ManagerSystem);
    text.insert(text.find("  <manager"), R"(  <channel><end pd="mgr" id="3" pp="true"/><end pd="other" id="0"/></channel>
  <channel><end pd="other" id="1"/><end pd="mgr" id="5" notify="false"/></channel>
  <channel><end pd="mgr" id="9"/><end pd="other" id="2"/></channel>
)");
    text.replace(text.find(R"(name="other" priority="50")"), 26, R"(name="other" priority="150")");
    const Built built = build(text);
    ASSERT_TRUE(built.result) << built.errors;
    const auto directory = directory_of(*built.result);
    ASSERT_TRUE(directory);
    EXPECT_EQ(directory->call_channels, uint64_t{1} << 3);
    EXPECT_EQ(directory->notify_channels, (uint64_t{1} << 3) | (uint64_t{1} << 9));
}

TEST(ManagerResources, MissingProgramAndTooManyCapsAreReported)
{
    Built built = build(R"(<system>
  <protection_domain name="mgr"><program_image path="hello.elf"/></protection_domain>
  <manager pd="mgr" ram="1M" caps="100">
    <program name="gone" path="absent.elf"/>
  </manager>
</system>)");
    EXPECT_FALSE(built.result);
    EXPECT_EQ(built.errors, "t.system:4:5: error: program 'gone': 'absent.elf' is not in the search path\n");

    built = build(R"(<system>
  <protection_domain name="mgr"><program_image path="hello.elf"/></protection_domain>
  <manager pd="mgr" ram="1M" caps="70000"/>
</system>)");
    EXPECT_FALSE(built.result);
    EXPECT_EQ(built.errors, "t.system:3:30: error: caps 70000 does not fit the manager's CNode (at "
                            "most 64472)\n");
}

// A template PD (`<program pd=...>`): no thread, CNode or address space of its own; its
// capabilities sit in a CNode the manager holds, at the slots a child made from it needs, and
// the directory packs its program and says what a child gets.
const char* const TemplateSystem = R"(<system>
  <memory_region name="dma" size="0x2000"/>
  <memory_region name="regs" size="0x1000" phys_addr="0xfeb00000"/>
  <protection_domain name="mgr" priority="100"><program_image path="hello.elf"/>
    <protection_domain name="drv" id="2" priority="90"><program_image path="hello.elf"/>
      <map mr="dma" vaddr="0x40000000" perms="rw"/>
      <map mr="regs" vaddr="0x50000000" perms="rw" cached="false"/>
      <irq irq="4" id="5" trigger="edge"/>
      <ioport id="1" addr="0x3f8" size="8"/>
      <setvar symbol="shared_buffer" region_paddr="dma"/>
    </protection_domain>
  </protection_domain>
  <protection_domain name="other" priority="50"><program_image path="hello.elf"/></protection_domain>
  <channel><end pd="other" id="0"/><end pd="drv" id="3"/></channel>
  <manager pd="mgr" ram="1M" caps="200">
    <program name="driver" pd="drv"/>
    <child name="d" binary="driver" ram="128K" caps="16"/>
  </manager>
</system>)";

TEST(ManagerResources, TemplatePdHasNoThreadAndItsCapsGoToTheManager)
{
    const Built built = build(TemplateSystem);
    ASSERT_TRUE(built.result) << built.errors;
    const SpecBuilder& spec = built.result->spec;
    std::map<std::string, uint32_t> by_name;
    std::map<uint32_t, tessera_op_create_object> created;
    for (const auto& op : spec.ops())
        if (op.kind == TESSERA_OP_CREATE_OBJECT) {
            created[op.create_object.object] = op.create_object;
            if (op.create_object.name != TESSERA_NO_NAME)
                by_name[spec.strings().c_str() + op.create_object.name] = op.create_object.object;
        }
    for (const char* absent : {"drv.tcb", "drv.cspace", "drv.vspace", "drv.ipc_buffer", "drv.stack"})
        EXPECT_FALSE(by_name.count(absent)) << absent;
    ASSERT_TRUE(by_name.count("drv.template"));
    ASSERT_TRUE(by_name.count("drv.notification"));
    const uint32_t cnode = by_name["drv.template"];
    EXPECT_EQ(created[cnode].object_kind, uint32_t(TESSERA_OBJECT_CNODE));
    EXPECT_EQ(created[cnode].size_bits, 11u); // 1024 Microkit slots + 3 frames

    struct Minted {
        uint32_t object;
        uint64_t badge;
    };
    std::map<uint64_t, Minted> in_template, in_manager, in_other;
    unsigned resumes = 0, configures = 0;
    for (const auto& op : spec.ops()) {
        if (op.kind == TESSERA_OP_TCB_RESUME) ++resumes;
        if (op.kind == TESSERA_OP_TCB_CONFIGURE) ++configures;
        if (op.kind == TESSERA_OP_MAP_FRAME) {
            // The template's frames are mapped by no one at build time.
            EXPECT_NE(op.map_frame.vaddr, 0x40000000u);
            EXPECT_NE(op.map_frame.vaddr, 0x50000000u);
        }
        EXPECT_NE(op.kind, uint32_t(TESSERA_OP_WRITE_PADDR)); // the manager writes it
        if (op.kind == TESSERA_OP_IRQ_SET_NOTIFICATION) {
            EXPECT_EQ(op.irq_set_notification.notification, by_name["drv.notification"]);
        }
        if (op.kind != TESSERA_OP_MINT_CAP) continue;
        const Minted minted{op.mint_cap.object, op.mint_cap.badge};
        if (op.mint_cap.cnode == cnode) in_template[op.mint_cap.slot] = minted;
        if (op.mint_cap.cnode == by_name["mgr.cspace"]) in_manager[op.mint_cap.slot] = minted;
        if (op.mint_cap.cnode == by_name["other.cspace"]) in_other[op.mint_cap.slot] = minted;
    }
    EXPECT_EQ(resumes, 2u);
    EXPECT_EQ(configures, 2u);
    ASSERT_TRUE(in_manager.count(TESSERA_MANAGER_SLOT_TEMPLATE_BASE));
    EXPECT_EQ(in_manager[TESSERA_MANAGER_SLOT_TEMPLATE_BASE].object, cnode);
    EXPECT_FALSE(in_manager.count(TESSERA_PD_SLOT_TCB_BASE + 2)); // no thread to hold
    // Microkit's slots: input (its notification), channel 3, irq 5, I/O port 1.
    std::vector<uint64_t> slots;
    for (const auto& [slot, minted] : in_template) slots.push_back(slot);
    EXPECT_EQ(slots, (std::vector<uint64_t>{TESSERA_PD_SLOT_INPUT, TESSERA_PD_SLOT_NOTIFICATION_BASE + 3,
                                            TESSERA_PD_SLOT_IRQ_BASE + 5, TESSERA_PD_SLOT_IOPORT_BASE + 1,
                                            TESSERA_TEMPLATE_SLOT_NOTIFICATION, 1024, 1025, 1026}));
    EXPECT_EQ(in_template[TESSERA_PD_SLOT_INPUT].object, by_name["drv.notification"]);
    EXPECT_EQ(in_template[TESSERA_TEMPLATE_SLOT_NOTIFICATION].object, by_name["drv.notification"]);
    EXPECT_EQ(in_template[TESSERA_PD_SLOT_NOTIFICATION_BASE + 3].object, by_name["other.notification"]);
    EXPECT_EQ(in_template[TESSERA_PD_SLOT_NOTIFICATION_BASE + 3].badge, uint64_t{1} << 0);
    EXPECT_EQ(in_template[1024].object, by_name["dma"]);
    // The peer signals the template's notification with the template's channel bit.
    EXPECT_EQ(in_other[TESSERA_PD_SLOT_NOTIFICATION_BASE + 0].object, by_name["drv.notification"]);
    EXPECT_EQ(in_other[TESSERA_PD_SLOT_NOTIFICATION_BASE + 0].badge, uint64_t{1} << 3);

    // The directory: the program as a file, the template's table.
    const ImageBlob* blob = nullptr;
    for (const ImageBlob& b : built.result->blobs)
        if (b.name == "mgr.manager") blob = &b;
    ASSERT_NE(blob, nullptr);
    tessera_manager_directory directory;
    std::memcpy(&directory, blob->data.data(), sizeof directory);
    ASSERT_EQ(directory.template_count, 1u);
    EXPECT_EQ(directory.template_stack_pages[0], 2u); // Microkit's default stack_size, 0x2000
    const tessera_manager_file& file = directory.files[directory.template_files[0]];
    EXPECT_STREQ(file.name, "driver");
    EXPECT_EQ(file.static_pd, 0u);
    ASSERT_GT(file.size, 4u);
    EXPECT_EQ(0, std::memcmp(blob->data.data() + file.offset, "\x7f" "ELF", 4));
    // A valid ELF file for the manager's loader: every loadable segment's file offset is
    // congruent to its address modulo the page size.
    {
        const uint8_t* elf = blob->data.data() + file.offset;
        uint64_t phoff = 0;
        uint16_t phnum = 0;
        std::memcpy(&phoff, elf + 32, 8);
        std::memcpy(&phnum, elf + 56, 2);
        ASSERT_GT(phnum, 0u);
        for (uint16_t i = 0; i < phnum; ++i) {
            uint32_t type = 0;
            uint64_t offset = 0, vaddr = 0;
            std::memcpy(&type, elf + phoff + i * 56u, 4);
            std::memcpy(&offset, elf + phoff + i * 56u + 8, 8);
            std::memcpy(&vaddr, elf + phoff + i * 56u + 16, 8);
            if (type == 1) {
                EXPECT_EQ(offset % 0x1000, vaddr % 0x1000) << "segment " << i;
            }
        }
    }
    ASSERT_EQ(directory.template_caps_offset % 0x1000, 0u);
    ASSERT_LE(directory.template_caps_offset + directory.template_cap_count * 32, blob->data.size());
    std::vector<tessera_manager_template_cap> table(directory.template_cap_count);
    std::memcpy(table.data(), blob->data.data() + directory.template_caps_offset, table.size() * 32);
    auto entry = [](uint32_t kind, uint32_t slot, uint32_t count, uint64_t vaddr, uint32_t rights,
                    uint32_t flags) {
        return std::make_tuple(kind, slot, count, vaddr, rights, flags);
    };
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t, uint64_t, uint32_t, uint32_t>> got;
    for (const auto& cap : table) {
        EXPECT_EQ(cap.template_index, 0u);
        got.push_back(entry(cap.kind, cap.slot, cap.count, cap.vaddr, cap.rights, cap.flags));
    }
    const uint32_t rw = TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE;
    std::string why;
    const std::string hello_bytes = file_bytes(std::string(TESSERA_TEST_PROGRAMS_DIR) + "/hello.elf");
    const auto hello = ElfImage::parse(std::vector<uint8_t>(hello_bytes.begin(), hello_bytes.end()), why);
    ASSERT_TRUE(hello && hello->symbol("shared_buffer")) << why;
    const uint64_t shared_buffer = hello->symbol("shared_buffer")->value;
    ASSERT_EQ(got.size(), 7u);
    EXPECT_EQ(got[0], entry(TESSERA_TEMPLATE_CAP_CAPS, TESSERA_PD_SLOT_INPUT, 1, 0, 0, 0));
    EXPECT_EQ(got[1], entry(TESSERA_TEMPLATE_CAP_CAPS, TESSERA_PD_SLOT_NOTIFICATION_BASE + 3, 1, 0, 0, 0));
    EXPECT_EQ(got[2], entry(TESSERA_TEMPLATE_CAP_CAPS, TESSERA_PD_SLOT_IRQ_BASE + 5, 1, 0, 0, 0));
    EXPECT_EQ(got[3], entry(TESSERA_TEMPLATE_CAP_CAPS, TESSERA_PD_SLOT_IOPORT_BASE + 1, 1, 0, 0, 0));
    EXPECT_EQ(got[4], entry(TESSERA_TEMPLATE_CAP_FRAMES, 1024, 2, 0x40000000, rw, TESSERA_MAP_CACHED | 12u << 8));
    EXPECT_EQ(got[5], entry(TESSERA_TEMPLATE_CAP_FRAMES, 1026, 1, 0x50000000, rw, 12u << 8));
    EXPECT_EQ(std::get<0>(got[6]), uint32_t(TESSERA_TEMPLATE_CAP_PADDR));
    EXPECT_EQ(std::get<1>(got[6]), 1024u); // the first frame of dma
    EXPECT_EQ(std::get<3>(got[6]), shared_buffer);
}

TEST(ManagerResources, TemplateMustBeAChildPdOfTheManagerAndNothingElse)
{
    std::string text(TemplateSystem);
    text.replace(text.find(R"(<program name="driver" pd="drv"/>)"), 33, R"(<program name="driver" pd="other"/>)");
    Built built = build(text);
    EXPECT_FALSE(built.result);
    EXPECT_NE(built.errors.find("error: pd 'other' is not a child protection domain of 'mgr'"),
              std::string::npos)
        << built.errors;

    text = TemplateSystem;
    text.insert(text.find("  </manager>"), R"(    <child name="s" pd="drv"/>
)");
    built = build(text);
    EXPECT_FALSE(built.result);
    EXPECT_NE(built.errors.find("error: pd 'drv' is a <child pd=> already"), std::string::npos)
        << built.errors;

    text = TemplateSystem;
    text.replace(text.find(R"(<program name="driver" pd="drv"/>)"), 33,
                 R"(<program name="driver" pd="drv" path="hello.elf"/>)");
    built = build(text);
    EXPECT_FALSE(built.result);
    EXPECT_NE(built.errors.find("error: a program takes path= or pd=, not both"), std::string::npos)
        << built.errors;
}

// A child started from a template gets the template PD's stack_size: the directory carries it
// in pages; `tessera check` bounds it by what the manager maps for a child and by the quota of
// each child started from the template.
// Nested managers (a <manager> inside a <child>) are read and checked at every depth, each in the
// world its parent gives it, with the description's own positions.
TEST(ManagerResources, NestedManagersAreCheckedAtEveryDepth)
{
    const auto nested = [](const std::string& innermost_ram) {
        std::string text(ManagerSystem);
        const std::string child = R"(    <child name="a" binary="hello" ram="64K" caps="16"/>)";
        text.replace(text.find(child), child.size(), R"(    <child name="a" binary="hello" ram="4M" caps="1000">
      <manager ram="1M" caps="400"><program name="hello" path="x"/>
        <child name="b" binary="hello" ram="512K" caps="200">
          <manager ram=")" + innermost_ram + R"(" caps="100"/>
        </child>
      </manager>
    </child>)");
        return build(text);
    };
    EXPECT_TRUE(nested("256K").result) << nested("256K").errors;
    EXPECT_EQ(nested("2M").errors, "t.system:9:20: error: the nested manager's ram 2097152 leaves too little of "
                                   "its child 'b''s 524288 to run it (at least 65536)\n");
}

TEST(ManagerResources, TemplateStackSizeIsInTheDirectoryAndChecked)
{
    const auto with_stack = [](const std::string& stack_size) {
        const std::string drv = R"(name="drv" id="2" priority="90")";
        std::string text(TemplateSystem);
        text.replace(text.find(drv), drv.size(), drv + " stack_size=\"" + stack_size + "\"");
        return build(text);
    };
    Built built = with_stack("0x5000");
    ASSERT_TRUE(built.result) << built.errors;
    const auto directory = directory_of(*built.result);
    ASSERT_TRUE(directory);
    ASSERT_EQ(directory->template_count, 1u);
    EXPECT_EQ(directory->template_stack_pages[0], 5u);
    EXPECT_STREQ(directory->template_pds[0], "drv");

    EXPECT_EQ(with_stack("0x200000").errors, "t.system:5:56: error: stack_size 0x200000 of template pd 'drv' "
                                             "is more than a manager's child can have (0x100000)\n");
    // 128 KiB of RAM hold a 64 KiB stack beside what every child needs, not a 68 KiB one.
    EXPECT_TRUE(with_stack("0x10000").result);
    EXPECT_EQ(with_stack("0x11000").errors, "t.system:17:37: error: ram 131072 of child 'd' does not hold its "
                                            "template's stack (0x11000) beside the 64 KiB every child needs\n");
    // The parser's range and page-multiple checks hold for a template PD as for any PD.
    EXPECT_EQ(with_stack("0x2800").errors,
              "t.system:5:56: error: stack_size 0x2800 is not a multiple of the page size 0x1000\n");
}

// A <device name pd> names a template's resources: the directory says which template is the
// device (and how the manager resets it), and only a child that names the device gets them.
TEST(ManagerResources, DeviceIsATemplatesResourcesGivenToTheChildNamingIt)
{
    const auto with = [](const std::string& device, const std::string& child_devices) {
        std::string text(TemplateSystem);
        const std::string child = R"(<child name="d" binary="driver" ram="128K" caps="16"/>)";
        text.replace(text.find(child), child.size(),
                     device + R"(<child name="d" binary="driver" ram="128K" caps="16">)" + child_devices +
                         "</child>");
        return build(text);
    };
    Built built = with(R"(<device name="uart" pd="drv"/>)", R"(<device name="uart"/>)");
    ASSERT_TRUE(built.result) << built.errors;
    const auto directory = directory_of(*built.result);
    ASSERT_TRUE(directory);
    ASSERT_EQ(directory->template_count, 1u);
    EXPECT_STREQ(directory->template_devices[0], "uart");
    EXPECT_EQ(directory->template_device_reset[0], TESSERA_DEVICE_RESET_NONE);
    EXPECT_EQ(directory->template_device_info[0], 0u);
    // Without a device the template is none.
    built = build(TemplateSystem);
    ASSERT_TRUE(built.result) << built.errors;
    EXPECT_STREQ(directory_of(*built.result)->template_devices[0], "");

    EXPECT_EQ(with(R"(<device name="uart"/>)", R"(<device name="uart"/>)").errors,
              "t.system:17:5: error: device 'uart' in a system description needs pd, the template whose "
              "resources it is\n");
    EXPECT_EQ(with(R"(<device name="uart" pd="other"/>)", R"(<device name="uart"/>)").errors,
              "t.system:17:25: error: the device's pd 'other' is the pd of no <program pd=> of this manager\n");
    EXPECT_EQ(with(R"(<device name="uart" pd="drv"/>)", "").errors,
              "t.system:17:51: error: its program's template is the device 'uart', which it does not name "
              "(<device name='uart'/>)\n");
    EXPECT_EQ(with(R"(<device name="uart" pd="drv" reset="virtio"/>)", R"(<device name="uart"/>)").errors,
              "t.system:17:25: error: reset 'virtio' of device 'uart' needs pd 'drv' to have one <pci_device> "
              "with info_vaddr (where the manager finds the device's registers)\n");
    EXPECT_EQ(with(R"(<device name="uart" pd="drv" reset="reboot"/>)", R"(<device name="uart"/>)").errors,
              "t.system:17:34: error: reset 'reboot' is not one of none, virtio\n");
    // Two children naming it: the second is refused where it names it.
    std::string text(TemplateSystem);
    const std::string child = R"(<child name="d" binary="driver" ram="128K" caps="16"/>)";
    text.replace(text.find(child), child.size(),
                 R"(<device name="uart" pd="drv"/><child name="d" binary="driver" ram="128K" caps="16">)"
                 R"(<device name="uart"/></child><child name="e" binary="hello2" ram="128K" caps="16">)"
                 R"(<device name="uart"/></child><program name="hello2" path="hello.elf"/>)");
    EXPECT_EQ(build(text).errors, "t.system:17:170: error: the device 'uart' is already given to 'd'\n");
}

} // namespace
} // namespace tessera::sdf

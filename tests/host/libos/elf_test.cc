// ELF64 parsing (well-formed and malformed images) and loading into a new address space with
// the fake kernel, down to the bytes in each frame and the registers of the started thread.
#include "fake_kernel.h"

#include <tessera/abi/invocation_labels.h>
#include <tessera/elf/loader.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

using namespace tessera;
using elf::Problem;
using libos::CPtr;
using libos::VAddr;

namespace {

struct SegmentSpec {
    uint64_t vaddr;
    std::vector<uint8_t> contents;
    uint64_t memory_size;
    uint32_t flags;
};

// Builds an x86_64 executable: header, program headers, then each segment at a file offset with
// the same page offset as its address.
std::vector<uint8_t> build_elf(const std::vector<SegmentSpec>& segments, uint64_t entry)
{
    std::vector<uint8_t> file(4096, 0);
    elf::FileHeader header{};
    std::memcpy(header.ident, elf::Magic, 4);
    header.ident[4] = elf::ClassElf64;
    header.ident[5] = elf::DataLittleEndian;
    header.ident[6] = elf::CurrentVersion;
    header.type = elf::TypeExecutable;
    header.machine = elf::MachineX86_64;
    header.version = elf::CurrentVersion;
    header.entry = entry;
    header.program_header_offset = sizeof header;
    header.header_size = sizeof header;
    header.program_header_size = sizeof(elf::ProgramHeader);
    header.program_header_count = static_cast<uint16_t>(segments.size() + 1);
    std::memcpy(file.data(), &header, sizeof header);
    // A note segment first, which the loader must skip.
    elf::ProgramHeader note{4, 4, 0, 0, 0, 0, 0, 4};
    std::memcpy(file.data() + sizeof header, &note, sizeof note);
    for (size_t i = 0; i < segments.size(); ++i) {
        const SegmentSpec& s = segments[i];
        const uint64_t offset = (file.size() + 4095) / 4096 * 4096 + s.vaddr % 4096;
        file.resize(offset + s.contents.size());
        std::memcpy(file.data() + offset, s.contents.data(), s.contents.size());
        elf::ProgramHeader ph{elf::SegmentLoad, s.flags,           offset,        s.vaddr,
                              s.vaddr,          s.contents.size(), s.memory_size, 4096};
        std::memcpy(file.data() + sizeof header + (i + 1) * sizeof ph, &ph, sizeof ph);
    }
    return file;
}

std::vector<uint8_t> pattern(size_t size, uint8_t seed)
{
    std::vector<uint8_t> bytes(size);
    for (size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<uint8_t>(seed + i * 7);
    return bytes;
}

constexpr uint64_t TextAddress = 0x400000;
constexpr uint64_t DataAddress = 0x402100; // not page aligned on purpose

std::vector<uint8_t> sample_elf()
{
    return build_elf({{TextAddress, pattern(5000, 1), 5000, elf::FlagRead | elf::FlagExecute},
                      {DataAddress, pattern(300, 9), 0x1800, elf::FlagRead | elf::FlagWrite}},
                     TextAddress + 0x40);
}

elf::FileHeader& header_of(std::vector<uint8_t>& file)
{
    return *reinterpret_cast<elf::FileHeader*>(file.data());
}

elf::ProgramHeader& program_header(std::vector<uint8_t>& file, unsigned index)
{
    return *reinterpret_cast<elf::ProgramHeader*>(file.data() + 64 + 56 * index);
}

Problem problem_of(const std::vector<uint8_t>& file)
{
    auto parsed = elf::Image::parse(file.data(), file.size());
    EXPECT_FALSE(parsed);
    if (parsed)
        return Problem{0};
    EXPECT_EQ(parsed.error().code, seL4_InvalidArgument);
    return Problem{parsed.error().detail};
}

} // namespace

TEST(ElfImage, ParsesLoadableSegmentsAndSkipsOthers)
{
    const auto file = sample_elf();
    auto image = elf::Image::parse(file.data(), file.size());
    ASSERT_TRUE(image);
    EXPECT_EQ(image.value().entry(), VAddr{TextAddress + 0x40});
    ASSERT_EQ(image.value().segment_count(), 2u);
    const elf::Segment& data = image.value().segment(1);
    EXPECT_EQ(data.vaddr, VAddr{DataAddress});
    EXPECT_EQ(data.file_size, 300u);
    EXPECT_EQ(data.memory_size, 0x1800u);
    EXPECT_EQ(data.first_page(), VAddr{0x402000});
    EXPECT_EQ(data.pages(), 2u); // 0x402100 + 0x1800 ends in the page at 0x403000
    EXPECT_EQ(image.value().segment(0).pages(), 2u);
    EXPECT_EQ(image.value().top(), VAddr{0x404000});
}

TEST(ElfImage, RefusesMalformedImagesWithTheReason)
{
    struct Case {
        const char* name;
        std::function<void(std::vector<uint8_t>&)> damage;
        Problem expected;
    };
    const std::vector<Case> cases = {
        {"truncated header", [](auto& f) { f.resize(40); }, Problem::TooSmall},
        {"magic", [](auto& f) { f[1] = 'e'; }, Problem::NotElf},
        {"32-bit", [](auto& f) { f[4] = 1; }, Problem::Not64Bit},
        {"big endian", [](auto& f) { f[5] = 2; }, Problem::NotLittleEndian},
        {"version", [](auto& f) { header_of(f).version = 2; }, Problem::BadVersion},
        {"shared object", [](auto& f) { header_of(f).type = 3; }, Problem::NotExecutable},
        {"aarch64", [](auto& f) { header_of(f).machine = 183; }, Problem::NotX86_64},
        {"phentsize", [](auto& f) { header_of(f).program_header_size = 32; },
         Problem::BadProgramHeaderSize},
        {"phoff past end", [](auto& f) { header_of(f).program_header_offset = f.size() - 60; },
         Problem::ProgramHeadersOutsideFile},
        {"phoff overflow", [](auto& f) { header_of(f).program_header_offset = ~uint64_t{0} - 16; },
         Problem::ProgramHeadersOutsideFile},
        {"segment past end", [](auto& f) { program_header(f, 2).file_size = f.size(); },
         Problem::SegmentOutsideFile},
        {"segment offset overflow",
         [](auto& f) { program_header(f, 1).offset = ~uint64_t{0} - 0xfff; },
         Problem::SegmentOutsideFile},
        {"filesz above memsz", [](auto& f) { program_header(f, 2).memory_size = 100; },
         Problem::FileSizeAboveMemorySize},
        {"kernel address",
         [](auto& f) {
             program_header(f, 1).vaddr = 0xffffffff80000000;
             header_of(f).entry = 0xffffffff80000040;
         },
         Problem::SegmentOutsideUserSpace},
        {"page zero", [](auto& f) { program_header(f, 1).vaddr = 0; },
         Problem::SegmentOutsideUserSpace},
        {"wraps past user top", [](auto& f) { program_header(f, 2).memory_size = seL4_UserTop; },
         Problem::SegmentOutsideUserSpace},
        {"page offset mismatch", [](auto& f) { program_header(f, 2).vaddr += 8; },
         Problem::MisalignedSegment},
        {"shared page", [](auto& f) { program_header(f, 2).vaddr -= 0x1000; },
         Problem::SegmentsShareAPage},
        {"no load segment",
         [](auto& f) {
             program_header(f, 1).type = 6;
             program_header(f, 2).type = 6;
         },
         Problem::NoLoadableSegment},
        {"entry in data", [](auto& f) { header_of(f).entry = DataAddress; },
         Problem::EntryNotExecutable},
        {"entry past text", [](auto& f) { header_of(f).entry = TextAddress + 5000; },
         Problem::EntryNotExecutable},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        auto file = sample_elf();
        c.damage(file);
        EXPECT_EQ(problem_of(file), c.expected);
    }
    EXPECT_EQ(elf::Image::parse(nullptr, 100).error().detail, seL4_Word(Problem::TooSmall));
}

namespace {

struct LoaderFixture : ::testing::Test {
    std::unique_ptr<alloc::SlotAllocator> slots = std::make_unique<alloc::SlotAllocator>();
    alloc::UntypedAllocator untypeds{*slots};
    alloc::ObjectAllocator objects{*slots, untypeds};
    std::vector<vspace::Mapping> self_storage = std::vector<vspace::Mapping>(4);
    std::vector<vspace::Mapping> child_storage = std::vector<vspace::Mapping>(64);
    void* window_memory = nullptr;
    VAddr window;
    std::unique_ptr<vspace::VSpace> self;
    std::vector<uint8_t> file = sample_elf();

    void SetUp() override
    {
        fake::reset();
        fake::kernel.self_is_host_memory = true;
        ASSERT_TRUE(slots->init(CPtr{seL4_CapInitThreadCNode}, seL4_SlotRegion{100, 4000}));
        fake::add_untyped(10, 0x1000000, 22);
        ASSERT_TRUE(untypeds.add(CPtr{10}, libos::PAddr{0x1000000}, alloc::SizeBits{22},
                                 alloc::Memory::Ram));
        window_memory = std::aligned_alloc(4096, 4096);
        window = VAddr{reinterpret_cast<seL4_Word>(window_memory)};
        self = std::make_unique<vspace::VSpace>(objects, CPtr{seL4_CapInitThreadVSpace}, window,
                                                window + 4096, self_storage.data(), 4);
        ASSERT_TRUE(self->reserve_at(window, 1));
    }
    void TearDown() override { std::free(window_memory); }

    // A new address space for the sample image, managed by `child_space`.
    alloc::Object new_child_space()
    {
        auto root = elf::new_address_space(objects, CPtr{seL4_CapInitThreadASIDPool});
        EXPECT_TRUE(root);
        child_space = std::make_unique<vspace::VSpace>(objects, root.value().cap, VAddr{0x1000},
                                                       VAddr{seL4_UserTop}, child_storage.data(), 64);
        return root.value();
    }
    std::unique_ptr<vspace::VSpace> child_space;

    seL4_Word map_rights(uint64_t child_root, seL4_Word vaddr)
    {
        for (const auto& call : fake::kernel.log) {
            if (call.label == X86PageMap && call.caps[0] == child_root && call.mr[0] == vaddr)
                return call.mr[1];
        }
        return ~seL4_Word{0};
    }
};

} // namespace

TEST_F(LoaderFixture, CopiesSegmentsIntoFramesWithTheirRights)
{
    auto image = elf::Image::parse(file.data(), file.size());
    ASSERT_TRUE(image);
    auto root = elf::new_address_space(objects, CPtr{seL4_CapInitThreadASIDPool});
    ASSERT_TRUE(root);
    vspace::VSpace child(objects, root.value().cap, VAddr{0x1000}, VAddr{seL4_UserTop},
                         child_storage.data(), 64);
    ASSERT_TRUE(elf::load_segments(objects, image.value(), child, *self, window));
    EXPECT_EQ(child.mapped_pages(), 4u);
    EXPECT_EQ(self->mapped_pages(), 0u);
    // Two text pages and the data page pass through the window (mapped, filled, unmapped); the
    // .bss page is a new frame, zero already, mapped straight into the child.
    EXPECT_EQ(fake::kernel.count(X86PageUnmap), 3u);

    const uint64_t id = fake::kernel.slot(libos::raw(root.value().cap))->id;
    const auto text = pattern(5000, 1);
    auto page0 = fake::kernel.page_bytes(id, TextAddress);
    auto page1 = fake::kernel.page_bytes(id, TextAddress + 4096);
    ASSERT_EQ(page0.size(), 4096u);
    ASSERT_EQ(page1.size(), 4096u);
    EXPECT_TRUE(std::equal(text.begin(), text.begin() + 4096, page0.begin()));
    EXPECT_TRUE(std::equal(text.begin() + 4096, text.end(), page1.begin()));
    EXPECT_EQ(page1[5000 - 4096], 0); // the file's next bytes are not copied

    const auto data = pattern(300, 9);
    auto data0 = fake::kernel.page_bytes(id, 0x402000);
    ASSERT_EQ(data0.size(), 4096u);
    EXPECT_EQ(data0[0xff], 0);
    EXPECT_TRUE(std::equal(data.begin(), data.end(), data0.begin() + 0x100));
    EXPECT_EQ(data0[0x100 + 300], 0);
    auto bss = fake::kernel.page_bytes(id, 0x403000);
    ASSERT_EQ(bss.size(), 4096u);
    EXPECT_EQ(std::count(bss.begin(), bss.end(), 0), 4096);

    const seL4_Word read_only = seL4_CanRead.words[0], read_write = seL4_ReadWrite.words[0];
    EXPECT_EQ(
        map_rights(root.value().cap == CPtr{0} ? 0 : libos::raw(root.value().cap), TextAddress),
        read_only);
    EXPECT_EQ(map_rights(libos::raw(root.value().cap), 0x403000), read_write);
}

TEST_F(LoaderFixture, StartsAThreadWithItsOwnCSpaceStackAndIpcBuffer)
{
    auto image = elf::Image::parse(file.data(), file.size());
    ASSERT_TRUE(image);
    auto root = elf::new_address_space(objects, CPtr{seL4_CapInitThreadASIDPool});
    ASSERT_TRUE(root);
    EXPECT_EQ(fake::kernel.count(X86ASIDPoolAssign), 1u);
    vspace::VSpace child(objects, root.value().cap, VAddr{0x1000}, VAddr{seL4_UserTop},
                         child_storage.data(), 64);
    fake::kernel.root[50] = fake::Cap{seL4_EndpointObject, 777};
    elf::ProcessConfig config;
    config.fault_endpoint = CPtr{50};
    config.fault_badge = 0xbeef;
    config.priority = 100;
    config.stack_pages = 4;
    auto process =
        elf::start_process(objects, image.value(), root.value(), child, *self, window, config);
    ASSERT_TRUE(process) << process.error().what;

    const seL4_Word ipc = 0x404000 + 4096;
    EXPECT_EQ(process.value().ipc_buffer, VAddr{ipc});
    EXPECT_EQ(process.value().stack_top, VAddr{ipc + 2 * 4096 + 4 * 4096});
    EXPECT_NE(child.lookup(VAddr{ipc}), nullptr);
    EXPECT_EQ(child.lookup(VAddr{ipc + 4096}), nullptr); // guard below the stack
    EXPECT_EQ(child.lookup(VAddr{ipc - 4096}), nullptr); // guard between image and IPC buffer
    for (int i = 0; i < 4; ++i)
        EXPECT_NE(child.lookup(VAddr{ipc + (2 + i) * 4096}), nullptr);

    const fake::Cap* tcb_cap = fake::kernel.slot(libos::raw(process.value().tcb.cap));
    ASSERT_NE(tcb_cap, nullptr);
    const fake::Tcb& tcb = fake::kernel.tcbs.at(tcb_cap->id);
    EXPECT_TRUE(tcb.configured);
    EXPECT_EQ(tcb.fault_ep, elf::ChildFaultEndpointSlot);
    EXPECT_EQ(tcb.cspace, libos::raw(process.value().cnode.cap));
    EXPECT_EQ(tcb.cspace_data, seL4_CNode_CapData_new(0, 64 - 10).words[0]);
    EXPECT_EQ(tcb.vspace, libos::raw(root.value().cap));
    EXPECT_EQ(tcb.buffer, ipc);
    EXPECT_EQ(tcb.buffer_frame, libos::raw(process.value().ipc_frame.cap));
    EXPECT_EQ(tcb.priority, 100u);
    EXPECT_EQ(tcb.regs.rip, TextAddress + 0x40);
    EXPECT_EQ(tcb.regs.rsp, process.value().stack_top.raw());
    EXPECT_EQ(tcb.regs.rsi, ipc);
    EXPECT_TRUE(tcb.resumed);

    const uint64_t cnode = fake::kernel.slot(libos::raw(process.value().cnode.cap))->id;
    auto child_slot = [&](seL4_Word slot) { return fake::kernel.other_cnodes.at({cnode, slot}); };
    EXPECT_EQ(child_slot(seL4_CapInitThreadTCB).id, tcb_cap->id);
    EXPECT_EQ(child_slot(seL4_CapInitThreadCNode).id, cnode);
    EXPECT_EQ(child_slot(seL4_CapInitThreadVSpace).type, seL4_X64_PML4Object);
    EXPECT_EQ(child_slot(seL4_CapInitThreadIPCBuffer).type, seL4_X86_4K);
    EXPECT_EQ(child_slot(elf::ChildFaultEndpointSlot).id, 777u);
    EXPECT_EQ(child_slot(elf::ChildFaultEndpointSlot).badge, 0xbeefu);
}

TEST_F(LoaderFixture, AProcessBuiltWithoutResumeWaitsForItsCallerToStartIt)
{
    auto image = elf::Image::parse(file.data(), file.size());
    ASSERT_TRUE(image);
    const alloc::Object root = new_child_space();
    elf::ProcessConfig config;
    config.stack_pages = 4;
    config.resume = false;
    auto process = elf::start_process(objects, image.value(), root, *child_space, *self, window, config);
    ASSERT_TRUE(process) << process.error().what;
    const fake::Cap* tcb_cap = fake::kernel.slot(libos::raw(process.value().tcb.cap));
    ASSERT_NE(tcb_cap, nullptr);
    const fake::Tcb& tcb = fake::kernel.tcbs.at(tcb_cap->id);
    EXPECT_TRUE(tcb.configured);
    EXPECT_EQ(tcb.regs.rip, TextAddress + 0x40);
    EXPECT_EQ(tcb.regs.rsp, process.value().stack_top.raw());
    EXPECT_FALSE(tcb.resumed);
    EXPECT_EQ(fake::kernel.count(TCBResume), 0u);
}

TEST_F(LoaderFixture, AMicrokitProcessHasOnlyItsFaultEndpointAndItsStackBelowTheTop)
{
    auto image = elf::Image::parse(file.data(), file.size());
    ASSERT_TRUE(image);
    const alloc::Object root = new_child_space();
    fake::kernel.root[50] = fake::Cap{seL4_EndpointObject, 777};
    elf::ProcessConfig config;
    config.layout = elf::Layout::Microkit;
    config.fault_endpoint = CPtr{50};
    config.fault_badge = 0x81;
    config.stack_pages = 2;
    config.resume = false;
    auto process = elf::start_process(objects, image.value(), root, *child_space, *self, window, config);
    ASSERT_TRUE(process) << process.error().what;

    // Microkit's layout: the stack ends at the top, the IPC buffer one guard page below it.
    const seL4_Word top = elf::MicrokitStackTop;
    const seL4_Word ipc = top - 2 * 4096 - 2 * 4096;
    EXPECT_EQ(process.value().stack_top, VAddr{top});
    EXPECT_EQ(process.value().ipc_buffer, VAddr{ipc});
    EXPECT_NE(child_space->lookup(VAddr{ipc}), nullptr);
    EXPECT_EQ(child_space->lookup(VAddr{ipc + 4096}), nullptr); // guard below the stack
    EXPECT_NE(child_space->lookup(VAddr{top - 4096}), nullptr);

    const fake::Cap* tcb_cap = fake::kernel.slot(libos::raw(process.value().tcb.cap));
    ASSERT_NE(tcb_cap, nullptr);
    const fake::Tcb& tcb = fake::kernel.tcbs.at(tcb_cap->id);
    EXPECT_EQ(tcb.fault_ep, elf::MicrokitFaultEndpointSlot);
    EXPECT_EQ(tcb.buffer, ipc);
    EXPECT_EQ(tcb.regs.rsp, top);
    EXPECT_EQ(tcb.regs.rdi, ipc); // Microkit's start takes the IPC buffer in rdi
    EXPECT_FALSE(tcb.resumed);

    // Nothing of the library OS's layout: slots 1, 3 and 10 are a Microkit PD's input,
    // notification and channel 0, the caller's to fill.
    const uint64_t cnode = fake::kernel.slot(libos::raw(process.value().cnode.cap))->id;
    for (seL4_Word slot : {seL4_Word{seL4_CapInitThreadTCB}, seL4_Word{seL4_CapInitThreadVSpace},
                           seL4_Word{seL4_CapInitThreadIPCBuffer}, elf::ChildFaultEndpointSlot})
        EXPECT_EQ(fake::kernel.other_cnodes.count({cnode, slot}), 0u) << slot;
    const fake::Cap& fault = fake::kernel.other_cnodes.at({cnode, elf::MicrokitFaultEndpointSlot});
    EXPECT_EQ(fault.id, 777u);
    EXPECT_EQ(fault.badge, 0x81u);
}

TEST_F(LoaderFixture, AFailedStartGivesTheThreadObjectsBack)
{
    auto image = elf::Image::parse(file.data(), file.size());
    ASSERT_TRUE(image);
    auto root = elf::new_address_space(objects, CPtr{seL4_CapInitThreadASIDPool});
    ASSERT_TRUE(root);
    vspace::VSpace child(objects, root.value().cap, VAddr{0x1000}, VAddr{seL4_UserTop},
                         child_storage.data(), 64);
    const seL4_Word slots_before = slots->available();
    fake::kernel.fail_label[TCBConfigure] = seL4_IllegalOperation;
    auto process = elf::start_process(objects, image.value(), root.value(), child, *self, window,
                                      elf::ProcessConfig{});
    ASSERT_FALSE(process);
    EXPECT_EQ(process.error().code, seL4_IllegalOperation);
    EXPECT_EQ(fake::kernel.count(TCBWriteRegisters), 0u);
    // The IPC frame, CNode and TCB are gone; the loaded pages and the stack stay with the
    // child's VSpace, the window's paging structures with the loader's.
    EXPECT_EQ(child.mapped_pages(), 4u + 16u);
    EXPECT_EQ(child.lookup(VAddr{0x405000}), nullptr);
    const seL4_Word kept = child.mapped_pages() + child.tables() + self->tables();
    EXPECT_EQ(slots_before - slots->available(), kept);
    ASSERT_TRUE(child.release(vspace::Reservation{VAddr{TextAddress}, 2}));
}

TEST_F(LoaderFixture, DestroyingAProcessGivesEverythingBack)
{
    auto image = elf::Image::parse(file.data(), file.size());
    ASSERT_TRUE(image);
    const seL4_Word slots_before = slots->available();
    auto root = elf::new_address_space(objects, CPtr{seL4_CapInitThreadASIDPool});
    ASSERT_TRUE(root);
    vspace::VSpace child(objects, root.value().cap, VAddr{0x1000}, VAddr{seL4_UserTop},
                         child_storage.data(), 64);
    auto process = elf::start_process(objects, image.value(), root.value(), child, *self, window,
                                      elf::ProcessConfig{});
    ASSERT_TRUE(process);
    const seL4_CPtr tcb = libos::raw(process.value().tcb.cap);
    ASSERT_TRUE(elf::destroy_process(objects, process.value(), root.value(), child));
    EXPECT_EQ(fake::kernel.slot(tcb), nullptr);
    EXPECT_EQ(fake::kernel.slot(libos::raw(root.value().cap)), nullptr);
    EXPECT_EQ(child.mapped_pages(), 0u);
    EXPECT_EQ(child.tables(), 0u);
    EXPECT_EQ(child.reservations(), 0u);
    // Only the loader's window keeps its paging structures.
    EXPECT_EQ(slots->available() + self->tables(), slots_before);
    EXPECT_EQ(fake::kernel.pages.size(), 0u);
}

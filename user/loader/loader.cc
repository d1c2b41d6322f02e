// Set-up of the loader. The image is validated twice: once to learn the object count, once more
// with scratch for object kinds, so every reference is checked for its kind before anything runs.
#include "loader.h"

#include <stdio.h>
#include <string.h>
#include <tessera/libc.h>
#include <tessera/lz4_block.h>

#include "cspace_growth.h"
#include "embedded_image.h"

namespace tessera::loader {
namespace {

void print_read_failure(const char* what, const spec::ReadFailure& failure)
{
    printf("loader: %s: %s at byte 0x%llx: %s\n", what, spec::read_error_name(failure.error),
           static_cast<unsigned long long>(failure.offset), failure.detail);
}

// seL4's release build has no console: every character the loader would print goes nowhere.
void discard_output(void*, char) {}

const char* op_name(uint32_t kind)
{
    static const char* const names[] = {
        "?",           "CREATE_OBJECT",        "ASSIGN_ASID",       "MAP_TABLE",
        "FILL_FRAME",  "MAP_FRAME",            "IRQ_GET_IOAPIC",    "IRQ_GET_MSI",
        "IRQ_SET_NOTIFICATION", "MINT_CAP",    "TCB_CONFIGURE",     "TCB_SET_PRIORITY",
        "TCB_WRITE_REGISTERS", "TCB_BIND_NOTIFICATION", "TCB_SET_NAME", "TCB_RESUME",
        "WRITE_PADDR", "IOPORT_ISSUE",         "TCB_SET_FLAGS",     "FILL_BOOTINFO",
        "PCI_FIND",    "PCI_DESCRIBE",         "DOMAIN_SET",        "DOMAIN_SCHEDULE",
        "DOMAIN_START", "SVM_VCPU_BIND"};
    static_assert(sizeof names / sizeof names[0] == TESSERA_OP_KIND_MAX + 1, "a name per op kind");
    return kind <= TESSERA_OP_KIND_MAX ? names[kind] : names[0];
}

} // namespace

const char* error_name(seL4_Error error)
{
    static const char* const names[] = {
        "seL4_NoError",        "seL4_InvalidArgument", "seL4_InvalidCapability",
        "seL4_IllegalOperation", "seL4_RangeError",    "seL4_AlignmentError",
        "seL4_FailedLookup",   "seL4_TruncatedMessage", "seL4_DeleteFirst",
        "seL4_RevokeFirst",    "seL4_NotEnoughMemory"};
    return unsigned(error) < sizeof names / sizeof names[0] ? names[error] : "unknown error";
}

bool Loader::open(const seL4_BootInfo& boot_info)
{
    return take_boot_memory(boot_info) && probe_kernel() && open_image(boot_info) &&
           fits_machine() && prepare_cspace();
}

bool Loader::take_boot_memory(const seL4_BootInfo& boot_info)
{
    cspace_bits_ = uint32_t(boot_info.initThreadCNodeSizeBits);
    auto slots = slots_.init(libos::CPtr{seL4_CapInitThreadCNode}, boot_info.empty);
    auto untypeds = slots ? untypeds_.add_boot_info(boot_info) : slots;
    if (!untypeds) {
        printf("loader: cannot take the boot memory: %s (%s)\n", untypeds.error().what,
               error_name(untypeds.code()));
        return false;
    }
    free_at_start_ = untypeds_.free_bytes();
    first_free_slot_ = boot_info.empty.start;
    return true;
}

bool Loader::probe_kernel()
{
    auto probed = probe_debug_calls(objects_);
    if (!probed) {
        printf("loader: cannot probe the kernel: %s (%s)\n", probed.error().what,
               error_name(probed.code()));
        return false;
    }
    debug_calls_ = probed.value();
    if (debug_calls_ == DebugCalls::Absent)
        tessera_set_output(discard_output, nullptr);
    executor_.set_debug_calls(debug_calls_);
    return true;
}

bool Loader::open_image(const seL4_BootInfo& boot_info)
{
    EmbeddedImage embedded = embedded_image();
    if (embedded.size == 0) {
        printf("loader: no system image inside the loader; make one with "
               "'tessera build SYSTEM --loader loader.elf -o system.elf'\n");
        return false;
    }
    if (!unpack(embedded))
        return false;
    auto first = spec::ImageView::open(embedded.data, embedded.size);
    if (!first) {
        print_read_failure("the system image is invalid", first.error());
        return false;
    }
    const spec::SpecView& spec = first.value().spec();
    uint32_t map_frames = 0;
    for (uint32_t i = 0; i < spec.op_count(); ++i)
        map_frames += spec.op(i).kind == TESSERA_OP_MAP_FRAME ? 1 : 0;
    const uint32_t object_count = spec.object_count();
    auto reserved = tables_.reserve(spec::loader_table_bytes(object_count, map_frames));
    if (reserved)
        kinds_ = tables_.take<uint8_t>(object_count + 1);
    if (kinds_ == nullptr) {
        printf("loader: the system has %u objects; their tables do not fit: %s\n", object_count,
               reserved ? "out of table memory" : reserved.error().what);
        return false;
    }
    auto checked = first.value().check_references(kinds_, object_count);
    if (!checked) {
        print_read_failure("the system image is invalid", checked.error());
        return false;
    }
    image_ = checked.value();

    const seL4_SlotRegion frames = boot_info.userImageFrames;
    const seL4_SlotRegion paging = boot_info.userImagePaging;
    const spec::LoaderStart start{cspace_bits_, uint32_t(boot_info.empty.start),
                                  uint32_t((frames.end - frames.start) + (paging.end - paging.start)),
                                  unpacked_bytes_};
    auto prepared = executor_.prepare(tables_, start);
    if (!prepared) {
        printf("loader: cannot prepare: %s (%s)\n", prepared.error().what,
               error_name(prepared.code()));
        return false;
    }
    return true;
}

bool Loader::unpack(EmbeddedImage& embedded)
{
    struct tessera_packed_header header;
    if (embedded.size < sizeof header || memcmp(embedded.data, TESSERA_PACKED_MAGIC, 8) != 0)
        return true; // stored as it is
    memcpy(&header, embedded.data, sizeof header);
    if (header.header_size != sizeof header || header.format != TESSERA_PACKED_LZ4_BLOCK ||
        header.packed_size > embedded.size - sizeof header || header.image_size == 0) {
        printf("loader: the system image is invalid: bad packed header\n");
        return false;
    }
    auto memory = image_pages_.map(header.image_size);
    if (!memory) {
        printf("loader: cannot unpack the system image (%llu KiB): %s (%s)\n",
               static_cast<unsigned long long>(header.image_size >> 10), memory.error().what,
               error_name(memory.code()));
        return false;
    }
    const spec::UnpackError error = spec::lz4_block_unpack(
        embedded.data + sizeof header, header.packed_size, memory.value(), header.image_size);
    if (error != spec::UnpackError::None) {
        printf("loader: the system image is invalid: %s\n", spec::unpack_error_name(error));
        return false;
    }
    embedded = EmbeddedImage{memory.value(), header.image_size};
    unpacked_bytes_ = header.image_size;
    return true;
}

bool Loader::fits_machine() const
{
    const spec::LoadPlan& plan = executor_.plan();
    if (!plan.fits_asids()) {
        printf("loader: the system has %u address spaces, more than the %u the kernel's ASIDs "
               "allow; nothing was created\n",
               plan.address_spaces, spec::MaxSystemAddressSpaces);
        return false;
    }
    const unsigned long long need = plan.total_bytes() >> 10, have = free_at_start_ >> 10;
    if (plan.total_bytes() > free_at_start_) {
        printf("loader: the system needs %llu KiB of memory but %llu KiB are free; boot it with "
               "%llu MiB more (launch.py --memory); nothing was created\n",
               need, have, (need - have + 1023) / 1024);
        return false;
    }
    return true;
}

bool Loader::prepare_cspace()
{
    const spec::LoadPlan& plan = executor_.plan();
    if (plan.cspace_bits > cspace_bits_) {
        auto grown = grow_cspace(objects_, cspace_bits_, plan.cspace_bits, first_free_slot_, debug_calls_);
        if (!grown) {
            printf("loader: cannot grow its CSpace to 2^%u slots: %s (%s)\n", plan.cspace_bits,
                   grown.error().what, error_name(grown.code()));
            return false;
        }
        cspace_bits_ = plan.cspace_bits;
    }
    auto window = self_.reserve_at(VAddr{WindowBase}, 1);
    auto vault = window ? executor_.create_vault() : libos::Result<void>(window.error());
    if (!vault) {
        printf("loader: cannot prepare: %s (%s)\n", vault.error().what, error_name(vault.code()));
        return false;
    }
    return true;
}

void Loader::report_failure(const libos::Error& error) const
{
    const uint32_t index = executor_.failed_op();
    printf("loader: op %u (%s) failed: %s: %s\n", index, op_name(image_.spec().op(index).kind),
           error.what, error_name(error.code));
}

void Loader::report_plan() const
{
    const spec::LoadPlan& plan = executor_.plan();
    printf("loader: the system needs %llu of %llu KiB free, %u of %u address spaces, %u "
           "capabilities at once (CSpace of 2^%u slots)\n",
           static_cast<unsigned long long>(plan.total_bytes() >> 10),
           static_cast<unsigned long long>(free_at_start_ >> 10), plan.address_spaces,
           spec::MaxSystemAddressSpaces, plan.peak_capabilities, cspace_bits_);
}

uint64_t Loader::memory_used() const
{
    return free_at_start_ - untypeds_.free_bytes();
}

uint32_t Loader::thread_count() const
{
    uint32_t threads = 0;
    for (uint32_t i = 0; i < image_.spec().op_count(); ++i)
        threads += image_.spec().op(i).kind == TESSERA_OP_TCB_RESUME ? 1 : 0;
    return threads;
}

} // namespace tessera::loader

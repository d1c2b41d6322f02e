// Set-up of the loader. The image is validated twice: once to learn the object count, once more
// with scratch for object kinds, so every reference is checked for its kind before anything runs.
#include "loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <tessera/libc.h>

#include "embedded_image.h"
#include "self_removal.h"

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
        "WRITE_PADDR"};
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
    cspace_bits_ = uint32_t(boot_info.initThreadCNodeSizeBits);
    auto slots = slots_.init(libos::CPtr{seL4_CapInitThreadCNode}, boot_info.empty);
    auto untypeds = slots ? untypeds_.add_boot_info(boot_info) : slots;
    if (!untypeds) {
        printf("loader: cannot take the boot memory: %s (%s)\n", untypeds.error().what,
               error_name(untypeds.code()));
        return false;
    }
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

    const EmbeddedImage embedded = embedded_image();
    if (embedded.size == 0) {
        printf("loader: no system image inside the loader; make one with "
               "'tessera build SYSTEM --loader loader.elf -o system.elf'\n");
        return false;
    }
    auto first = spec::ImageView::open(embedded.data, embedded.size);
    if (!first) {
        print_read_failure("the system image is invalid", first.failure());
        return false;
    }
    const uint32_t object_count = first.value().spec().object_count();
    kinds_ = static_cast<uint8_t*>(malloc(object_count + 1));
    if (kinds_ == nullptr) {
        printf("loader: the system has %u objects, too many for the loader's heap\n", object_count);
        return false;
    }
    auto checked = spec::ImageView::open(embedded.data, embedded.size, kinds_, object_count);
    if (!checked) {
        print_read_failure("the system image is invalid", checked.failure());
        return false;
    }
    image_ = checked.value();

    auto window = self_.reserve_at(VAddr{WindowBase}, 1);
    auto prepared = window ? executor_.prepare(loader_body_slots(boot_info))
                           : libos::Result<void>(window.error());
    if (!prepared) {
        printf("loader: cannot prepare: %s (%s)\n", prepared.error().what,
               error_name(prepared.code()));
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

uint32_t Loader::thread_count() const
{
    uint32_t threads = 0;
    for (uint32_t i = 0; i < image_.spec().op_count(); ++i)
        threads += image_.spec().op(i).kind == TESSERA_OP_TCB_RESUME ? 1 : 0;
    return threads;
}

} // namespace tessera::loader

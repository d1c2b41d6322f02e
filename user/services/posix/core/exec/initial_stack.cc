// Built top down as Linux builds it; the pointer table is sized first so that rsp comes out
// 16-byte aligned at argc, which is what the System V ABI promises an entry point.
#include "core/exec/initial_stack.h"

#include <string.h>

#include "linux/constants.h"

namespace tessera::posix {

namespace {

constexpr char Platform[] = "x86_64";
// CPUID.1:EDX as Linux reports it in AT_HWCAP: fpu..sse2 (the features every x86_64 CPU has).
constexpr uint64_t HwCap = 0x178bfbff;
constexpr uint64_t ClockTicks = 100; // USER_HZ
constexpr uint64_t MinSignalStack = 2048;

// Copies the strings of `list` downward from `cursor`, recording where each went in `where`.
Result<void> push_strings(AddressSpace& space, uint64_t& cursor, StringList list, uint64_t* where,
                          size_t& total)
{
    for (size_t i = list.count; i-- > 0;) {
        const size_t length = strlen(list.items[i]) + 1;
        if (length > MaxArgumentString)
            return Errno::TooBig;
        total += length + sizeof(uint64_t);
        if (total > MaxArgumentBytes)
            return Errno::TooBig;
        cursor -= length;
        POSIX_CHECK(space.write(cursor, list.items[i], length));
        where[i] = cursor;
    }
    return {};
}

struct Writer {
    AddressSpace& space;
    uint64_t at;
    Result<void> word(uint64_t value)
    {
        POSIX_CHECK(space.write(at, &value, sizeof value));
        at += sizeof value;
        return {};
    }
};

} // namespace

Result<InitialStack> build_initial_stack(AddressSpace& space, uint64_t top, StringList arguments,
                                         StringList environment, const char* file_name,
                                         const ImageFacts& image, const Credentials& credentials,
                                         const uint8_t (&random)[16])
{
    if (arguments.count + environment.count > MaxArgumentBytes / sizeof(uint64_t))
        return Errno::TooBig;
    // The pointers are kept in the server until the table is written: one array for both lists.
    Vector<uint64_t> where;
    if (!where.reserve(arguments.count + environment.count + 1))
        return Errno::NoMem;
    for (size_t i = 0; i < arguments.count + environment.count; ++i)
        (void)where.push_back(0);
    uint64_t* argument_at = arguments.count ? &where[0] : nullptr;
    uint64_t* environment_at = environment.count ? &where[arguments.count] : nullptr;

    uint64_t cursor = top - sizeof(uint64_t); // Linux leaves the top word zero
    size_t total = 0;
    const size_t name_length = strlen(file_name) + 1;
    if (name_length > MaxArgumentString)
        return Errno::NameTooLong;
    cursor -= name_length;
    POSIX_CHECK(space.write(cursor, file_name, name_length));
    const uint64_t exec_fn = cursor;
    POSIX_CHECK(push_strings(space, cursor, environment, environment_at, total));
    POSIX_CHECK(push_strings(space, cursor, arguments, argument_at, total));

    cursor -= sizeof Platform;
    POSIX_CHECK(space.write(cursor, Platform, sizeof Platform));
    const uint64_t platform = cursor;
    cursor = (cursor - sizeof random) & ~uint64_t{15};
    POSIX_CHECK(space.write(cursor, random, sizeof random));
    const uint64_t random_at = cursor;

    const uint64_t auxv[][2] = {
        {linux::auxv::HwCap, HwCap},
        {linux::auxv::PageSize, PageSize},
        {linux::auxv::ClockTick, ClockTicks},
        {linux::auxv::Phdr, image.program_headers},
        {linux::auxv::Phent, image.program_header_size},
        {linux::auxv::Phnum, image.program_header_count},
        {linux::auxv::Base, image.interpreter_base},
        {linux::auxv::Flags, 0},
        {linux::auxv::Entry, image.entry},
        {linux::auxv::Uid, credentials.uid},
        {linux::auxv::Euid, credentials.euid},
        {linux::auxv::Gid, credentials.gid},
        {linux::auxv::Egid, credentials.egid},
        {linux::auxv::Secure, 0},
        {linux::auxv::Random, random_at},
        {linux::auxv::HwCap2, 0},
        {linux::auxv::ExecFn, exec_fn},
        {linux::auxv::Platform, platform},
        {linux::auxv::MinSigStackSize, MinSignalStack},
        {linux::auxv::Null, 0},
    };
    const size_t words = 1 + arguments.count + 1 + environment.count + 1 + 2 * (sizeof auxv / sizeof auxv[0]);
    uint64_t sp = (cursor - words * sizeof(uint64_t)) & ~uint64_t{15};

    Writer out{space, sp};
    POSIX_CHECK(out.word(arguments.count));
    for (size_t i = 0; i < arguments.count; ++i)
        POSIX_CHECK(out.word(argument_at[i]));
    POSIX_CHECK(out.word(0));
    for (size_t i = 0; i < environment.count; ++i)
        POSIX_CHECK(out.word(environment_at[i]));
    POSIX_CHECK(out.word(0));
    for (const auto& pair : auxv) {
        POSIX_CHECK(out.word(pair[0]));
        POSIX_CHECK(out.word(pair[1]));
    }
    return InitialStack{sp, sp + sizeof(uint64_t)};
}

} // namespace tessera::posix
